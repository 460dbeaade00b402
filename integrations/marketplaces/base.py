"""What every marketplace adapter offers the sync engine, whatever the marketplace.

An adapter speaks one seller API over real HTTP (`requests`): it signs each call exactly as the
marketplace publishes, sends the **absolute** quantity of each mapped SKU (never a delta) in the
batches the API allows, refreshes the account's tokens before they expire and once on an auth
error, and reports per item whether the push took, and if not whether retrying can help. It
knows nothing of Django or our models: the engine gives it `Credentials` and `StockPush` items
and stores what it returns (new tokens through `on_tokens`). Hosts, batch sizes and limits are
per-adapter settings (`MarketplaceSettings`), as ../shared/domain/marketplaces.md asks.
"""

import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import requests


@dataclass(frozen=True)
class Credentials:
    """One seller account's keys and tokens. `app_key`/`app_secret` are the app's (Shopee's
    partner_id/partner_key); expiry times are Unix seconds (0 = unknown)."""

    app_key: str
    app_secret: str
    shop_id: str = ""
    access_token: str = ""
    refresh_token: str = ""
    access_expires_at: float = 0
    refresh_expires_at: float = 0
    extra: dict = field(default_factory=dict)  # marketplace specifics (TikTok's shop_cipher…)

    def with_tokens(self, access_token, refresh_token, access_expires_at, refresh_expires_at):
        return replace(
            self,
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=access_expires_at,
            refresh_expires_at=refresh_expires_at,
        )


@dataclass(frozen=True)
class MarketplaceSettings:
    base_url: str
    auth_url: str = ""  # where token calls go, when not base_url
    batch_size: int = 50
    calls_per_second: float = 10.0
    timeout: float = 10.0
    refresh_margin: float = 300.0  # refresh this many seconds before the access token expires


@dataclass(frozen=True)
class StockPush:
    """The absolute quantity one mapped SKU should show. `item_id` is the marketplace's product
    or item, `sku_id` its model/SKU within it ("" when the item has no variants), `seller_sku`
    our SKU as the seller typed it there, `warehouse_id` the marketplace warehouse when it
    wants one."""

    item_id: str
    sku_id: str
    seller_sku: str
    quantity: int
    warehouse_id: str = ""


@dataclass(frozen=True)
class PricePush:
    """The price (integer VND) one mapped SKU should show."""

    item_id: str
    sku_id: str
    seller_sku: str
    price: int


@dataclass(frozen=True)
class RemoteSku:
    """One SKU as the marketplace lists it: for matching by seller SKU and for reconciliation
    (`quantity` is the stock the marketplace shows, summed over its warehouses)."""

    item_id: str
    sku_id: str
    seller_sku: str
    name: str
    quantity: int
    price: int | None = None


class OrderState:
    """What a marketplace order means for our stock, whatever the marketplace calls its status."""

    OPEN = "open"  # placed (paid or not): its units are held
    SHIPPED = "shipped"  # handed to the carrier or later: its units have left the warehouse
    CANCELLED = "cancelled"  # its units are free again


@dataclass(frozen=True)
class RemoteOrderLine:
    item_id: str
    sku_id: str
    seller_sku: str
    quantity: int


@dataclass(frozen=True)
class RemoteOrder:
    """A marketplace order: `status` is the marketplace's own, `state` an `OrderState`,
    `updated_at` its update time (Unix seconds) so late or repeated news can be told apart."""

    order_id: str
    status: str
    state: str
    updated_at: int
    lines: tuple[RemoteOrderLine, ...]


class WebhookRejected(Exception):
    """An incoming push that failed its signature check or could not be read."""


def per_item_batches(pushes: list, size: int) -> list[list]:
    """`pushes` grouped one item (product) a call, at most `size` SKUs a call, the pushes of one
    SKU (one per warehouse) always in the same call: how Shopee and TikTok take stock."""
    items: dict[str, dict[str, list[StockPush]]] = {}
    for push in pushes:
        items.setdefault(push.item_id, {}).setdefault(push.sku_id, []).append(push)
    size = max(1, size)
    batches = []
    for skus in items.values():
        groups = list(skus.values())
        for start in range(0, len(groups), size):
            batches.append([push for group in groups[start : start + size] for push in group])
    return batches


@dataclass(frozen=True)
class PushResult:
    push: StockPush | PricePush
    ok: bool
    retryable: bool = False
    error: str = ""  # the marketplace's own code and message, for the office and the producer


class MarketplaceError(Exception):
    """A call the marketplace refused or that did not get through."""

    def __init__(self, code: str, message: str, *, retryable: bool, auth: bool = False):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message
        self.retryable, self.auth = retryable, auth


