"""The TikTok Shop adapter against a local server speaking the 202309 Partner API over HTTP."""

import hashlib
import hmac
import time

import pytest
from requests.structures import CaseInsensitiveDict

from integrations.marketplaces.base import (
    Credentials,
    MarketplaceError,
    OrderState,
    PricePush,
    RateLimiter,
    RemoteOrderLine,
    RemoteSku,
    StockPush,
    WebhookRejected,
)
from integrations.marketplaces.tiktok import TikTokAdapter, default_settings, sign, verify_push
from tests.marketplace_servers.tiktok_server import TikTokServer


@pytest.fixture
def server():
    with TikTokServer(rate_limit=1000) as running:
        yield running


def adapter_for(server, *, secret=None, tokens=None, rate=1000, **settings):
    access, refresh, access_expires, refresh_expires = tokens or server.issue_tokens()
    credentials = Credentials(
        server.app_key,
        secret or server.app_secret,
        access_token=access,
        refresh_token=refresh,
        access_expires_at=access_expires,
        refresh_expires_at=refresh_expires,
        extra={"shop_cipher": server.shop_cipher},
    )
    stored = []
    adapter = TikTokAdapter(
        credentials,
        default_settings(base_url=server.url, auth_url=server.url, **settings),
        on_tokens=stored.append,
        limiter=RateLimiter(rate),
    )
    return adapter, stored


def test_the_signer_matches_the_published_formula_worked_out_by_hand():
    body = '{"skus":[{"id":"S1","inventory":[{"warehouse_id":"W1","quantity":7}]}]}'
    params = {
        "timestamp": "1700000000",
        "app_key": "6abc",
        "shop_cipher": "ROW_x1",
        "sign": "left out",
        "access_token": "left out too",
    }
    path = "/product/202309/products/P1/inventory/update"
    by_hand = (
        "s3cret/product/202309/products/P1/inventory/update"
        "app_key6abcshop_cipherROW_x1timestamp1700000000"
        '{"skus":[{"id":"S1","inventory":[{"warehouse_id":"W1","quantity":7}]}]}s3cret'
    )
    expected = hmac.new(b"s3cret", by_hand.encode(), hashlib.sha256).hexdigest()
    assert sign("s3cret", path, params, body) == expected
    assert sign("s3cret", path, params, body.encode()) == expected


def test_a_push_lands_in_the_stock_per_warehouse_one_call_per_product_and_batch(server):
    server.add_product("P1", [f"S{i}" for i in range(150)])
    server.add_product("P2", ["T1"])
    pushes = [StockPush("P1", f"S{i}", f"OCOP-{i}", i, "W1") for i in range(150)]
    pushes += [StockPush("P2", "T1", "OCOP-T1", 4, "W1"), StockPush("P2", "T1", "OCOP-T1", 9, "W2")]
    adapter, _ = adapter_for(server)

    results = adapter.push_stock(pushes)

    assert all(r.ok for r in results) and len(results) == 152
    assert server.stock[("P1", "S0", "W1")] == 0
    assert server.stock[("P1", "S149", "W1")] == 149
    assert server.stock[("P2", "T1", "W1")] == 4 and server.stock[("P2", "T1", "W2")] == 9
    # 150 SKUs of P1 in 100 + 50; P2's two warehouses of one SKU in one call.
    assert [path.split("/")[4] for path, _ in server.calls] == ["P1", "P1", "P2"]


def test_the_server_refuses_more_skus_than_the_batch_size():
    with TikTokServer(batch_size=2) as server:
        server.add_product("P1", ["A", "B", "C"])
        adapter, _ = adapter_for(server, batch_size=3)
        results = adapter.push_stock([StockPush("P1", s, s, 1, "W") for s in "ABC"])
        assert not any(r.ok or r.retryable for r in results)
        assert server.stock == {}
        adapter, _ = adapter_for(server, batch_size=2)
        assert all(r.ok for r in adapter.push_stock([StockPush("P1", s, s, 1, "W") for s in "ABC"]))
        assert len(server.stock) == 3


def test_a_wrong_secret_is_tiktoks_bad_sign_and_not_retried(server):
    server.add_product("P1", ["S1"])
    adapter, stored = adapter_for(server, secret="not-the-secret")
    [result] = adapter.push_stock([StockPush("P1", "S1", "OCOP-1", 5, "W1")])
    assert not result.ok and not result.retryable
    assert result.error == "106001: Invalid sign"
    assert server.stock == {} and stored == []


