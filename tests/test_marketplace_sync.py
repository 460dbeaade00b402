"""One stock truth across the shop and the four marketplaces, end to end over real HTTP against
the local Shopee, Lazada, TikTok Shop and Tiki: a shop order lowers the stock on all four; an
order on one (by signed webhook, or by polling for Tiki) lowers ours and the others'; prices
follow; tokens are refreshed; rate limits hold."""

import pytest
from django.urls import reverse

from backend.checkout.complete_checkout import complete_checkout
from backend.checkout.models import Checkout, CheckoutLine
from backend.warehouse.availability import available_quantities
from backend.warehouse.services import set_stock_quantities
from integrations.marketplaces import tasks
from integrations.marketplaces.models import MarketplaceAccount, MarketplaceOrder, VariantMapping
from tests.fixtures.marketplaces import connect_account, map_variant
from tests.marketplace_servers.world import MARKETPLACES, MarketplaceWorld

pytestmark = pytest.mark.django_db


def sync_now():
    """What the triggers and the beat sweep do, run in process (tasks are eager in tests)."""
    tasks.sweep()


def test_a_shop_order_lowers_the_stock_on_all_four(
    connected_shops, producer_a, channel_vn, vn_address, shipping_zones
):
    sync_now()  # first push: the mappings are new
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 20)

    checkout = Checkout.objects.create(
        channel=channel_vn,
        currency="VND",
        email="khach@example.com",
        shipping_address=vn_address,
        billing_address=vn_address,
        shipping_method=shipping_zones["standard"],
    )
    CheckoutLine.objects.create(checkout=checkout, variant=producer_a.variant, quantity=3)
    complete_checkout(checkout)
    sync_now()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 17)


def test_the_safety_buffer_is_kept_back_and_never_below_zero(connected_shops, producer_a):
    MarketplaceAccount.objects.filter(marketplace="lazada").update(safety_buffer=5)
    MarketplaceAccount.objects.filter(marketplace="tiki").update(safety_buffer=50)
    sync_now()
    stock = connected_shops.stock_everywhere()
    assert (stock["shopee"], stock["lazada"], stock["tiki"]) == (20, 15, 0)


@pytest.mark.parametrize("marketplace", ["shopee", "lazada", "tiktok"])
def test_an_order_pushed_by_a_marketplace_lowers_ours_and_the_others(
    connected_shops, producer_a, channel_vn, client, settings, marketplace
):
    sync_now()
    world, account = connected_shops.world, connected_shops.accounts[marketplace]
    order_id = world.place_order(marketplace, connected_shops.listed[marketplace], 4)
    path = reverse("marketplace-webhook", args=[account.pk, marketplace])
    body, headers = world.order_push(marketplace, settings.PUBLIC_URL + path, order_id)

    answer = client.post(path, body, content_type="application/json", headers=headers)
    again = client.post(path, body, content_type="application/json", headers=headers)

    assert (answer.status_code, again.status_code) == (200, 200)
    assert MarketplaceOrder.objects.get(account=account).order_id == order_id
    assert available_quantities([producer_a.variant.pk], channel_vn)[producer_a.variant.pk] == 16
    sync_now()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 16)


def test_a_forged_order_push_is_refused_and_changes_nothing(
    connected_shops, producer_a, channel_vn, client, settings
):
    world, account = connected_shops.world, connected_shops.accounts["shopee"]
    order_id = world.place_order("shopee", connected_shops.listed["shopee"], 4)
    path = reverse("marketplace-webhook", args=[account.pk, "shopee"])
    body, headers = world.order_push("shopee", settings.PUBLIC_URL + path, order_id)
    forged = body.replace(order_id.encode(), b"999999")

    answer = client.post(path, forged, content_type="application/json", headers=headers)

    assert answer.status_code == 403
    assert not MarketplaceOrder.objects.exists()
    assert available_quantities([producer_a.variant.pk], channel_vn)[producer_a.variant.pk] == 20


def test_tiki_orders_come_in_by_polling_and_a_cancellation_frees_them(
    connected_shops, producer_a, channel_vn
):
    sync_now()
    tiki = connected_shops.world.servers["tiki"]
    code = connected_shops.world.place_order("tiki", connected_shops.listed["tiki"], 2)
    tasks.poll_orders()
    assert available_quantities([producer_a.variant.pk], channel_vn)[producer_a.variant.pk] == 18
    sync_now()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 18)

    tiki.set_order_status(code, "canceled")
    MarketplaceAccount.objects.update(orders_synced_until=0)
    tasks.poll_orders()
    sync_now()
    assert MarketplaceOrder.objects.get().state == "cancelled"
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 20)


def test_a_price_change_reaches_every_marketplace(connected_shops, producer_a, channel_vn):
    listing = producer_a.variant.channel_listings.get(channel=channel_vn)
    listing.price_amount = 135_000
    listing.save()
    sync_now()
    world = connected_shops.world
    assert {name: world.price(name, connected_shops.listed[name]) for name in MARKETPLACES} == (
        dict.fromkeys(MARKETPLACES, 135_000)
    )
    assert set(VariantMapping.objects.values_list("pushed_price", flat=True)) == {135_000}


def test_expired_tokens_are_refreshed_and_the_new_pair_kept(connected_shops, producer_a):
    MarketplaceAccount.objects.update(access_expires_at=1)  # long expired: refresh first
    before = {a.marketplace: a.refresh_token for a in MarketplaceAccount.objects.all()}
    sync_now()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 20)
    after = {a.marketplace: a.refresh_token for a in MarketplaceAccount.objects.all()}
    assert all(after[name] != before[name] for name in MARKETPLACES)
    # Shopee's refresh tokens work once: the kept one is the new one, and it still works.
    MarketplaceAccount.objects.update(access_expires_at=1)
    set_stock_quantities(producer_a.variant, [(producer_a.warehouse, 9)])
    sync_now()
    assert connected_shops.stock_everywhere()["shopee"] == 9


def test_rate_limits_are_never_exceeded(producer_a, channel_vn, product_type):
    limits = dict.fromkeys(MARKETPLACES, 4)
    with MarketplaceWorld(rate_limits=limits) as world:
        variants = [producer_a.variant]
        product = producer_a.product
        for index in range(1, 12):
            variants.append(product.variants.create(sku=f"tan-cuong-{index}", name=f"Gói {index}"))
        for variant in variants:
            set_stock_quantities(variant, [(producer_a.warehouse, 30)])
        for name in MARKETPLACES:
            account = connect_account(
                world, name, producer_a.producer, channel_vn, calls_per_second=4
            )
            for variant in variants:
                # One SKU per item: Shopee and TikTok then need a call per SKU.
                map_variant(account, variant, world.list_sku(name, variant.sku, stock=0))
        sync_now()
        sync_now()  # a second session right after the first must wait for the window too
        assert world.throttled() == dict.fromkeys(MARKETPLACES, 0)
        assert VariantMapping.objects.filter(pushed_quantity=30).count() == 4 * len(variants)
