"""Demo marketplace accounts with real sync history, so the status pages show content.

Three demo producers get a shop on Shopee, Lazada, TikTok Shop and Tiki, plus a PostMart and a
Voso shop with a first bulk-upload file. The four API shops are connected to the local
marketplaces of `tests.marketplace_servers` started in process, where the producers' variants
are listed as a seller lists them by hand; then the real sync runs against them: matching by
SKU, stock and price pushes, a drift found and repaired, a Tiki order polled in that holds our
stock. What the status pages show is what those runs recorded. Two listings stay unmatched
(a combo we do not sell, a SKU typed differently) and one hand mapping points at an item Shopee
does not know, so it is parked with Shopee's own error.

Afterwards the servers stop and the accounts point at `manage.py marketplace_sandbox`'s fixed
ports, disabled until the sandbox reconnects them. Created once: a database with any demo
marketplace account keeps what it has."""

from itertools import count

from backend.ocop.models import Producer
from integrations.marketplaces import listings, orders, sync
from integrations.marketplaces.exports import export_catalog
from integrations.marketplaces.models import (
    FILE_MARKETPLACES,
    Marketplace,
    MarketplaceAccount,
    VariantMapping,
)

DEMO_PRODUCERS = ("hkd-nguyen-van-dung", "hkd-quang-minh", "toan-xuan")
# A listing of the first producer's Shopee shop that is none of our variants.
COMBO = ("COMBO-DAU-TET", "Combo quà Tết dầu lạc và dầu vừng")
# On the first producer's Lazada shop this variant was listed under another seller SKU.
TYPED_OTHERWISE = ("ANNHIEN-DAULAC-1L", "DAULAC-1L")
# The second producer's Shopee shop maps this variant by hand to an item Shopee does not have.
UNKNOWN_ITEM = ("QUANGMINH-SATE-200G", "7999999", "7999998")
TIKI_ORDER = ("ANNHIEN-DAUVUNG-250ML", 2)
DRIFT = ("lazada", "QUANGMINH-TUONGOT-250ML", 3)  # the seller typed 3 on Lazada by hand


def ensure_demo_marketplaces(channel) -> list[MarketplaceAccount]:
    # The local marketplaces are test servers: only the demo and the sandbox import them.
    from tests.marketplace_servers.world import (
        DEMO_SUFFIX,
        MARKETPLACES,
        SANDBOX_PORTS,
        MarketplaceWorld,
    )

    if MarketplaceAccount.objects.filter(name__endswith=DEMO_SUFFIX).exists():
        return []
    producers = list(Producer.objects.filter(slug__in=DEMO_PRODUCERS).order_by("slug"))
    accounts = []
    for index, producer in enumerate(producers):
        # A local marketplace has one seller shop: a world per producer, each with its own
        # item ids, so the sandbox can list every producer's SKUs on one server later.
        ids = count(7_000_001 + index * 10_000)
        with MarketplaceWorld() as world:
            shops = {}
            for marketplace in MARKETPLACES:
                fields = world.account_fields(marketplace)
                account = _account(producer, marketplace, channel, **fields)
                shops[marketplace] = account
                _list_variants(world, account, producer, ids)
            _run_sync(world, producer, shops)
            accounts.extend(shops.values())
    for account in accounts:
        account.api_url = MarketplaceWorld.api_url(
            account.marketplace, f"http://127.0.0.1:{SANDBOX_PORTS[account.marketplace]}"
        )
        account.enabled = False
        account.save(update_fields=["api_url", "enabled"])
    for producer in producers:
        for marketplace in sorted(FILE_MARKETPLACES):
            account = _account(producer, marketplace, channel)
            export_catalog(account)
            accounts.append(account)
    return accounts


def _account(producer, marketplace, channel, **fields) -> MarketplaceAccount:
    from tests.marketplace_servers.world import DEMO_SUFFIX

    label = Marketplace(marketplace).label
    return MarketplaceAccount.objects.create(
        producer=producer,
        marketplace=marketplace,
        name=f"{producer.name} – {label}{DEMO_SUFFIX}",
        channel=channel,
        **fields,
    )


def _list_variants(world, account, producer, ids) -> None:
    """List the producer's variants on the shop as its seller did, with stale stock (Tiki has
    a product per SKU, the others group a product's SKUs under one item)."""
    items = {}
    variants = listings.variants_of(account).select_related("product").order_by("sku")
    for variant in variants:
        seller_sku = variant.sku
        if account.marketplace == "lazada" and seller_sku == TYPED_OTHERWISE[0]:
            seller_sku = TYPED_OTHERWISE[1]
        elif account.marketplace == "shopee" and seller_sku == UNKNOWN_ITEM[0]:
            continue
        listed = world.list_sku(
            account.marketplace,
            seller_sku,
            name=f"{variant.product.name} {variant.name}".strip(),
            stock=10,
            item_id=items.get(variant.product_id) or next(ids),
            sku_id=next(ids),
        )
        if account.marketplace != "tiki":
            items[variant.product_id] = listed.item_id
    if account.marketplace == "shopee" and producer.slug == DEMO_PRODUCERS[0]:
        world.list_sku(
            "shopee",
            COMBO[0],
            name=COMBO[1],
            stock=12,
            price=250_000,
            item_id=next(ids),
            sku_id=next(ids),
        )


def _run_sync(world, producer, shops) -> None:
    from tests.marketplace_servers.world import Listed

    api_accounts = list(shops.values())
    for account in api_accounts:
        listings.reconcile(account)  # reads the listing and matches by SKU
    if producer.slug == DEMO_PRODUCERS[1]:
        hand_mapped = shops["shopee"]
        variant = listings.variants_of(hand_mapped).get(sku=UNKNOWN_ITEM[0])
        VariantMapping.objects.create(
            account=hand_mapped,
            variant=variant,
            item_id=UNKNOWN_ITEM[1],
            sku_id=UNKNOWN_ITEM[2],
            seller_sku=variant.sku,
        )
    _push(api_accounts)
    for account in api_accounts:
        sync.push_prices(account)

    if producer.slug == DEMO_PRODUCERS[1]:
        marketplace, sku, typed = DRIFT
        drifted = shops[marketplace]
        mapping = VariantMapping.objects.get(account=drifted, variant__sku=sku)
        world.list_sku(
            marketplace, sku, stock=typed, item_id=mapping.item_id, sku_id=mapping.sku_id
        )
        listings.reconcile(drifted)

    if producer.slug == DEMO_PRODUCERS[0]:
        tiki = shops["tiki"]
        sku, quantity = TIKI_ORDER
        mapping = VariantMapping.objects.get(account=tiki, variant__sku=sku)
        listed = Listed(mapping.item_id, mapping.sku_id, mapping.warehouse_id)
        world.place_order("tiki", listed, quantity)
        orders.poll_orders(tiki)
    _push(api_accounts)  # the drift repaired, the order's units off every other shop
    for account in api_accounts:
        listings.reconcile(account)  # the last check finds every shop in line with us


def _push(accounts) -> None:
    sync.collect_stock_changes()
    for account in accounts:
        sync.push_stock(account)
