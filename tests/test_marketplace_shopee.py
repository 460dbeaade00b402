"""The Shopee adapter against a local Shopee Open Platform v2 over real HTTP: signing, absolute
stock in one-item calls of ≤ 50 models, single-use refresh tokens, per-model failures, errors
mapped to retryable / not / auth, the rate limit, and push (webhook) verification."""

import hashlib
import hmac
import time
from dataclasses import replace

import pytest

from integrations.marketplaces.base import Credentials, MarketplaceError, RateLimiter, StockPush
from integrations.marketplaces.shopee import SHOPEE, ShopeeAdapter, sign, verify_push
from tests.marketplace_servers.shopee_server import ShopeeServer

PARTNER_ID, PARTNER_KEY, SHOP_ID = "2001887", "shpk-test-partner-key", "55501"


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


def adapter_for(server, *, key=PARTNER_KEY, access_ttl=None, expires_at=0, fast=True, **kwargs):
    """An adapter on a fresh token pair; `fast`: a limiter that never waits."""
    access, refresh = server.issue_tokens(access_ttl)
    credentials = Credentials(
        PARTNER_ID, key, SHOP_ID, access, refresh, access_expires_at=expires_at
    )
    settings = replace(SHOPEE, base_url=server.url)
    if fast:
        kwargs.setdefault("limiter", RateLimiter(10_000))
    return ShopeeAdapter(credentials, settings, **kwargs)


def push(item, model, quantity, location=""):
    return StockPush(
        str(item), str(model) if model else "", f"SKU-{item}-{model}", quantity, location
    )


def test_the_signature_matches_a_vector_worked_out_from_the_published_formula():
    # partner_id + path + timestamp + access_token + shop_id, no separators.
    base = "2001887/api/v2/product/update_stock17650000007a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e55501"
    expected = hmac.new(b"shpk-test-partner-key", base.encode(), hashlib.sha256).hexdigest()
    # The same HMAC worked out with `openssl dgst -sha256 -hmac` on that string.
    assert expected == "123c05db3399ce852efb0c921d06bf016ca8bcd1d934c850e21a653609e4872a"
    assert (
        sign(
            "shpk-test-partner-key",
            2001887,
            "/api/v2/product/update_stock",
            1765000000,
            "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e",
            55501,
        )
        == expected
    )
    # Auth calls sign partner_id + path + timestamp only.
    assert (
        sign("shpk-test-partner-key", "2001887", "/api/v2/auth/access_token/get", 1765000000)
        == "9fb6398467642be784110581a1c747e4657ccec67869e1a2e46a9b444763522e"
    )


def test_a_push_is_verified_on_its_raw_body_and_callback_url():
    url = "https://ocop.example.vn/marketplaces/shopee/push"
    body = (
        b'{"shop_id":55501,"code":3,"timestamp":1765000000,'
        b'"data":{"ordersn":"2512060001ABC","status":"READY_TO_SHIP"}}'
    )
    # hex HMAC-SHA256(partner_key, url + "|" + body), worked out with openssl.
    header = "87460275464976a2ae616827163c7e50e5e5d9bbc0f25bf14ca62d020cdbb1c8"
    assert verify_push(url, body, header, PARTNER_KEY)
    assert verify_push(url, body.decode(), header, PARTNER_KEY)
    assert not verify_push(url, body.replace(b"READY_TO_SHIP", b"CANCELLED"), header, PARTNER_KEY)
    assert not verify_push(url + "/", body, header, PARTNER_KEY)
    assert not verify_push(url, body, header, "another-key")
    assert not verify_push(url, body, "", PARTNER_KEY)
    assert not verify_push(url, body, None, PARTNER_KEY)


def test_the_fake_shopee_signs_its_pushes_the_way_we_verify_them(server):
    url = "https://ocop.example.vn/marketplaces/shopee/push"
    body, header = server.signed_push(url, {"shop_id": 55501, "code": 3, "data": {}})
    assert verify_push(url, body, header, PARTNER_KEY)
    assert not verify_push(url, body + b" ", header, PARTNER_KEY)


