"""The adapter base every marketplace shares: batching, refreshing a token before it expires and
once on an auth error, failed calls reported per item, and the per-account rate limit."""

import pytest

from integrations.marketplaces.base import (
    Credentials,
    MarketplaceAdapter,
    MarketplaceError,
    MarketplaceSettings,
    PricePush,
    PushResult,
    RateLimiter,
    StockPush,
)


class ScriptedAdapter(MarketplaceAdapter):
    """Answers each stock call with the next scripted outcome."""

    name = "scripted"

    def __init__(self, outcomes, **kwargs):
        super().__init__(
            Credentials("app", "secret", access_token="old", access_expires_at=10_000),
            MarketplaceSettings(base_url="http://unused", batch_size=2),
            **kwargs,
        )
        self.outcomes, self.calls, self.refreshes = list(outcomes), [], 0

    def batches(self, pushes):
        size = self.settings.batch_size
        return [pushes[i : i + size] for i in range(0, len(pushes), size)]

    def send_stock(self, batch):
        self._next([p.seller_sku for p in batch])
        return [PushResult(push, True) for push in batch]

    send_prices = send_stock

    def fetch_skus(self):
        self._next("skus")
        return []

    def fetch_orders(self, since):
        self._next(f"orders since {since}")
        return []

    def fetch_order_details(self, order_ids):
        self._next(list(order_ids))
        return []

    def _next(self, what):
        self.calls.append((self.credentials.access_token, what))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, MarketplaceError):
            raise outcome

    def refresh_tokens(self):
        self.refreshes += 1
        return self.credentials.with_tokens(f"new{self.refreshes}", "r", 20_000, 0)


def pushes(count):
    return [StockPush(str(i), "", f"SKU-{i}", i) for i in range(count)]


def test_batches_and_an_auth_error_refreshes_once_then_retries():
    stored = []
    adapter = ScriptedAdapter(
        ["ok", MarketplaceError("auth", "expired", retryable=False, auth=True), "ok"],
        on_tokens=stored.append,
        clock=lambda: 0,
    )
    results = adapter.push_stock(pushes(3))
    assert [r.ok for r in results] == [True, True, True]
    assert adapter.calls == [("old", ["SKU-0", "SKU-1"]), ("old", ["SKU-2"]), ("new1", ["SKU-2"])]
    assert [c.access_token for c in stored] == ["new1"]  # the new pair is stored at once


def test_a_token_about_to_expire_is_refreshed_before_the_call():
    adapter = ScriptedAdapter(["ok"], clock=lambda: 10_000 - 60)
    adapter.push_stock(pushes(1))
    assert adapter.calls == [("new1", ["SKU-0"])]


def test_a_failed_call_is_reported_for_each_of_its_items():
    error = MarketplaceError("error_server", "Too many requests", retryable=True)
    adapter = ScriptedAdapter([error, "ok"], clock=lambda: 0)
    results = adapter.push_stock(pushes(3))
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, True), (True, False)]
    assert results[0].error == "error_server: Too many requests"


def test_the_rate_limiter_never_exceeds_its_rate():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    calls = []
    for _ in range(16):
        limiter.acquire()
        calls.append(now[0])
    # One call every 0.2 s: never more than 5 in any one second.
    assert all(
        later - earlier >= 1 - 1e-9 for earlier, later in zip(calls, calls[5:], strict=False)
    )
    assert abs(calls[-1] - 3.0) < 1e-9


def test_a_calls_window_starts_when_its_answer_arrives():
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    starts = []
    for _ in range(15):
        limiter.acquire()
        starts.append(now[0])
        now[0] += 0.05  # the call takes 50 ms
        limiter.done()
    assert max(sum(1 for t in starts if s <= t < s + 1) for s in starts) == 5
    assert starts[5] == pytest.approx(1.05)  # one second after the first call's answer


def test_reads_refresh_once_on_an_auth_error_then_read_again():
    adapter = ScriptedAdapter(
        [MarketplaceError("expired", "token", retryable=False, auth=True), "ok"], clock=lambda: 0
    )
    assert adapter.list_skus() == []
    assert adapter.calls == [("old", "skus"), ("new1", "skus")]


def test_prices_go_in_the_same_batches_with_one_result_each():
    adapter = ScriptedAdapter(["ok", MarketplaceError("E901", "too frequent", retryable=True)])
    prices = [PricePush(str(i), "", f"SKU-{i}", 10_000 * (i + 1)) for i in range(3)]
    results = adapter.push_prices(prices)
    assert [result.ok for result in results] == [True, True, False]
    assert results[2].retryable and "E901" in results[2].error
