"""The Lazada adapter's prices, SKU listing, orders and order pushes against the local Lazada
Open Platform (tests/marketplace_servers/lazada_server.py) over real HTTP."""

import pytest
from requests.structures import CaseInsensitiveDict

from integrations.marketplaces import lazada
from integrations.marketplaces.base import (
    OrderState,
    PricePush,
    RemoteOrderLine,
    RemoteSku,
    StockPush,
    WebhookRejected,
)
from integrations.marketplaces.lazada import (
    ORDER_ITEMS_PATH,
    ORDERS_PATH,
    PRICE_PATH,
    PRODUCTS_PATH,
)
from tests.marketplace_servers.lazada_server import LazadaServer
from tests.test_marketplace_lazada import adapter_for

CALLBACK = "https://ocop.example/marketplaces/lazada/push"


@pytest.fixture
def server():
    with LazadaServer(rate_limit=1000) as running:
        yield running


def prices(count, item="9001"):
    return [PricePush(item, f"{i}", f"SKU-{i}", 125_000 + i * 1000) for i in range(count)]


def test_prices_land_in_whole_vnd_and_a_bad_price_fails_alone(server):
    batch = [*prices(3), PricePush("9001", "9", "SKU-9", 0)]
    results = adapter_for(server).push_prices(batch)
    assert [r.ok for r in results] == [True, True, True, False]
    assert results[3].error == "E501: Price must be a positive whole number of VND"
    assert not results[3].retryable
    assert server.prices == {("9001", "0"): 125_000, ("9001", "1"): 126_000, ("9001", "2"): 127_000}
    assert server.stock == {}  # a price push leaves the stock alone


def test_a_wrong_secret_gets_lazadas_signature_error_for_prices(server):
    results = adapter_for(server, secret="not-the-secret").push_prices(prices(2))
    assert [(r.ok, r.retryable) for r in results] == [(False, False), (False, False)]
    assert results[0].error.startswith("IncompleteSignature: ")
    assert server.prices == {}


def test_prices_past_fifty_skus_are_split(server):
    results = adapter_for(server, batch_size=80).push_prices(prices(120))
    assert all(r.ok for r in results) and len(server.prices) == 120
    assert len(server.calls_to(PRICE_PATH)) == 3  # 50 + 50 + 20


def test_a_price_run_stays_within_the_sellers_rate_limit(server):
    server.rate_limit = 10
    results = adapter_for(server, batch_size=1, rate=10).push_prices(prices(25))
    assert all(r.ok for r in results)
    assert server.throttled == 0
    assert server.most_calls_in_a_second("200001") == 10


def test_the_listing_pages_through_every_sku_with_its_stock_and_price(server):
    server.page_size, server.rate_limit = 2, 2
    for item in range(1, 6):
        server.add_item(
            f"{item}00", "1", f"CHE-{item}", f"Chè Thái Nguyên {item}", 10 * item, 90_000
        )
    server.add_item("500", "2", "CHE-5-L", "Chè Thái Nguyên 5", 3, 150_000)
    server.add_item("600", "7", "MAM-TOM", "Mắm tôm", 0)
    # Lazada shows a multi-warehouse SKU's stock per warehouse: the listing gives their sum.
    adapter = adapter_for(server, rate=2)
    adapter.push_stock([StockPush("600", "7", "MAM-TOM", 4, warehouse_id="hn")])
    adapter.push_stock([StockPush("600", "7", "MAM-TOM", 5, warehouse_id="hcm")])

    skus = adapter.list_skus()

    assert len(server.calls_to(PRODUCTS_PATH)) == 3  # 6 products, 2 a page
    assert server.throttled == 0
    by_seller_sku = {sku.seller_sku: sku for sku in skus}
    assert sorted(by_seller_sku) == [
        "CHE-1",
        "CHE-2",
        "CHE-3",
        "CHE-4",
        "CHE-5",
        "CHE-5-L",
        "MAM-TOM",
    ]
    assert by_seller_sku["CHE-5-L"] == RemoteSku(
        "500", "2", "CHE-5-L", "Chè Thái Nguyên 5", 3, 150_000
    )
    assert (by_seller_sku["CHE-3"].quantity, by_seller_sku["CHE-3"].price) == (30, 90_000)
    assert (by_seller_sku["MAM-TOM"].quantity, by_seller_sku["MAM-TOM"].price) == (9, None)


