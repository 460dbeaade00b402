"""The Tiki adapter's prices, SKU listing and order polling against the local Tiki server over
HTTP. Tiki pushes no order events, so polling is how its orders come in."""

import time

import pytest

from integrations.marketplaces.base import (
    OrderState,
    PricePush,
    RemoteOrderLine,
    RemoteSku,
    WebhookRejected,
)
from integrations.marketplaces.tiki import tiki_time
from tests.marketplace_servers.tiki_server import TikiServer
from tests.test_marketplace_tiki import adapter_for

T0 = 1_765_000_000  # a fixed "now" for order times (Unix seconds)


@pytest.fixture
def server():
    with TikiServer(rate_limit=1000, page_size=2) as running:
        yield running


def test_prices_land_in_batches_of_the_setting(server):
    for i in range(120):
        server.add_item(f"OCOP-{i}", price=10_000)
    adapter, _ = adapter_for(server)

    results = adapter.push_prices([PricePush("", "", f"OCOP-{i}", 125_000 + i) for i in range(120)])

    assert all(r.ok for r in results) and len(results) == 120
    assert len(server.calls) == 3  # 50 + 50 + 20 SKUs
    assert server.prices["OCOP-0"] == 125_000 and server.prices["OCOP-119"] == 125_119


def test_a_price_tiki_refuses_fails_alone_with_its_message(server):
    for sku in "ABC":
        server.add_item(sku, price=50_000)
    adapter, _ = adapter_for(server)

    results = adapter.push_prices(
        [PricePush("", "", "A", 60_000), PricePush("", "", "B", 0), PricePush("", "", "Z", 1)]
    )

    assert [r.ok for r in results] == [True, False, False]
    assert results[1].error == "200: price must be a positive integer"
    assert results[2].error == "200: SKU Z not found" and not results[2].retryable
    assert server.prices == {"A": 60_000, "B": 50_000, "C": 50_000}


def test_prices_with_an_expired_token_refresh_once_and_a_bad_client_is_refused(server):
    server.add_item("A", price=50_000)
    access, refresh, _ = server.issue_tokens(access_ttl=-10)
    adapter, stored = adapter_for(server, tokens=(access, refresh, 0))
    [result] = adapter.push_prices([PricePush("", "", "A", 70_000)])
    assert result.ok and server.prices["A"] == 70_000 and len(stored) == 1

    access, refresh, _ = server.issue_tokens(access_ttl=-10)
    adapter, stored = adapter_for(server, secret="wrong", tokens=(access, refresh, 0))
    [result] = adapter.push_prices([PricePush("", "", "A", 80_000)])
    assert not result.ok and not result.retryable and stored == []
    assert result.error == "401: invalid_client: Client authentication failed"
    assert server.prices["A"] == 70_000


def test_the_listing_pages_through_every_sku_with_its_stock_over_all_warehouses(server):
    ids = [
        server.add_item(f"OCOP-{i}", f"Mật ong {i}", stock=i, price=100_000 + i) for i in range(5)
    ]
    server.stock[("OCOP-0", "HCM")] = 7  # a second warehouse
    adapter, _ = adapter_for(server)

    skus = adapter.list_skus()

    assert len(server.calls) == 3  # 2 + 2 + 1 a page
    assert [s.seller_sku for s in skus] == [f"OCOP-{i}" for i in range(5)]
    first = skus[0]
    tiki_sku = server.products[ids[0]]["sku"]
    assert first == RemoteSku(ids[0], tiki_sku, "OCOP-0", "Mật ong 0", 7, 100_000)
    assert skus[4].quantity == 4 and skus[4].price == 100_004


