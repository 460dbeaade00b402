"""The Shopee adapter's prices, SKU listing, orders and order pushes against a local Shopee Open
Platform v2 over real HTTP."""

import hashlib
import hmac
import time
from dataclasses import replace

import pytest
from requests.structures import CaseInsensitiveDict

from integrations.marketplaces.base import (
    OrderState,
    PricePush,
    RateLimiter,
    RemoteOrderLine,
    RemoteSku,
    StockPush,
    WebhookRejected,
)
from tests.marketplace_servers.shopee_server import ShopeeServer
from tests.test_marketplace_shopee import PARTNER_ID, PARTNER_KEY, SHOP_ID, adapter_for

CALLBACK_URL = "https://ocop.example.vn/marketplaces/shopee/push"
DAY = 24 * 3600


@pytest.fixture
def make_server():
    servers = []

    def make(**kwargs):
        server = ShopeeServer(
            partner_id=PARTNER_ID, partner_key=PARTNER_KEY, shop_id=SHOP_ID, **kwargs
        )
        servers.append(server.start())
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server):
    return make_server()


def price(item, model, amount):
    return PricePush(str(item), str(model) if model else "", f"SKU-{item}-{model}", amount)


def calls_to(server, path):
    return [error for called, error in server.calls if called == path]


# --- prices ------------------------------------------------------------------------------------
def test_prices_land_per_item_in_calls_of_at_most_fifty_models(server):
    server.add_item(1001, range(1, 121), price=90_000)  # 120 models: 3 calls
    server.add_item(1002, price=45_000)  # no variants: model 0
    pushes = [price(1001, m, 100_000 + m * 1_000) for m in range(1, 121)]
    pushes.append(price(1002, 0, 125_000))

    results = adapter_for(server).push_prices(pushes)

    assert [r.ok for r in results] == [True] * 121
    assert sorted(len(call["price_list"]) for call in server.price_calls) == [1, 20, 50, 50]
    assert server.prices[(1001, 1)] == 101_000 and server.prices[(1001, 120)] == 220_000
    assert server.prices[(1002, 0)] == 125_000


def test_a_price_that_is_not_a_positive_amount_fails_alone_with_shopees_reason(server):
    server.add_item(1001, [1, 2, 3], price=50_000)
    results = adapter_for(server).push_prices(
        [price(1001, 1, 60_000), price(1001, 2, 0), price(1001, 3, -5)]
    )
    assert [(r.ok, r.retryable) for r in results] == [(True, False), (False, False), (False, False)]
    assert results[1].error == "original_price should be a positive integer for VND."
    assert server.prices == {(1001, 1): 60_000, (1001, 2): 50_000, (1001, 3): 50_000}


def test_a_price_push_with_a_wrong_partner_key_is_shopees_signature_error(server):
    server.add_item(1001, [1], price=50_000)
    [result] = adapter_for(server, key="not-the-partner-key").push_prices([price(1001, 1, 1)])
    assert (result.ok, result.retryable, result.error) == (False, False, "error_sign: Wrong sign.")
    assert server.prices == {(1001, 1): 50_000}


def test_the_server_refuses_more_than_fifty_prices_in_a_call(server):
    server.add_item(1001, range(1, 52))
    adapter = adapter_for(server)
    adapter.settings = replace(adapter.settings, batch_size=51)
    results = adapter.push_prices([price(1001, m, 1_000) for m in range(1, 52)])
    assert {(r.ok, r.retryable) for r in results} == {(False, False)}
    assert results[0].error == "error_param: price_list length should be 1 to 50."
    assert server.prices == {}


def test_a_price_run_stays_within_shopees_rate_limit(make_server):
    server = make_server(rate_limit=10)
    for item in range(14):
        server.add_item(item, price=1_000)
    adapter = adapter_for(server, limiter=RateLimiter(9.5))
    results = adapter.push_prices([price(item, 0, 2_000 + item) for item in range(14)])
    assert [r.ok for r in results] == [True] * 14
    assert server.throttled == 0
    assert server.prices[(13, 0)] == 2_013