class RateLimiter:
    """At most `rate` calls in any `window` seconds, as a server counting arrivals sees them: a
    call holds its slot from the moment it is let through until `window` after its answer came
    back (`done()`), so neither bursts nor network jitter put `rate + 1` calls into one of the
    marketplace's windows. (Across worker processes the engine shares one limiter per account.)"""

    def __init__(self, rate: float, window: float = 1.0, clock=time.monotonic, sleep=time.sleep):
        self.limit = max(1, int(rate))
        self.window, self.clock, self.sleep = window, clock, sleep
        self.calls: deque[float] = deque()

    def acquire(self) -> None:
        while True:
            now = self.clock()
            while self.calls and self.calls[0] <= now - self.window:
                self.calls.popleft()
            if len(self.calls) < self.limit:
                self.calls.append(now)
                return
            self.sleep(max(self.calls[0] + self.window - now, 1e-6))  # floats: always move on

    def done(self) -> None:
        """The last call's answer is in: its window starts now."""
        if self.calls:
            self.calls[-1] = self.clock()


class MarketplaceAdapter(ABC):
    """One seller account on one marketplace."""

    name: str = ""

    def __init__(
        self,
        credentials: Credentials,
        settings: MarketplaceSettings,
        *,
        on_tokens: Callable[[Credentials], None] | None = None,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.credentials = credentials
        self.settings = settings
        self.on_tokens = on_tokens or (lambda credentials: None)
        self.session = session or requests.Session()
        self.limiter = limiter or RateLimiter(settings.calls_per_second)
        self.clock = clock

    # --- what the engine calls ---------------------------------------------------------------
    def push_stock(self, pushes: list[StockPush]) -> list[PushResult]:
        """Send every push in the batches the API allows; one result per push."""
        results = []
        for batch in self.batches(pushes):
            try:
                results.extend(self._with_fresh_token(lambda batch=batch: self.send_stock(batch)))
            except MarketplaceError as error:
                results.extend(
                    PushResult(push, False, error.retryable, f"{error.code}: {error.message}")
                    for push in batch
                )
        return results

    def push_prices(self, pushes: list[PricePush]) -> list[PushResult]:
        """Send every price in the batches the API allows; one result per push."""
        results = []
        for batch in self.batches(pushes):
            try:
                results.extend(self._with_fresh_token(lambda batch=batch: self.send_prices(batch)))
            except MarketplaceError as error:
                results.extend(
                    PushResult(push, False, error.retryable, f"{error.code}: {error.message}")
                    for push in batch
                )
        return results

    def list_skus(self) -> list[RemoteSku]:
        """Every SKU of the shop with the stock the marketplace shows (all pages)."""
        return self._with_fresh_token(self.fetch_skus)

    def orders_updated_since(self, since: int) -> list[RemoteOrder]:
        """Orders created or updated at or after `since` (Unix seconds), with their lines: the
        polling fallback for lost webhooks."""
        return self._with_fresh_token(lambda: self.fetch_orders(since))

    def orders(self, order_ids: list[str]) -> list[RemoteOrder]:
        """The named orders with their lines (what a webhook's order ids lead to)."""
        return self._with_fresh_token(lambda: self.fetch_order_details(order_ids))

    def refresh(self) -> Credentials:
        """Trade the refresh token for a new pair, store it at once (`on_tokens`: Shopee's
        refresh tokens work once) and use it."""
        self.credentials = self.refresh_tokens()
        self.on_tokens(self.credentials)
        return self.credentials

    # --- what each marketplace defines ---------------------------------------------------------
    @abstractmethod
    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """`pushes` grouped as one API call each takes them (per item, at most the batch size)."""

    @abstractmethod
    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        """One stock call; raises MarketplaceError when the whole call fails."""

    @abstractmethod
    def refresh_tokens(self) -> Credentials:
        """The credentials with a new token pair from the marketplace."""

    @abstractmethod
    def send_prices(self, batch: list[PricePush]) -> list[PushResult]:
        """One price call; raises MarketplaceError when the whole call fails."""

    @abstractmethod
    def fetch_skus(self) -> list[RemoteSku]:
        """All pages of the shop's SKUs."""

    @abstractmethod
    def fetch_orders(self, since: int) -> list[RemoteOrder]:
        """All pages of orders updated at or after `since`, with their lines."""

    @abstractmethod
    def fetch_order_details(self, order_ids: list[str]) -> list[RemoteOrder]:
        """The named orders with their lines (in the detail call's batches)."""

    def webhook_order_ids(self, raw_body: bytes, headers, callback_url: str) -> list[str]:
        """The order ids an order-status push names, after checking its signature against the
        raw body (raises WebhookRejected). Marketplaces that do not push (Tiki's events are
        pulled) keep this default."""
        raise WebhookRejected(f"{self.name} does not push order events")

    # --- shared ------------------------------------------------------------------------------
    def _with_fresh_token(self, call):
        if self.token_expiring():
            self.refresh()
        try:
            return call()
        except MarketplaceError as error:
            if not error.auth:
                raise
            self.refresh()  # once on an auth error, then retry once
            return call()

    def token_expiring(self) -> bool:
        expires = self.credentials.access_expires_at
        return bool(expires) and expires - self.settings.refresh_margin <= self.clock()

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """One HTTP call within the rate limit; network failures and timeouts are retryable."""
        self.limiter.acquire()
        try:
            return self.session.request(method, url, timeout=self.settings.timeout, **kwargs)
        except requests.RequestException as error:
            raise MarketplaceError("network", str(error), retryable=True) from error
        finally:
            self.limiter.done()