def test_an_expired_token_is_refreshed_once_and_the_push_goes_through(server):
    server.add_product("P1", ["S1"])
    access, refresh, _, refresh_expires = server.issue_tokens(access_ttl=-10)
    # Expiry unknown to us (0): only the server's 105002 tells the adapter.
    adapter, stored = adapter_for(server, tokens=(access, refresh, 0, refresh_expires))

    [result] = adapter.push_stock([StockPush("P1", "S1", "OCOP-1", 5, "W1")])

    assert result.ok
    assert server.stock == {("P1", "S1", "W1"): 5}
    assert server.refreshes == 1
    [new] = stored
    assert new.access_token not in ("", access) and new.access_expires_at > time.time()
    assert [token for _, token in server.calls] == [access, new.access_token]


def test_a_token_about_to_expire_is_refreshed_before_the_call(server):
    server.add_product("P1", ["S1"])
    access, refresh, _, refresh_expires = server.issue_tokens(access_ttl=60)
    tokens = (access, refresh, time.time() + 60, refresh_expires)
    adapter, stored = adapter_for(server, tokens=tokens)
    assert adapter.push_stock([StockPush("P1", "S1", "OCOP-1", 2, "W1")])[0].ok
    assert [token for _, token in server.calls] == [stored[0].access_token]


def test_an_invalid_refresh_token_fails_the_push_without_looping(server):
    server.add_product("P1", ["S1"])
    access, _, _, _ = server.issue_tokens(access_ttl=-10)
    adapter, stored = adapter_for(server, tokens=(access, "unknown", 0, 0))
    [result] = adapter.push_stock([StockPush("P1", "S1", "OCOP-1", 5, "W1")])
    assert not result.ok and result.error == "36009004: Invalid refresh_token"
    assert server.refreshes == 1 and stored == []


def test_a_refused_sku_fails_alone_with_tiktoks_message(server):
    server.add_product("P1", ["S1", "S2", "S3"])
    server.fail_skus["S2"] = (12052230, "The SKU is locked by an ongoing promotion")
    adapter, _ = adapter_for(server)
    pushes = [StockPush("P1", s, f"OCOP-{s}", 3, "W1") for s in ("S1", "S2", "S3")]

    results = adapter.push_stock(pushes)

    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "12052230: The SKU is locked by an ongoing promotion"
    assert not results[1].retryable
    assert ("P1", "S2", "W1") not in server.stock and server.stock[("P1", "S3", "W1")] == 3


def test_an_unknown_product_is_not_retryable(server):
    adapter, _ = adapter_for(server)
    [result] = adapter.push_stock([StockPush("NOPE", "S1", "OCOP-1", 1, "W1")])
    assert not result.ok and not result.retryable
    assert result.error.startswith("12052032:")


def test_throttling_and_server_faults_are_retryable():
    with TikTokServer(rate_limit=2) as server:
        for i in range(4):
            server.add_product(f"P{i}", ["S"])
        adapter, _ = adapter_for(server, rate=1000)
        results = adapter.push_stock([StockPush(f"P{i}", "S", "OCOP", 1, "W") for i in range(4)])
        assert [r.ok for r in results] == [True, True, False, False]
        assert all(r.retryable for r in results[2:])
        assert results[2].error == "36009002: Too many requests, please retry later"
        assert server.throttled == 2

    with TikTokServer(rate_limit=1000) as server:
        server.add_product("P1", ["S"])
        server.fail_share = 1.0
        adapter, _ = adapter_for(server)
        [result] = adapter.push_stock([StockPush("P1", "S", "OCOP", 1, "W")])
        assert not result.ok and result.retryable and result.error.startswith("36009003:")


def test_a_timeout_is_retryable(server):
    server.add_product("P1", ["S"])
    server.delay = 0.5
    adapter, _ = adapter_for(server, timeout=0.1)
    [result] = adapter.push_stock([StockPush("P1", "S", "OCOP", 1, "W")])
    assert not result.ok and result.retryable and result.error.startswith("network:")