# --- the shop's SKUs ---------------------------------------------------------------------------
def test_the_listing_pages_through_every_item_and_model_with_stock_and_price(make_server):
    server = make_server(page_size_cap=2)
    server.add_item(1, seller_sku="MAT-ONG-500", name="Mật ong rừng", stock=12, price=185_000)
    server.add_item(
        2, [11, 12], seller_sku="TRA-SHAN", name="Trà Shan tuyết", stock=5, price={11: 9, 12: 10}
    )
    server.add_item(3, seller_sku="NUOC-MAM", name="Nước mắm", stock=0, price=70_000)
    server.add_item(4, seller_sku="AN-DI", name="Hết bán", stock=3, price=1_000, status="UNLIST")
    server.add_item(5, seller_sku="BANNED", name="Bị khoá", stock=1, price=1_000, status="BANNED")
    adapter = adapter_for(server)
    # Stock in two locations shows as its sum.
    adapter.push_stock(
        [
            StockPush("2", "12", "TRA-SHAN-12", 4, "VN-HN"),
            StockPush("2", "12", "TRA-SHAN-12", 6, "VN-HCM"),
        ]
    )

    skus = adapter.list_skus()

    assert sorted(skus, key=lambda sku: (sku.item_id, sku.sku_id)) == [
        RemoteSku("1", "", "MAT-ONG-500", "Mật ong rừng", 12, 185_000),
        RemoteSku("2", "11", "TRA-SHAN-11", "Trà Shan tuyết — Variant 11", 5, 9),
        RemoteSku("2", "12", "TRA-SHAN-12", "Trà Shan tuyết — Variant 12", 10, 10),
        RemoteSku("3", "", "NUOC-MAM", "Nước mắm", 0, 70_000),
        RemoteSku("4", "", "AN-DI", "Hết bán", 3, 1_000),
    ]
    assert len(calls_to(server, "/api/v2/product/get_item_list")) == 2  # 4 items, 2 a page
    assert calls_to(server, "/api/v2/product/get_model_list") == [""]  # item 2 only


def test_the_listing_reads_item_details_fifty_at_a_time_within_the_rate_limit(make_server):
    server = make_server(rate_limit=10, page_size_cap=40)
    for item in range(1, 61):
        server.add_item(item, seller_sku=f"SKU-{item}", stock=item, price=1_000 * item)
    for item in range(61, 69):
        server.add_item(item, [1, 2], seller_sku=f"SKU-{item}", stock=1, price=5_000)
    adapter = adapter_for(server, limiter=RateLimiter(9.5))

    skus = adapter.list_skus()

    assert len(skus) == 60 + 16
    assert {sku.seller_sku for sku in skus} >= {"SKU-1", "SKU-60", "SKU-61-1", "SKU-68-2"}
    assert [s.quantity for s in skus if s.item_id == "60"] == [60]
    assert len(calls_to(server, "/api/v2/product/get_item_list")) == 2
    assert len(calls_to(server, "/api/v2/product/get_item_base_info")) == 2  # 68 ids: 50 + 18
    assert len(calls_to(server, "/api/v2/product/get_model_list")) == 8
    assert server.throttled == 0  # 12 calls: more than a second's worth


def test_an_expired_token_is_refreshed_once_while_listing(server):
    server.add_item(1, seller_sku="A", stock=2, price=3_000)
    adapter = adapter_for(server, access_ttl=-1)
    assert [sku.seller_sku for sku in adapter.list_skus()] == ["A"]
    assert server.calls[:2] == [
        ("/api/v2/product/get_item_list", "error_auth"),
        ("/api/v2/auth/access_token/get", ""),
    ]


# --- orders ------------------------------------------------------------------------------------
def shop_with_orders(server):
    server.add_item(1, seller_sku="MAT-ONG", stock=100)
    server.add_item(2, [21, 22], seller_sku="TRA", stock=50)
    now = int(time.time())
    orders = {
        "old": server.place_order([(1, 0, 1)], updated_at=now - 25 * DAY),
        "unpaid": server.place_order([(1, 0, 2)], status="UNPAID"),
        "ready": server.place_order([(1, 0, 3), (2, 22, 4)]),
        "asked_to_cancel": server.place_order([(2, 21, 1)], status="IN_CANCEL"),
        "shipped": server.place_order([(2, 21, 2)], status="SHIPPED"),
        "completed": server.place_order([(1, 0, 1)], updated_at=now - 18 * DAY),
        "cancelled": server.place_order([(2, 22, 5)]),
    }
    server.set_order_status(orders["completed"], "COMPLETED", updated_at=now - 17 * DAY)
    server.set_order_status(orders["cancelled"], "CANCELLED")
    return orders


def test_orders_since_a_time_come_with_their_lines_and_states(make_server):
    server = make_server(page_size_cap=2)
    orders = shop_with_orders(server)
    assert server.stock == {(1, 0): 93, (2, 21): 47, (2, 22): 46}  # the cancelled 5 came back

    found = adapter_for(server).orders_updated_since(int(time.time()) - 20 * DAY)

    by_id = {order.order_id: order for order in found}
    assert set(by_id) == set(orders.values()) - {orders["old"]}
    states = {name: by_id[sn].state for name, sn in orders.items() if sn in by_id}
    assert states == {
        "unpaid": OrderState.OPEN,
        "ready": OrderState.OPEN,
        "asked_to_cancel": OrderState.OPEN,
        "shipped": OrderState.SHIPPED,
        "completed": OrderState.SHIPPED,
        "cancelled": OrderState.CANCELLED,
    }
    ready = by_id[orders["ready"]]
    assert ready.status == "READY_TO_SHIP"
    assert ready.lines == (
        RemoteOrderLine("1", "", "MAT-ONG", 3),
        RemoteOrderLine("2", "22", "TRA-22", 4),
    )
    assert abs(ready.updated_at - time.time()) < 60
    assert (
        by_id[orders["completed"]].updated_at == server.orders[orders["completed"]]["update_time"]
    )
    # 20 days are two of Shopee's 15-day windows; pages of 2 over 1 + 5 orders.
    assert len(calls_to(server, "/api/v2/order/get_order_list")) == 1 + 3
    assert calls_to(server, "/api/v2/order/get_order_detail") == [""]


