"""The Lazada adapter against a local Lazada Open Platform
(tests/marketplace_servers/lazada_server.py) over real HTTP: signing, stock pushes in batches of
at most 50 SKUs, token refresh, per-SKU failures, throttling and the per-seller rate limit,
push-message checks."""

import hashlib
import hmac
import time

import pytest

from integrations.marketplaces.base import Credentials, MarketplaceSettings, RateLimiter, StockPush
from integrations.marketplaces.lazada import (
    REFRESH_PATH,
    STOCK_PATH,
    LazadaAdapter,
    sign,
    verify_push,
)
from tests.marketplace_servers.lazada_server import LazadaServer


@pytest.fixture
def server():
    with LazadaServer(rate_limit=1000) as running:
        yield running


def adapter_for(server, *, secret=None, tokens=None, batch_size=50, rate=1000, **kwargs):
    tokens = tokens or server.create_tokens()
    credentials = Credentials(
        server.app_key,
        secret or server.app_secret,
        shop_id="200001",
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )
    settings = MarketplaceSettings(
        base_url=server.url + "/rest",
        auth_url=server.url + "/rest",
        batch_size=batch_size,
        calls_per_second=rate,
        timeout=kwargs.pop("timeout", 5),
    )
    return LazadaAdapter(credentials, settings, **kwargs)


def pushes(count, item="9001"):
    return [StockPush(item, f"{i}", f"SKU-{i}", 10 + i) for i in range(count)]


def test_the_signer_gives_lazadas_published_answer():
    params = {
        "app_key": "123456",
        "access_token": "test",
        "timestamp": "1517820392000",
        "order_id": "1234",
        "sign_method": "sha256",
    }
    by_hand = hmac.new(
        b"helloworld",
        b"/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000",
        hashlib.sha256,
    ).hexdigest()
    expected = "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
    assert by_hand.upper() == expected
    assert sign("helloworld", "/order/get", params) == expected
    # `sign` itself is never signed; a raw JSON body goes after the sorted parameters.
    assert sign("helloworld", "/order/get", {**params, "sign": "X"}) == expected
    with_body = hmac.new(
        b"helloworld", b"/a/bapp_key1timestamp2" + b'{"q":1}', hashlib.sha256
    ).hexdigest()
    assert sign("helloworld", "/a/b", {"timestamp": 2, "app_key": 1}, '{"q":1}') == (
        with_body.upper()
    )


def test_a_push_lands_in_lazadas_stock_in_calls_of_the_batch_size(server):
    adapter = adapter_for(server, batch_size=3)
    results = adapter.push_stock([*pushes(6), StockPush("9002", "", "SKU-X", -4)])
    assert [r.ok for r in results] == [True] * 7
    assert len(server.calls_to(STOCK_PATH)) == 3  # 3 + 3 + 1 SKUs
    assert server.stock == {
        **{("9001", str(i)): 10 + i for i in range(6)},
        ("9002", ""): 0,  # Lazada refuses negative quantities: never below 0
    }
    # Absolute quantities: pushing again changes nothing.
    adapter.push_stock(pushes(6))
    assert server.stock[("9001", "5")] == 15


def test_a_multi_warehouse_sku_is_set_in_its_warehouse(server):
    adapter = adapter_for(server)
    push = StockPush("9001", "1", "SKU-1", 7, warehouse_id="dropshipping")
    assert adapter.push_stock([push])[0].ok
    assert server.warehouse_stock == {("9001", "1", "dropshipping"): 7}


def test_a_wrong_secret_is_lazadas_signature_error_and_not_retried(server):
    adapter = adapter_for(server, secret="not-the-secret")
    results = adapter.push_stock(pushes(2))
    assert [(r.ok, r.retryable) for r in results] == [(False, False), (False, False)]
    assert results[0].error.startswith("IncompleteSignature: ")
    assert server.stock == {}
    assert [code for _, _, code in server.calls] == ["IncompleteSignature"]


def test_an_expired_token_is_refreshed_once_and_the_push_goes_through(server):
    stored = []
    adapter = adapter_for(server, on_tokens=stored.append)
    old = adapter.credentials
    server.advance(server.access_ttl + 1)
    results = adapter.push_stock(pushes(2))
    assert [r.ok for r in results] == [True, True]
    assert [code for path, _, code in server.calls] == ["IllegalAccessToken", "0", "0"]
    assert [path for path, _, _ in server.calls] == [STOCK_PATH, REFRESH_PATH, STOCK_PATH]
    assert len(stored) == 1 and stored[0] is adapter.credentials
    assert stored[0].access_token in server.access_tokens
    assert stored[0].access_token != old.access_token
    assert stored[0].refresh_token != old.refresh_token
    assert server.stock[("9001", "1")] == 11


def test_refreshing_returns_the_new_pair_with_its_expiry(server):
    tokens = server.create_tokens(refresh_expires_at=server.now() + 5000)
    adapter = adapter_for(server, tokens=tokens, clock=lambda: 1_000_000.0)
    credentials = adapter.refresh()
    assert credentials.access_token in server.access_tokens
    assert credentials.access_expires_at == 1_000_000.0 + server.access_ttl
    # Refreshing does not extend the refresh token's life.
    assert 1_000_000.0 + 4990 < credentials.refresh_expires_at <= 1_000_000.0 + 5000


