"""The Tiki adapter against a local server speaking Tiki's Open API over HTTP (bearer tokens,
no request signature)."""

import time

import pytest

from integrations.marketplaces.base import Credentials, RateLimiter, StockPush
from integrations.marketplaces.tiki import TikiAdapter, default_settings
from tests.marketplace_servers.tiki_server import TikiServer


@pytest.fixture
def server():
    with TikiServer(rate_limit=1000) as running:
        yield running


def adapter_for(server, *, secret=None, tokens=None, rate=1000, **settings):
    access, refresh, _ = tokens or server.issue_tokens()
    credentials = Credentials(
        server.client_id, secret or server.client_secret, access_token=access, refresh_token=refresh
    )
    stored = []
    adapter = TikiAdapter(
        credentials,
        default_settings(base_url=server.url, auth_url=server.url, **settings),
        on_tokens=stored.append,
        limiter=RateLimiter(rate),
    )
    return adapter, stored


def test_a_push_lands_in_the_stock_in_batches_of_the_setting(server):
    server.skus = {f"OCOP-{i}" for i in range(120)}
    pushes = [StockPush("", "", f"OCOP-{i}", i, "HN") for i in range(120)]
    pushes.append(StockPush("", "", "OCOP-0", 8, "HCM"))  # a second warehouse of the first SKU
    adapter, _ = adapter_for(server)

    results = adapter.push_stock(pushes)

    assert all(r.ok for r in results) and len(results) == 121
    assert len(server.calls) == 3  # 50 + 50 + 20 SKUs
    assert server.stock[("OCOP-0", "HN")] == 0 and server.stock[("OCOP-0", "HCM")] == 8
    assert server.stock[("OCOP-119", "HN")] == 119


def test_more_skus_than_tiki_takes_are_refused_and_not_retried():
    with TikiServer(batch_size=2) as server:
        server.skus = {"A", "B", "C"}
        adapter, _ = adapter_for(server, batch_size=3)
        results = adapter.push_stock([StockPush("", "", s, 1, "HN") for s in "ABC"])
        assert not any(r.ok or r.retryable for r in results)
        assert results[0].error == "400: skus must hold 1 to 2 items" and server.stock == {}


def test_an_expired_token_is_refreshed_once_and_the_push_goes_through(server):
    server.skus = {"OCOP-1"}
    access, refresh, _ = server.issue_tokens(access_ttl=-10)
    adapter, stored = adapter_for(server, tokens=(access, refresh, 0))

    [result] = adapter.push_stock([StockPush("", "", "OCOP-1", 5, "HN")])

    assert result.ok and server.stock == {("OCOP-1", "HN"): 5}
    [new] = stored
    assert server.refreshes == 1 and new.access_token != access
    assert new.access_expires_at > time.time() + 3000
    assert server.calls == [access, new.access_token]


def test_a_wrong_client_secret_fails_the_refresh_and_is_not_retried(server):
    server.skus = {"OCOP-1"}
    access, refresh, _ = server.issue_tokens(access_ttl=-10)
    adapter, stored = adapter_for(server, secret="wrong", tokens=(access, refresh, 0))
    [result] = adapter.push_stock([StockPush("", "", "OCOP-1", 5, "HN")])
    assert not result.ok and not result.retryable
    assert result.error == "401: invalid_client: Client authentication failed"
    assert server.refreshes == 1 and stored == [] and server.stock == {}


def test_a_refused_sku_fails_alone_with_tikis_message(server):
    server.skus = {"A", "B", "C"}
    server.fail_skus["B"] = "Sản phẩm đang bị khóa"
    adapter, _ = adapter_for(server)
    results = adapter.push_stock([StockPush("", "", s, 4, "HN") for s in "ABC"])
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "200: Sản phẩm đang bị khóa" and not results[1].retryable
    assert ("B", "HN") not in server.stock and server.stock[("C", "HN")] == 4


def test_throttling_and_server_faults_are_retryable():
    with TikiServer(rate_limit=1) as server:
        server.skus = {"A", "B"}
        adapter, _ = adapter_for(server, batch_size=1)
        results = adapter.push_stock([StockPush("", "", s, 1, "HN") for s in "AB"])
        assert [(r.ok, r.retryable) for r in results] == [(True, False), (False, True)]
        assert results[1].error == "429: Too many requests"

    with TikiServer(rate_limit=1000) as server:
        server.skus = {"A"}
        server.fail_share = 1.0
        adapter, _ = adapter_for(server)
        [result] = adapter.push_stock([StockPush("", "", "A", 1, "HN")])
        assert not result.ok and result.retryable and result.error == "500: Internal server error"


def test_the_adapter_stays_under_the_servers_rate_limit_past_a_seconds_worth():
    with TikiServer(rate_limit=6) as server:
        server.skus = {f"S{i}" for i in range(12)}
        adapter, _ = adapter_for(server, rate=3, batch_size=1)  # at most 5 in any second
        started = time.monotonic()
        results = adapter.push_stock([StockPush("", "", f"S{i}", i, "HN") for i in range(12)])
        assert time.monotonic() - started > 2
        assert all(r.ok for r in results)
        assert server.throttled == 0 and server.max_calls_in_a_second() <= 6