def test_order_details_are_read_fifty_at_a_time(make_server):
    server = make_server()
    server.add_item(1, seller_sku="MAT-ONG", stock=100)
    order_sns = [server.place_order([(1, 0, 1)]) for _ in range(55)]
    found = adapter_for(server).orders_updated_since(int(time.time()) - 60)
    assert sorted(order.order_id for order in found) == sorted(order_sns)
    assert len(calls_to(server, "/api/v2/order/get_order_detail")) == 2


def test_orders_named_by_id_are_read_and_unknown_ones_left_out(server):
    server.add_item(1, seller_sku="MAT-ONG", stock=10)
    order_sn = server.place_order([(1, 0, 2)], status="UNPAID")
    server.set_order_status(order_sn, "SHIPPED")
    [order] = adapter_for(server).orders([order_sn, "NO-SUCH-ORDER"])
    assert (order.order_id, order.status, order.state) == (order_sn, "SHIPPED", "shipped")
    assert order.lines == (RemoteOrderLine("1", "", "MAT-ONG", 2),)


# --- order pushes ------------------------------------------------------------------------------
@pytest.fixture
def pushed(server):
    server.add_item(1, seller_sku="MAT-ONG", stock=10)
    order_sn = server.place_order([(1, 0, 2)])
    body, headers = server.signed_order_push(CALLBACK_URL, order_sn)
    return order_sn, body, headers


def test_a_signed_order_push_names_its_order(server, pushed):
    order_sn, body, headers = pushed
    lower_case = CaseInsensitiveDict({"authorization": headers["Authorization"]})
    adapter = adapter_for(server)
    assert adapter.webhook_order_ids(body, lower_case, CALLBACK_URL) == [order_sn]
    [order] = adapter.orders(adapter.webhook_order_ids(body, lower_case, CALLBACK_URL))
    assert order.lines == (RemoteOrderLine("1", "", "MAT-ONG", 2),)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, headers: (body.replace(b'"code": 3', b'"code": 4'), headers),
        lambda body, headers: (body, {}),
        lambda body, headers: (body, {"Authorization": "0" * 64}),
    ],
    ids=["tampered body", "no signature", "wrong signature"],
)
def test_a_push_that_fails_its_signature_is_rejected(server, pushed, tamper):
    _, body, headers = pushed
    body, headers = tamper(body, headers)
    with pytest.raises(WebhookRejected):
        adapter_for(server).webhook_order_ids(body, CaseInsensitiveDict(headers), CALLBACK_URL)


def test_a_push_checked_with_another_partner_key_or_url_is_rejected(server, pushed):
    _, body, headers = pushed
    headers = CaseInsensitiveDict(headers)
    with pytest.raises(WebhookRejected):
        adapter_for(server, key="another-key").webhook_order_ids(body, headers, CALLBACK_URL)
    with pytest.raises(WebhookRejected):
        adapter_for(server).webhook_order_ids(body, headers, CALLBACK_URL + "/")


def test_a_signed_push_that_is_not_json_is_rejected(server):
    body = b"not json"
    message = CALLBACK_URL.encode() + b"|" + body
    signature = hmac.new(PARTNER_KEY.encode(), message, hashlib.sha256).hexdigest()
    with pytest.raises(WebhookRejected):
        adapter_for(server).webhook_order_ids(
            body, CaseInsensitiveDict({"Authorization": signature}), CALLBACK_URL
        )


@pytest.mark.parametrize(
    "payload",
    [
        {
            "shop_id": int(SHOP_ID),
            "code": 4,  # a tracking number, not a status change
            "timestamp": 1,
            "data": {"ordersn": "2512060001SHP", "tracking_no": "SPXVN0123"},
        },
        {"shop_id": 99999, "code": 3, "timestamp": 1, "data": {"ordersn": "X", "status": "A"}},
    ],
    ids=["not an order push", "another shop's order"],
)
def test_pushes_that_name_none_of_this_shops_orders_give_no_ids(server, payload):
    body, signature = server.signed_push(CALLBACK_URL, payload)
    headers = CaseInsensitiveDict({"Authorization": signature})
    assert adapter_for(server).webhook_order_ids(body, headers, CALLBACK_URL) == []