def test_the_adapter_stays_under_the_servers_rate_limit_past_a_seconds_worth():
    with TikTokServer(rate_limit=10) as server:
        for i in range(16):
            server.add_product(f"P{i}", ["S"])
        adapter, _ = adapter_for(server, rate=5)  # burst 5 + 5/s: at most 9 in any second
        started = time.monotonic()
        results = adapter.push_stock([StockPush(f"P{i}", "S", "OCOP", i, "W") for i in range(16)])
        assert time.monotonic() - started > 1.5
        assert all(r.ok for r in results)
        assert server.throttled == 0 and len(server.received) == 16
        assert server.max_calls_in_a_second() <= 10
        assert server.stock[("P15", "S", "W")] == 15


def test_webhook_signatures_are_checked_on_the_raw_body():
    raw = b'{"type":1,"tts_notification_id":"7","shop_id":"9","timestamp":1700000000,"data":{}}'
    good = hmac.new(b"app-secret", b"app-key" + raw, hashlib.sha256).hexdigest()
    assert verify_push("app-key", raw, good, "app-secret")
    assert verify_push("app-key", raw, good.upper(), "app-secret")
    assert not verify_push("app-key", raw + b" ", good, "app-secret")
    assert not verify_push("app-key", raw, good, "other-secret")
    assert not verify_push("app-key", raw, "", "app-secret")
    assert not verify_push("app-key", raw, "chữ ký", "app-secret")


# --- prices --------------------------------------------------------------------------------------
def test_prices_land_as_whole_vnd_one_call_per_product_and_batch(server):
    for i in range(150):
        server.add_item("P1", f"S{i}", f"OCOP-{i}", "Mật ong", stock=1, price=1000)
    server.add_item("P2", "T1", "OCOP-T1", "Trà shan tuyết", price=1000)
    pushes = [PricePush("P1", f"S{i}", f"OCOP-{i}", 125_000 + i) for i in range(150)]
    pushes.append(PricePush("P2", "T1", "OCOP-T1", 89_000))
    adapter, _ = adapter_for(server)

    results = adapter.push_prices(pushes)

    assert all(r.ok for r in results) and len(results) == 151
    assert server.prices[("P1", "S0")] == 125_000 and server.prices[("P1", "S149")] == 125_149
    assert server.prices[("P2", "T1")] == 89_000
    assert [path.split("/")[4] for path, _ in server.calls] == ["P1", "P1", "P2"]


def test_a_price_batch_over_the_servers_limit_is_split_by_the_batch_size():
    with TikTokServer(batch_size=2) as server:
        for sku in "ABCDE":
            server.add_item("P1", sku, sku, price=1)
        pushes = [PricePush("P1", sku, sku, 10_000) for sku in "ABCDE"]
        too_big, _ = adapter_for(server, batch_size=3)
        results = too_big.push_prices(pushes)
        assert [r.ok for r in results] == [False, False, False, True, True]  # 3 + 2
        assert not results[0].retryable and results[0].error.startswith("12052700:")
        assert [server.prices[("P1", sku)] for sku in "ABCDE"] == [1, 1, 1, 10_000, 10_000]

        adapter, _ = adapter_for(server, batch_size=2)
        assert all(r.ok for r in adapter.push_prices(pushes))
        assert set(server.prices.values()) == {10_000}


def test_a_price_that_is_not_a_positive_integer_fails_alone_before_any_call(server):
    server.add_item("P1", "S1", "OCOP-1", price=5)
    server.add_item("P1", "S2", "OCOP-2", price=5)
    adapter, _ = adapter_for(server)

    results = adapter.push_prices(
        [PricePush("P1", "S1", "OCOP-1", 0), PricePush("P1", "S2", "OCOP-2", 7)]
    )

    assert [r.ok for r in results] == [False, True]
    assert results[0].error.startswith("invalid_price:") and not results[0].retryable
    assert server.prices == {("P1", "S1"): 5, ("P1", "S2"): 7}
    assert len(server.calls) == 1  # the valid price alone went out
    assert not adapter.push_prices([PricePush("P1", "S1", "OCOP-1", -3)])[0].ok
    assert len(server.calls) == 1


def test_the_server_refuses_a_price_that_is_not_whole_vnd(server):
    server.add_item("P1", "S1", "OCOP-1", price=5)
    adapter, _ = adapter_for(server)
    body = {"skus": [{"id": "S1", "price": {"amount": "12.5", "currency": "VND"}}]}
    with pytest.raises(MarketplaceError) as refused:
        adapter.call("POST", "/product/202309/products/P1/prices/update", body)
    assert refused.value.code == "36009001" and not refused.value.retryable
    assert server.prices == {("P1", "S1"): 5}