def test_listing_and_price_runs_stay_under_the_servers_rate_limit():
    with TikiServer(rate_limit=3, page_size=1) as server:
        for i in range(5):
            server.add_item(f"S{i}", stock=1, price=1_000)
        adapter, _ = adapter_for(server, rate=2, batch_size=1)
        started = time.monotonic()

        skus = adapter.list_skus()
        results = adapter.push_prices([PricePush("", "", f"S{i}", 2_000 + i) for i in range(5)])

        assert time.monotonic() - started > 3
        assert len(skus) == 5 and all(r.ok for r in results)
        assert server.throttled == 0 and server.max_calls_in_a_second() <= 3
        assert server.prices["S4"] == 2_004


def test_polling_brings_orders_updated_since_a_time_with_lines_and_states(server):
    honey = server.add_item("MAT-ONG", "Mật ong", stock=10)
    tea = server.add_item("TRA-SEN", "Trà sen", stock=5)
    honey_sku, tea_sku = server.products[honey]["sku"], server.products[tea]["sku"]
    old = server.place_order([(honey, honey_sku, 1)], at=T0 - 3600)
    open_ = server.place_order([(honey, honey_sku, 2), (tea, tea_sku, 1)], at=T0)
    shipped = server.place_order([(tea, tea_sku, 1)], at=T0 + 10)
    server.set_order_status(shipped, "handover_to_partner", at=T0 + 20)
    cancelled = server.place_order([(honey, honey_sku, 3)], at=T0 + 30)
    server.set_order_status(cancelled, "canceled", at=T0 + 40)
    assert server.stock[("MAT-ONG", "HN")] == 10 - 1 - 2  # the cancelled order gave its 3 back
    adapter, _ = adapter_for(server)

    orders = {o.order_id: o for o in adapter.orders_updated_since(T0)}

    assert set(orders) == {open_, shipped, cancelled}  # `old` is older; an order at T0 counts
    assert len(server.calls) == 2  # 3 orders, 2 a page
    assert orders[open_].lines == (
        RemoteOrderLine(honey, honey_sku, "MAT-ONG", 2),
        RemoteOrderLine(tea, tea_sku, "TRA-SEN", 1),
    )
    assert (orders[open_].status, orders[open_].state) == ("queueing", OrderState.OPEN)
    assert orders[shipped].state == OrderState.SHIPPED
    assert (orders[cancelled].status, orders[cancelled].state) == ("canceled", OrderState.CANCELLED)
    assert orders[cancelled].updated_at == T0 + 40 and old not in orders


def test_a_status_change_reaches_the_next_poll_as_tiki_pushes_nothing(server):
    honey = server.add_item("MAT-ONG", stock=10)
    sku = server.products[honey]["sku"]
    code = server.place_order([(honey, sku, 2)], at=T0)
    adapter, _ = adapter_for(server)
    [first] = adapter.orders_updated_since(T0)
    server.set_order_status(code, "closed", at=T0 + 60)

    [later] = adapter.orders_updated_since(first.updated_at + 1)

    assert later.state == OrderState.CANCELLED and later.updated_at == T0 + 60
    assert adapter.orders_updated_since(T0 + 61) == []
    with pytest.raises(WebhookRejected):
        adapter.webhook_order_ids(b'{"code": "1"}', {}, "https://ocop.example/hooks/tiki")


def test_order_details_name_the_orders_and_skip_unknown_ones(server):
    honey = server.add_item("MAT-ONG", stock=10)
    sku = server.products[honey]["sku"]
    first = server.place_order([(honey, sku, 1)], at=T0)
    second = server.place_order([(honey, sku, 4)], status="successful_delivery", at=T0 + 5)
    adapter, _ = adapter_for(server)

    orders = adapter.orders([second, "999", first])

    assert [(o.order_id, o.state, o.lines[0].quantity) for o in orders] == [
        (second, OrderState.SHIPPED, 4),
        (first, OrderState.OPEN, 1),
    ]
    assert len(server.calls) == 3  # Tiki's detail call takes one order


def test_tiki_timestamps_are_vietnam_local_time():
    # 1_700_000_000 is 2023-11-14 22:13:20 UTC, seven hours later in Hà Nội.
    assert tiki_time(1_700_000_000) == "2023-11-15 05:13:20"
