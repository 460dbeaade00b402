"""The demo's marketplace shops: populatedb runs the real sync against the local marketplaces so
the status pages have content, and the sandbox command connects the same shops to running
servers where a stock change reaches all four."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from backend.warehouse.availability import available_quantities
from backend.warehouse.services import set_stock_quantities
from integrations.marketplaces import status, tasks
from integrations.marketplaces.listings import unmatched
from integrations.marketplaces.management.commands.marketplace_sandbox import (
    connect_sandbox,
    marketplace_stock,
)
from integrations.marketplaces.models import (
    CatalogExport,
    MarketplaceAccount,
    MarketplaceOrder,
    ReconciliationRun,
    SyncStatus,
    VariantMapping,
)
from tests.marketplace_servers.world import SANDBOX_PORTS, MarketplaceWorld

pytestmark = pytest.mark.django_db


def _populate():
    call_command("populatedb", stdout=StringIO())


def _counts():
    models = (MarketplaceAccount, VariantMapping, MarketplaceOrder, CatalogExport)
    return {model.__name__: model.objects.count() for model in models} | {
        "runs": ReconciliationRun.objects.count()
    }


def test_populatedb_leaves_marketplace_shops_with_a_real_sync_history():
    _populate()

    accounts = MarketplaceAccount.objects.all()
    assert all(account.name.endswith("(demo)") for account in accounts)
    by_kind = dict(accounts.values_list("marketplace").annotate(n=Count("pk")))
    assert by_kind == dict.fromkeys(["shopee", "lazada", "tiktok", "tiki", "postmart", "voso"], 3)
    api = accounts.exclude(marketplace__in=["postmart", "voso"])
    assert not api.filter(enabled=True).exists()  # no servers now: nothing is pushed
    assert {a.api_url for a in api.filter(marketplace="lazada")} == {"http://127.0.0.1:8602/rest"}
    assert {a.api_url for a in api.filter(marketplace="tiki")} == {
        f"http://127.0.0.1:{SANDBOX_PORTS['tiki']}"
    }

    # Every synced mapping shows what the shop sells now, the Tiki order's units already gone.
    order = MarketplaceOrder.objects.get()
    assert (order.account.marketplace, order.state) == ("tiki", "open")
    assert [line["quantity"] for line in order.lines] == [2]
    mappings = VariantMapping.objects.select_related("account", "variant")
    available = available_quantities({m.variant_id for m in mappings}, order.account.channel_id)
    synced = [m for m in mappings if m.stock_status == SyncStatus.SYNCED]
    assert len(synced) == mappings.count() - 1
    assert all(m.pushed_quantity == available[m.variant_id] for m in synced)

    [parked] = status.problems(VariantMapping.objects.all())
    assert parked.stock_status == SyncStatus.PARKED and parked.account.marketplace == "shopee"
    assert parked.last_error == "error_item_not_found: Item not found."

    leftovers = {listing.seller_sku for account in api for listing in unmatched(account)}
    assert leftovers == {"COMBO-DAU-TET", "DAULAC-1L"}
    drift = ReconciliationRun.objects.filter(drifted__gt=0).get()
    assert drift.drifts[0]["theirs"] == 3 and drift.drifts[0]["ours"] > 3

    files = CatalogExport.objects.select_related("account")
    assert {f.account.marketplace for f in files} == {"postmart", "voso"}
    assert all(f.rows >= 3 and f.xlsx.size and f.csv.size for f in files)

    before = _counts()
    _populate()
    assert _counts() == before


def test_the_sandbox_connects_the_demo_shops_and_a_stock_change_reaches_all_four():
    _populate()
    with MarketplaceWorld() as world:
        accounts = connect_sandbox(world)

        assert len(accounts) == 12
        assert not MarketplaceAccount.objects.filter(
            pk__in=[a.pk for a in accounts], enabled=False
        ).exists()
        variant = (
            VariantMapping.objects.values("variant")
            .annotate(shops=Count("pk"))
            .filter(shops=4)
            .order_by("variant__sku")
            .values_list("variant", flat=True)
            .first()
        )
        mapping = (
            VariantMapping.objects.select_related("variant").filter(variant_id=variant).first()
        )
        channel_id = mapping.account.channel_id
        now = available_quantities([variant], channel_id)[variant]
        assert set(marketplace_stock(world)[mapping.variant.sku].values()) == {now}

        stock = mapping.variant.stocks.select_related("warehouse").first()
        set_stock_quantities(mapping.variant, [(stock.warehouse, stock.quantity - 7)])
        tasks.sweep()

        later = available_quantities([variant], channel_id)[variant]
        assert later == now - 7
        assert marketplace_stock(world)[mapping.variant.sku] == {
            "Shopee": later,
            "Lazada": later,
            "TikTok Shop": later,
            "Tiki": later,
        }