def test_a_price_push_with_a_wrong_secret_gets_tiktoks_bad_sign(server):
    server.add_item("P1", "S1", "OCOP-1", price=5)
    adapter, _ = adapter_for(server, secret="not-the-secret")
    [result] = adapter.push_prices([PricePush("P1", "S1", "OCOP-1", 9)])
    assert not result.ok and not result.retryable and result.error == "106001: Invalid sign"
    assert server.prices == {("P1", "S1"): 5}


def test_a_price_locked_by_a_promotion_fails_its_call_without_retry(server):
    server.add_item("P1", "S1", "OCOP-1", price=5)
    server.add_item("P1", "S2", "OCOP-2", price=5)
    server.price_locked.add("S2")
    adapter, _ = adapter_for(server)
    results = adapter.push_prices([PricePush("P1", s, s, 9) for s in ("S1", "S2")])
    assert not any(r.ok or r.retryable for r in results)
    assert results[1].error == "12052038: The price is locked by an ongoing promotion"


# --- listing -------------------------------------------------------------------------------------
def test_the_listing_pages_through_every_product_with_stock_summed_over_warehouses():
    with TikTokServer(page_size=2) as server:
        for i in range(5):
            server.add_item(
                f"P{i}", f"S{i}a", f"OCOP-{i}a", f"Sản phẩm {i}", stock=i, price=1000 * (i + 1)
            )
            server.add_item(f"P{i}", f"S{i}b", f"OCOP-{i}b", f"Sản phẩm {i}", stock=1)
        server.stock[("P3", "S3a", "W2")] = 10
        adapter, _ = adapter_for(server)

        skus = adapter.list_skus()

        assert len(skus) == 10 and len(server.calls) == 3  # 2 + 2 + 1 products
        by_seller_sku = {sku.seller_sku: sku for sku in skus}
        assert by_seller_sku["OCOP-3a"] == RemoteSku("P3", "S3a", "OCOP-3a", "Sản phẩm 3", 13, 4000)
        assert by_seller_sku["OCOP-4b"].quantity == 1 and by_seller_sku["OCOP-4b"].price is None


def test_listing_and_pricing_stay_under_the_rate_limit():
    with TikTokServer(rate_limit=10, page_size=1) as server:
        for i in range(12):
            server.add_item(f"P{i}", "S", f"OCOP-{i}", stock=i, price=1)
        adapter, _ = adapter_for(server, rate=5)
        assert len(adapter.list_skus()) == 12
        prices = adapter.push_prices([PricePush(f"P{i}", "S", f"OCOP-{i}", 2) for i in range(12)])
        assert all(r.ok for r in prices)
        assert server.throttled == 0 and server.max_calls_in_a_second() <= 10


# --- orders --------------------------------------------------------------------------------------
def test_orders_since_a_time_come_with_their_lines_and_mapped_states():
    with TikTokServer(page_size=2) as server:
        server.add_item("P1", "S1", "OCOP-1", "Mật ong", stock=20, price=125_000)
        server.add_item("P2", "S2", "OCOP-2", "Trà", stock=5)
        old = server.place_order([("P1", "S1", 1)], status="COMPLETED", at=1_000)
        unpaid = server.place_order([("P1", "S1", 2), ("P2", "S2", 1)], status="UNPAID", at=2_000)
        shipped = server.place_order([("P1", "S1", 3)], at=2_001)
        server.set_order_status(shipped, "IN_TRANSIT", at=2_100)
        cancelled = server.place_order([("P2", "S2", 4)], at=2_002)
        assert server.stock[("P2", "S2", "W1")] == 0
        server.set_order_status(cancelled, "CANCELLED", at=2_200)
        assert server.stock[("P2", "S2", "W1")] == 4 and server.stock[("P1", "S1", "W1")] == 14
        adapter, _ = adapter_for(server)

        orders = adapter.orders_updated_since(2_000)

        assert [order.order_id for order in orders] == [unpaid, shipped, cancelled]
        assert old not in {order.order_id for order in orders}
        states = {order.order_id: (order.status, order.state, order.updated_at) for order in orders}
        assert states == {
            unpaid: ("UNPAID", OrderState.OPEN, 2_000),
            shipped: ("IN_TRANSIT", OrderState.SHIPPED, 2_100),
            cancelled: ("CANCELLED", OrderState.CANCELLED, 2_200),
        }
        assert set(orders[0].lines) == {
            RemoteOrderLine("P1", "S1", "OCOP-1", 2),
            RemoteOrderLine("P2", "S2", "OCOP-2", 1),
        }
        searches = [path for path, _ in server.calls if path.endswith("/search")]
        assert len(searches) == 2  # 3 matching orders, 2 a page