def test_a_dead_refresh_token_fails_the_push_without_storing_anything(server):
    stored = []
    tokens = server.create_tokens(refresh_expires_at=server.now() + 60)
    adapter = adapter_for(server, tokens=tokens, on_tokens=stored.append)
    server.advance(server.access_ttl + 1)
    results = adapter.push_stock(pushes(1))
    assert (results[0].ok, results[0].retryable) == (False, False)
    assert results[0].error.startswith("IllegalRefreshToken: ")
    assert stored == []


def test_a_refused_sku_fails_alone_with_lazadas_message(server):
    server.fail_skus = {"SKU-2": "Quantity must not be less than the stock locked by campaigns"}
    adapter = adapter_for(server)
    results = adapter.push_stock(pushes(4))
    assert [r.ok for r in results] == [True, True, False, True]
    assert results[2].error == (
        "E501: Quantity must not be less than the stock locked by campaigns"
    )
    assert not results[2].retryable
    assert ("9001", "2") not in server.stock and server.stock[("9001", "3")] == 13


def test_a_refusal_naming_no_sku_of_the_batch_fails_the_skus_not_named():
    batch = pushes(3)
    answer = {
        "code": "E501",
        "message": "Update product failed",
        "detail": [
            {"field": "Sku", "seller_sku": "SKU-0", "message": "Negative quantity", "code": "E6"},
            {"field": "Product", "message": "SELLER_SKU_INVALID"},
        ],
    }
    results = LazadaAdapter._results(batch, answer)
    assert [(r.ok, r.error) for r in results] == [
        (False, "E6: Negative quantity"),
        (False, "E501: SELLER_SKU_INVALID"),
        (False, "E501: SELLER_SKU_INVALID"),
    ]
    ok = LazadaAdapter._results(batch, {"code": "0", "data": {}})
    assert [r.ok for r in ok] == [True, True, True]


def test_throttling_is_retryable(server):
    server.rate_limit = 2
    adapter = adapter_for(server, batch_size=1, limiter=RateLimiter(1000))
    results = adapter.push_stock(pushes(3))
    assert [(r.ok, r.retryable) for r in results] == [(True, False), (True, False), (False, True)]
    assert results[2].error.startswith("ApiCallLimit: ")


@pytest.mark.parametrize("code", ["E901", "E501"])
def test_a_failed_call_is_retryable(server, code):
    server.fail_share, server.fail_code = 1.0, code
    results = adapter_for(server).push_stock(pushes(2))
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, True)]
    assert results[0].error.startswith(f"{code}: ")
    assert server.stock == {}


def test_part_of_the_calls_fail_when_told_to(server):
    server.fail_share, server.fail_code = 0.5, "E901"
    results = adapter_for(server, batch_size=1).push_stock(pushes(20))
    failed = [r for r in results if not r.ok]
    assert 0 < len(failed) < 20 and all(r.retryable for r in failed)
    assert len(server.stock) == 20 - len(failed)


def test_too_many_skus_is_lazadas_e204_and_not_retried(server):
    server.max_skus = 3
    results = adapter_for(server, batch_size=4).push_stock(pushes(4))
    assert {(r.ok, r.retryable) for r in results} == {(False, False)}
    assert results[0].error.startswith("E204: ")


def test_the_batch_never_exceeds_lazadas_fifty_skus(server):
    adapter = adapter_for(server, batch_size=80)
    assert [r.ok for r in adapter.push_stock(pushes(120))] == [True] * 120
    assert len(server.calls_to(STOCK_PATH)) == 3  # 50 + 50 + 20


def test_a_timeout_is_retryable(server):
    server.delay = 0.5
    results = adapter_for(server, timeout=0.1).push_stock(pushes(1))
    assert (results[0].ok, results[0].retryable) == (False, True)
    assert results[0].error.startswith("network: ")


def test_the_adapter_stays_within_the_sellers_rate_limit(server):
    server.rate_limit = 5
    adapter = adapter_for(server, batch_size=1, rate=5)
    started = time.monotonic()
    results = adapter.push_stock(pushes(12))
    assert all(r.ok for r in results)
    assert time.monotonic() - started >= 2.0  # more than two seconds' worth of calls
    assert "ApiCallLimit" not in [code for _, _, code in server.calls]
    assert server.most_calls_in_a_second("200001") == 5


def test_a_push_message_is_verified_against_the_raw_body(server):
    raw = b'{"seller_id":"200001","message_type":0,"data":{"order_status":"pending"}}'
    by_hand = hmac.new(b"lazada-test-secret", b"100001" + raw, hashlib.sha256).hexdigest()
    assert server.push_headers(raw)["Authorization"] == by_hand
    assert verify_push("100001", raw, by_hand, "lazada-test-secret")
    assert verify_push("100001", raw.decode(), by_hand.upper(), "lazada-test-secret")
    assert not verify_push("100001", raw + b" ", by_hand, "lazada-test-secret")
    assert not verify_push("100001", raw, by_hand, "another-secret")
    assert not verify_push("100001", raw, "", "lazada-test-secret")
    assert not verify_push("100001", raw, "é" * 64, "lazada-test-secret")
