"""The TikTok Shop adapter against a local server speaking the 202309 Partner API over HTTP."""

import hashlib
import hmac
import time

import pytest

from integrations.marketplaces.base import Credentials, RateLimiter, StockPush
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