def test_a_push_of_many_skus_lands_in_one_call_per_item_and_fifty_models(server):
    server.add_item(1001, range(1, 121))  # 120 models: 3 calls
    server.add_item(1002)  # no variants: model 0
    server.add_item(1003, [7, 8, 9])
    pushes = [push(1001, m, m * 2) for m in range(1, 121)]
    pushes += [push(1002, 0, 15), push(1003, 7, 1), push(1003, 8, -4), push(1003, 9, 0)]
    adapter = adapter_for(server)

    results = adapter.push_stock(pushes)

    assert [r.ok for r in results] == [True] * 124
    assert sorted(len(call["stock_list"]) for call in server.stock_calls) == [1, 3, 20, 50, 50]
    assert len(server.stock_calls) == 5
    assert server.stock[(1001, 1)] == 2 and server.stock[(1001, 120)] == 240
    assert server.stock[(1002, 0)] == 15
    assert [server.stock[(1003, m)] for m in (7, 8, 9)] == [1, 0, 0]  # never below 0

    adapter.push_stock([push(1002, 0, 9)])  # absolute: replaces, never adds
    assert server.stock[(1002, 0)] == 9


def test_one_model_in_two_locations_goes_in_one_entry(server):
    server.add_item(1001, [1])
    adapter = adapter_for(server)
    results = adapter.push_stock([push(1001, 1, 4, "VN-HN"), push(1001, 1, 6, "VN-HCM")])
    assert [r.ok for r in results] == [True, True]
    assert server.stock[(1001, 1)] == 10
    assert server.stock_by_location[(1001, 1, "VN-HCM")] == 6
    assert len(server.stock_calls) == 1


def test_a_wrong_partner_key_is_shopees_signature_error_and_not_retried(server):
    server.add_item(1001, [1, 2])
    adapter = adapter_for(server, key="not-the-partner-key")
    results = adapter.push_stock([push(1001, 1, 5), push(1001, 2, 5)])
    assert [(r.ok, r.retryable) for r in results] == [(False, False), (False, False)]
    assert results[0].error == "error_sign: Wrong sign."
    assert server.stock == {}
    assert [path for path, _ in server.calls] == ["/api/v2/product/update_stock"]


def test_an_expired_token_is_refreshed_once_and_the_old_refresh_token_dies(server):
    server.add_item(1001, [1])
    stored = []
    adapter = adapter_for(server, access_ttl=-1, on_tokens=stored.append)
    old = adapter.credentials

    results = adapter.push_stock([push(1001, 1, 12)])

    assert [r.ok for r in results] == [True]
    assert server.stock[(1001, 1)] == 12
    assert server.calls == [
        ("/api/v2/product/update_stock", "error_auth"),
        ("/api/v2/auth/access_token/get", ""),
        ("/api/v2/product/update_stock", ""),
    ]
    assert len(stored) == 1 and stored[0] == adapter.credentials
    assert stored[0].access_token != old.access_token
    assert stored[0].refresh_token != old.refresh_token
    assert abs(stored[0].access_expires_at - (time.time() + 4 * 3600)) < 60

    # Shopee's refresh tokens work once: the old one is refused, the new one works.
    stale = ShopeeAdapter(old, adapter.settings, limiter=RateLimiter(10_000))
    with pytest.raises(MarketplaceError) as refused:
        stale.refresh()
    assert (refused.value.code, refused.value.message) == ("error_auth", "invalid refresh_token")
    assert not refused.value.retryable and not refused.value.auth
    assert adapter.refresh().access_token != stored[0].access_token


