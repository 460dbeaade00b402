"""The sync engine on PostgreSQL against a local Shopee over real HTTP: stock changes go out as
the absolute available quantity minus the buffer, coalesced per SKU; failures back off and
park; a dead worker loses nothing; marketplace orders hold, ship and free our stock once."""

import pytest
from django.utils import timezone

from backend.warehouse.models import Reservation, Stock
from backend.warehouse.services import set_stock_quantities
from integrations.marketplaces import orders, sync
from integrations.marketplaces.base import OrderState, RemoteOrder, RemoteOrderLine
from integrations.marketplaces.models import (
    Marketplace,
    MarketplaceAccount,
    MarketplaceOrder,
    SyncStatus,
    VariantMapping,
)
from tests.marketplace_servers.shopee_server import ShopeeServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopee():
    server = ShopeeServer().start()
    server.add_item(9001, (0,))
    yield server
    server.stop()


@pytest.fixture
def account(shopee, producer_a, channel_vn):
    access, refresh = shopee.issue_tokens()
    account = MarketplaceAccount.objects.create(
        producer=producer_a.producer,
        marketplace=Marketplace.SHOPEE,
        name="Shopee Tân Cương",
        channel=channel_vn,
        shop_id=shopee.shop_id,
        app_key=shopee.partner_id,
        app_secret=shopee.partner_key,
        access_token=access,
        refresh_token=refresh,
        api_url=shopee.url,
        safety_buffer=2,
    )
    VariantMapping.objects.create(
        account=account, variant=producer_a.variant, item_id="9001", sku_id="", seller_sku="x"
    )
    return account


def set_stock(cast, quantity):
    set_stock_quantities(cast.variant, [(cast.warehouse, quantity)])
    sync.collect_stock_changes()


def test_a_stock_change_reaches_shopee_as_available_minus_the_buffer(account, shopee, producer_a):
    set_stock(producer_a, 15)
    assert sync.push_stock(account) == 1
    assert shopee.stock[(9001, 0)] == 13
    mapping = VariantMapping.objects.get()
    assert (mapping.pushed_quantity, mapping.stock_status) == (13, SyncStatus.SYNCED)
    assert sync.push_stock(account) == 0  # nothing due any more


def test_credentials_are_stored_encrypted(account, shopee):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app_secret, access_token FROM marketplaces_marketplaceaccount WHERE id = %s",
            [account.pk],
        )
        secret, token = cursor.fetchone()
    assert shopee.partner_key not in secret and token != account.access_token
    assert MarketplaceAccount.objects.get().app_secret == shopee.partner_key


def test_a_burst_of_changes_is_one_push_of_the_final_value(account, shopee, producer_a):
    for quantity in range(1, 201):
        set_stock_quantities(producer_a.variant, [(producer_a.warehouse, quantity)])
    sync.collect_stock_changes()
    sync.push_stock(account)
    assert shopee.stock[(9001, 0)] == 198
    assert len(shopee.stock_calls) == 1


def test_an_unknown_item_is_parked_with_shopees_message_and_retried_on_request(
    account, shopee, producer_a
):
    VariantMapping.objects.update(item_id="404")
    set_stock(producer_a, 5)
    sync.push_stock(account)
    mapping = VariantMapping.objects.get()
    assert mapping.stock_status == SyncStatus.PARKED
    assert "error_item_not_found" in mapping.last_error
    VariantMapping.objects.update(item_id="9001")
    assert sync.retry_parked(VariantMapping.objects.all()) == 1
    sync.push_stock(account)
    assert shopee.stock[(9001, 0)] == 3


def test_server_errors_back_off_then_park(account, shopee, producer_a, settings):
    settings.MARKETPLACE_MAX_ATTEMPTS = 2
    shopee.fail_share = 1.0
    set_stock(producer_a, 5)
    sync.push_stock(account)
    mapping = VariantMapping.objects.get()
    assert mapping.stock_status == SyncStatus.RETRYING and mapping.next_attempt_at > timezone.now()
    assert sync.push_stock(account) == 0  # backing off: not due yet
    VariantMapping.objects.update(next_attempt_at=timezone.now())
    sync.push_stock(account)
    assert VariantMapping.objects.get().stock_status == SyncStatus.PARKED


def remote(order_id, state, updated_at, quantity=3, status="READY_TO_SHIP"):
    return RemoteOrder(
        order_id, status, state, updated_at, (RemoteOrderLine("9001", "", "x", quantity),)
    )


def test_a_marketplace_order_holds_ships_and_is_applied_once(account, producer_a):
    orders.apply_order(account, remote("SN1", OrderState.OPEN, 100))
    orders.apply_order(account, remote("SN1", OrderState.OPEN, 100))  # the same news again
    assert Reservation.objects.get().quantity_reserved == 3
    orders.apply_order(account, remote("SN1", OrderState.SHIPPED, 200, status="SHIPPED"))
    orders.apply_order(account, remote("SN1", OrderState.OPEN, 150))  # late, older news
    stock = Stock.objects.get(product_variant=producer_a.variant)
    assert (stock.quantity, Reservation.objects.count()) == (17, 0)
    assert MarketplaceOrder.objects.get().state == OrderState.SHIPPED


def test_a_cancelled_marketplace_order_frees_its_units(account, producer_a, shopee):
    orders.apply_order(account, remote("SN2", OrderState.OPEN, 100))
    sync.collect_stock_changes()
    sync.push_stock(account)
    assert shopee.stock[(9001, 0)] == 20 - 3 - 2
    orders.apply_order(account, remote("SN2", OrderState.CANCELLED, 300, status="CANCELLED"))
    sync.collect_stock_changes()
    sync.push_stock(account)
    assert shopee.stock[(9001, 0)] == 18
    assert Stock.objects.get(product_variant=producer_a.variant).quantity == 20