def test_order_details_are_fetched_fifty_at_a_time_over_every_search_page():
    with TikTokServer(page_size=7) as server:
        server.add_item("P1", "S1", "OCOP-1", stock=100)
        placed = [server.place_order([("P1", "S1", 1)], at=5_000 + i) for i in range(60)]
        adapter, _ = adapter_for(server)

        orders = adapter.orders_updated_since(0)

        assert [order.order_id for order in orders] == placed
        details = [path for path, _ in server.calls if path == "/order/202309/orders"]
        assert len(details) == 2  # 50 + 10
        assert len([path for path, _ in server.calls if path.endswith("/search")]) == 9


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("UNPAID", OrderState.OPEN),
        ("ON_HOLD", OrderState.OPEN),
        ("AWAITING_SHIPMENT", OrderState.OPEN),
        ("AWAITING_COLLECTION", OrderState.OPEN),
        ("DELIVERED", OrderState.SHIPPED),
        ("COMPLETED", OrderState.SHIPPED),
        ("CANCELLED", OrderState.CANCELLED),
    ],
)
def test_each_published_status_maps_to_what_it_means_for_our_stock(server, status, state):
    server.add_item("P1", "S1", "OCOP-1", stock=1)
    order_id = server.place_order([("P1", "S1", 1)], status=status)
    adapter, _ = adapter_for(server)
    [order] = adapter.orders([order_id])
    assert (order.status, order.state) == (status, state)


# --- webhooks ------------------------------------------------------------------------------------
def test_a_signed_order_push_names_its_order_and_leads_to_it(server):
    server.add_item("P1", "S1", "OCOP-1", stock=3)
    order_id = server.place_order([("P1", "S1", 2)])
    body, headers = server.signed_order_push("https://ocop.example/hooks/tiktok", order_id)
    by_hand = hmac.new(b"tts-app-secret", b"tts-app-key" + body, hashlib.sha256).hexdigest()
    assert headers["Authorization"] == by_hand
    adapter, _ = adapter_for(server)
    django_like = CaseInsensitiveDict({"authorization": headers["Authorization"]})

    ids = adapter.webhook_order_ids(body, django_like, "https://ocop.example/hooks/tiktok")

    assert ids == [order_id]
    [order] = adapter.orders(ids)
    assert order.lines == (RemoteOrderLine("P1", "S1", "OCOP-1", 2),)


def test_a_tampered_unsigned_or_foreign_push_is_rejected(server):
    server.add_item("P1", "S1", "OCOP-1", stock=3)
    order_id = server.place_order([("P1", "S1", 1)])
    body, headers = server.signed_order_push("https://ocop.example/hooks/tiktok", order_id)
    adapter, _ = adapter_for(server)
    url = "https://ocop.example/hooks/tiktok"
    with pytest.raises(WebhookRejected):
        adapter.webhook_order_ids(body.replace(order_id.encode(), b"1"), headers, url)
    with pytest.raises(WebhookRejected):
        adapter.webhook_order_ids(body, {}, url)
    stranger, _ = adapter_for(server, secret="another-apps-secret")
    with pytest.raises(WebhookRejected):
        stranger.webhook_order_ids(body, headers, url)


def test_a_signed_push_that_is_not_about_an_order_names_none_and_garbage_is_rejected(server):
    adapter, _ = adapter_for(server)

    def signed(raw):
        digest = hmac.new(b"tts-app-secret", b"tts-app-key" + raw, hashlib.sha256).hexdigest()
        return {"Authorization": digest}

    product_push = b'{"type":5,"tts_notification_id":"1","shop_id":"9","timestamp":1,"data":{}}'
    assert adapter.webhook_order_ids(product_push, signed(product_push), "") == []
    with pytest.raises(WebhookRejected):
        adapter.webhook_order_ids(b"not json", signed(b"not json"), "")