def test_a_token_about_to_expire_is_refreshed_before_pushing(server):
    server.add_item(1001, [1])
    adapter = adapter_for(server, expires_at=time.time() + 60)
    assert [r.ok for r in adapter.push_stock([push(1001, 1, 3)])] == [True]
    assert [path for path, _ in server.calls] == [
        "/api/v2/auth/access_token/get",
        "/api/v2/product/update_stock",
    ]


def test_a_token_refused_again_after_refreshing_fails_the_batch_without_looping(server):
    server.add_item(1001, [1])
    adapter = adapter_for(server, access_ttl=-1)
    server.access_ttl = -1  # the refreshed token is dead on arrival too
    results = adapter.push_stock([push(1001, 1, 3)])
    assert [(r.ok, r.error) for r in results] == [(False, "error_auth: Invalid access_token.")]
    assert len(server.calls) == 3


def test_a_failed_model_fails_alone_with_shopees_reason(server):
    server.add_item(1001, [1, 2, 3])
    server.fail_models[(1001, 2)] = "Stock is locked by an ongoing promotion."
    adapter = adapter_for(server)
    results = adapter.push_stock([push(1001, 1, 5), push(1001, 2, 6), push(1001, 3, 7)])
    assert [(r.ok, r.retryable, r.error) for r in results] == [
        (True, False, ""),
        (False, False, "Stock is locked by an ongoing promotion."),
        (True, False, ""),
    ]
    assert server.stock == {(1001, 1): 5, (1001, 3): 7}


def test_an_unknown_item_is_not_found_and_not_retryable(server):
    adapter = adapter_for(server)
    [result] = adapter.push_stock([push(4040, 0, 1)])
    assert (result.ok, result.retryable) == (False, False)
    assert result.error == "error_item_not_found: Item not found."


@pytest.mark.parametrize("throttle_status", [429, 200])
def test_throttling_is_retryable_whatever_its_http_status(make_server, throttle_status):
    server = make_server(rate_limit=2, throttle_status=throttle_status)
    for item in (1, 2, 3):
        server.add_item(item)
    adapter = adapter_for(server)  # a limiter that does not hold it back
    results = adapter.push_stock([push(item, 0, 1) for item in (1, 2, 3)])
    assert [(r.ok, r.retryable) for r in results] == [(True, False), (True, False), (False, True)]
    assert results[2].error == "error_server: Too many requests"


def test_a_server_failure_is_retryable(make_server):
    server = make_server(fail_share=1.0)
    server.add_item(1)
    [result] = adapter_for(server).push_stock([push(1, 0, 1)])
    assert (result.ok, result.retryable) == (False, True)
    assert result.error.startswith("error_server")


def test_a_stale_timestamp_is_a_parameter_error(server):
    server.add_item(1)
    adapter = adapter_for(server, clock=lambda: time.time() - 301)
    [result] = adapter.push_stock([push(1, 0, 1)])
    assert (result.ok, result.retryable) == (False, False)
    assert result.error.startswith("error_param")


def test_the_server_refuses_more_than_fifty_models_in_a_call(server):
    server.add_item(1001, range(1, 61))
    adapter = adapter_for(server)
    adapter.settings = replace(adapter.settings, batch_size=60)
    results = adapter.push_stock([push(1001, m, 1) for m in range(1, 61)])
    assert {(r.ok, r.retryable) for r in results} == {(False, False)}
    assert results[0].error.startswith("error_param")
    assert server.stock == {}


def test_the_adapter_stays_within_shopees_rate_limit(make_server):
    server = make_server(rate_limit=10)
    for item in range(14):
        server.add_item(item)
    pushes = [push(item, 0, 3) for item in range(14)]  # 14 calls: more than a second's worth
    # The account's setting keeps a little below the marketplace's limit: requests do not
    # arrive exactly as far apart as they leave.
    adapter = adapter_for(server, limiter=RateLimiter(9.5))
    results = adapter.push_stock(pushes)
    assert [r.ok for r in results] == [True] * 14
    assert server.throttled == 0