def test_orders_since_a_time_come_with_their_lines_and_states(server, monkeypatch):
    server.page_size, server.max_order_ids = 2, 2
    monkeypatch.setattr(lazada, "ORDER_IDS_PER_CALL", 2)
    server.add_item("100", "1", "CHE-1", "Chè", 20)
    server.add_item("200", "5", "MAM-TOM", "Mắm tôm", 10)
    server.place_order([("100", "1", 1)])  # before `since`: not asked for
    server.advance(60)
    since = int(server.now())
    pending = server.place_order([("100", "1", 2), ("200", "5", 1)])
    unpaid = server.place_order([("200", "5", 3)], status="unpaid")
    shipped = server.place_order([("100", "1", 1)], status="ready_to_ship")
    cancelled = server.place_order([("200", "5", 2)])
    failed = server.place_order([("100", "1", 1)], status="shipped")
    server.advance(30)
    server.set_order_status(shipped, "shipped")
    server.set_order_status(cancelled, "canceled")
    server.set_order_status(failed, "failed")
    assert server.stock == {("100", "1"): 20 - 1 - 2 - 1 - 1, ("200", "5"): 10 - 1 - 3}

    orders = {order.order_id: order for order in adapter_for(server).orders_updated_since(since)}

    assert sorted(orders) == sorted([pending, unpaid, shipped, cancelled, failed])
    assert len(server.calls_to(ORDERS_PATH)) == 3  # 5 orders, 2 a page
    assert len(server.calls_to(ORDER_ITEMS_PATH)) == 3  # at most 2 orders a call
    assert orders[pending].lines == (
        RemoteOrderLine("100", "1", "CHE-1", 2),  # Lazada: one order item a unit
        RemoteOrderLine("200", "5", "MAM-TOM", 1),
    )
    assert {order_id: (order.status, order.state) for order_id, order in orders.items()} == {
        pending: ("pending", OrderState.OPEN),
        unpaid: ("unpaid", OrderState.OPEN),
        shipped: ("shipped", OrderState.SHIPPED),
        cancelled: ("canceled", OrderState.CANCELLED),
        failed: ("failed", OrderState.SHIPPED),
    }
    assert orders[cancelled].lines == (RemoteOrderLine("200", "5", "MAM-TOM", 2),)
    assert orders[pending].updated_at == since
    assert orders[shipped].updated_at == since + 30


def test_an_item_cancelled_within_an_order_frees_only_its_units(server):
    server.add_item("100", "1", "CHE-1", "Chè", 20)
    server.add_item("200", "5", "MAM-TOM", "Mắm tôm", 10)
    order_id = server.place_order([("100", "1", 2), ("200", "5", 1)], status="ready_to_ship")
    server.set_order_status(order_id, "canceled", sku=("200", "5"))
    assert server.stock == {("100", "1"): 18, ("200", "5"): 10}

    [order] = adapter_for(server).orders([order_id])

    assert (order.status, order.state) == ("canceled,ready_to_ship", OrderState.OPEN)
    assert order.lines == (RemoteOrderLine("100", "1", "CHE-1", 2),)


def test_a_signed_order_push_names_its_order(server):
    server.add_item("100", "1", "CHE-1", "Chè", 20)
    order_id = server.place_order([("100", "1", 1)])
    body, headers = server.signed_order_push(CALLBACK, order_id)
    # Django's request.headers: any case.
    received = CaseInsensitiveDict({name.lower(): value for name, value in headers.items()})
    assert adapter_for(server).webhook_order_ids(body, received, CALLBACK) == [order_id]


@pytest.mark.parametrize("tamper", ["body", "key", "missing", "not_hex"])
def test_a_tampered_or_unsigned_push_is_rejected(server, tamper):
    server.add_item("100", "1", "CHE-1", "Chè", 20)
    body, headers = server.signed_order_push(CALLBACK, server.place_order([("100", "1", 1)]))
    adapter = adapter_for(server)
    if tamper == "body":
        body = body.replace(b'"pending"', b'"canceled"')
    elif tamper == "key":
        adapter = adapter_for(server, secret="another-secret")
    elif tamper == "missing":
        headers = {}
    else:
        headers = {"Authorization": "é" * 64}
    with pytest.raises(WebhookRejected):
        adapter.webhook_order_ids(body, CaseInsensitiveDict(headers), CALLBACK)


def test_a_push_about_something_else_names_no_order_and_garbage_is_rejected(server):
    adapter = adapter_for(server)
    other = b'{"seller_id":"200001","message_type":3,"data":{"item_id":9001}}'
    assert adapter.webhook_order_ids(other, server.push_headers(other), CALLBACK) == []
    garbage = b"not json"
    with pytest.raises(WebhookRejected):
        adapter.webhook_order_ids(garbage, server.push_headers(garbage), CALLBACK)
