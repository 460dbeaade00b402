"""Tiki Open API (Vietnam) — stock and price pushes, the SKU listing, order polling and token
refresh. Partly verified: see ../shared/domain/marketplaces.md.

OAuth 2 bearer tokens, no request signature. Stock: `PUT /integration/v2.1/products/updateSkus`
`{skus:[{original_sku, warehouse_quantities:[{warehouse_id, qty_available}]}]}`, absolute per
warehouse; prices go the same way as `{original_sku, price}` (integer VND, as `updateSku` takes
it). The batch size is **unverified**: `batch_size` 50 is a setting to adjust once Tiki
confirms it, and so is the rate (Tiki publishes none). The per-item answer is unverified too: we
read `data[{original_sku, success, errors}]` and count an item the answer does not name as taken
when the call succeeded. Errors: `{"errors": [...]}` with the HTTP status — 401 asks for a
refresh (once), 429 and 5xx are worth retrying, any other 4xx is refused. Tokens:
`POST /sc/oauth2/token` (form) `grant_type=refresh_token, refresh_token, client_id,
client_secret`, answering OAuth 2's `{access_token, refresh_token, expires_in (relative s)}`.

Listing: `GET /integration/v2.1/products?include=inventory&page&limit` answering
`{data:[{product_id, sku, original_sku, name, price, inventory}], paging:{current_page,
last_page}}` (seen in integrators' code); the stock inside `inventory` as
`warehouse_quantities:[{warehouse_id, qty_available}]` is **(unverified)**. A Tiki "product" is
one sellable SKU (variants are products under a `super_id`), so `item_id` is its `product_id`
and `sku_id` Tiki's own `sku`.

Orders: Tiki pushes nothing (its events are pulled from a queue), so polling is the only way in.
`GET /integration/v2/orders?updated_from_date&order_by=updated_at|asc&page&limit` (parameters
as published in Tiki's order-listing v2) already carries each order's `items[{product:{id, sku,
seller_product_code}, qty}]`, so no detail call is needed while polling; the detail endpoint
`GET /integration/v2/orders/{code}` takes one order a call. Timestamps are
`"YYYY-MM-DD HH:MM:SS"` in Vietnam time **(unverified zone)**; `seller_product_code` as the
seller's SKU is **(unverified)**.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from integrations.marketplaces.base import (
    Credentials,
    MarketplaceAdapter,
    MarketplaceError,
    MarketplaceSettings,
    OrderState,
    PricePush,
    PushResult,
    RemoteOrder,
    RemoteOrderLine,
    RemoteSku,
    StockPush,
)

API_HOST = "https://api.tiki.vn"
UPDATE_SKUS_PATH = "/integration/v2.1/products/updateSkus"
TOKEN_PATH = "/sc/oauth2/token"
PRODUCTS_PATH = "/integration/v2.1/products"
ORDERS_PATH = "/integration/v2/orders"
PAGE_SIZE = 50  # the `limit` we ask for; Tiki may answer fewer a page, `paging` says how many pages
TIKI_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # unverified: Tiki's timestamps carry no zone
TIKI_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

# Tiki's order statuses (order-listing v2) as what they mean for our stock. Until Tiki's
# partner carries the parcel the units are still held; from the handover on they have left.
# `closed` ends an order that never completed, as `canceled` does (integrators read it so;
# unverified), so its units are free.
# `returned` stays SHIPPED: the goods come back by post, and the office books them in when they
# arrive, not when Tiki says so. A status this table does not know holds the units (OPEN): we
# would rather under-sell for one poll than sell what is gone.
ORDER_STATES = {
    "waiting_payment": OrderState.OPEN,
    "queueing": OrderState.OPEN,
    "processing": OrderState.OPEN,
    "paid": OrderState.OPEN,
    "holded": OrderState.OPEN,
    "packaging": OrderState.OPEN,
    "finished_packing": OrderState.OPEN,
    "picking": OrderState.OPEN,
    "ready_to_ship": OrderState.OPEN,
    "handover_to_partner": OrderState.SHIPPED,
    "shipping": OrderState.SHIPPED,
    "delivered": OrderState.SHIPPED,
    "successful_delivery": OrderState.SHIPPED,
    "complete": OrderState.SHIPPED,
    "returned": OrderState.SHIPPED,
    "canceled": OrderState.CANCELLED,
    "closed": OrderState.CANCELLED,
}
REFRESH_TOKEN_DAYS = 30  # unverified: Tiki does not say; used only when the answer is silent


def default_settings(**overrides) -> MarketplaceSettings:
    values = {
        "base_url": API_HOST,
        "auth_url": API_HOST,
        "batch_size": 50,  # unverified
        "calls_per_second": 5.0,  # unverified
    }
    return MarketplaceSettings(**{**values, **overrides})


def error_from(response) -> MarketplaceError:
    """A refused call as our error, with Tiki's own messages."""
    status = response.status_code
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    messages = payload.get("errors") if isinstance(payload, dict) else None
    if isinstance(messages, list) and messages:
        message = "; ".join(
            str(m.get("message", m) if isinstance(m, dict) else m) for m in messages
        )
    elif isinstance(payload, dict) and payload.get("error"):  # OAuth 2 answers
        message = f"{payload['error']}: {payload.get('error_description', '')}".rstrip(": ")
    else:
        message = (response.text or response.reason or "")[:200]
    return MarketplaceError(
        str(status), message, retryable=status == 429 or status >= 500, auth=status == 401
    )


def tiki_time(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, TIKI_ZONE).strftime(TIKI_TIME_FORMAT)


def unix_time(tiki_timestamp: str) -> int:
    moment = datetime.strptime(tiki_timestamp, TIKI_TIME_FORMAT).replace(tzinfo=TIKI_ZONE)
    return int(moment.timestamp())


def order_from(raw: dict) -> RemoteOrder:
    """One Tiki order (listing or detail answer) as ours."""
    lines = []
    for item in raw.get("items") or []:
        product = item.get("product") or {}
        lines.append(
            RemoteOrderLine(
                item_id=str(product.get("id", "")),
                sku_id=str(product.get("sku") or ""),
                seller_sku=str(product.get("seller_product_code") or ""),
                quantity=int(item.get("qty") or 0),
            )
        )
    status = str(raw.get("status") or "")
    return RemoteOrder(
        order_id=str(raw["code"]),
        status=status,
        state=ORDER_STATES.get(status, OrderState.OPEN),
        updated_at=unix_time(raw["updated_at"]),
        lines=tuple(lines),
    )


def bad_answer(what: str, error: Exception) -> MarketplaceError:
    return MarketplaceError("bad_answer", f"{what}: {error!r}", retryable=True)


class TikiAdapter(MarketplaceAdapter):
    name = "tiki"

    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """At most `batch_size` SKUs a call, every warehouse of a SKU in the same call."""
        skus: dict[str, list[StockPush]] = {}
        for push in pushes:
            skus.setdefault(push.seller_sku or push.sku_id, []).append(push)
        groups, size = list(skus.values()), max(1, self.settings.batch_size)
        return [
            [push for group in groups[start : start + size] for push in group]
            for start in range(0, len(groups), size)
        ]

    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        skus: dict[str, list[dict]] = {}
        for push in batch:
            quantity = {"warehouse_id": push.warehouse_id, "qty_available": max(0, push.quantity)}
            skus.setdefault(push.seller_sku or push.sku_id, []).append(quantity)
        body = [
            {"original_sku": sku, "warehouse_quantities": quantities}
            for sku, quantities in skus.items()
        ]
        return self.update_skus(batch, body)

    def send_prices(self, batch: list[PricePush]) -> list[PushResult]:
        body = [
            {"original_sku": push.seller_sku or push.sku_id, "price": int(push.price)}
            for push in batch
        ]
        return self.update_skus(batch, body)

    def update_skus(self, batch: list, skus: list[dict]) -> list[PushResult]:
        """One updateSkus call; a result per push, refused SKUs with Tiki's message."""
        response = self.request(
            "PUT",
            self.settings.base_url + UPDATE_SKUS_PATH,
            json={"skus": skus},
            headers=self.bearer(),
        )
        if not 200 <= response.status_code < 300:
            raise error_from(response)
        try:
            items = response.json().get("data") or []
        except (ValueError, AttributeError):
            items = []
        refused = {
            str(item.get("original_sku")): "; ".join(map(str, item.get("errors") or [])) or "failed"
            for item in items
            if isinstance(item, dict) and item.get("success") is False
        }
        results = []
        for push in batch:
            message = refused.get(push.seller_sku or push.sku_id)
            if message is None:
                results.append(PushResult(push, True))
            else:
                results.append(PushResult(push, False, False, f"{response.status_code}: {message}"))
        return results

    def fetch_skus(self) -> list[RemoteSku]:
        skus = []
        for product in self.pages(PRODUCTS_PATH, {"include": "inventory"}):
            try:
                warehouses = (product.get("inventory") or {}).get("warehouse_quantities") or []
                price = product.get("price")
                skus.append(
                    RemoteSku(
                        item_id=str(product["product_id"]),
                        sku_id=str(product.get("sku") or ""),
                        seller_sku=str(product.get("original_sku") or ""),
                        name=str(product.get("name") or ""),
                        quantity=sum(int(w.get("qty_available") or 0) for w in warehouses),
                        price=None if price is None else int(price),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise bad_answer("product listing", error) from error
        return skus

    def fetch_orders(self, since: int) -> list[RemoteOrder]:
        # Tiki filters on updated_at *greater than* a whole second: ask from one second
        # earlier and keep what is at or after `since`.
        params = {"updated_from_date": tiki_time(since - 1), "order_by": "updated_at|asc"}
        orders: dict[str, RemoteOrder] = {}
        for raw in self.pages(ORDERS_PATH, params):
            try:
                order = order_from(raw)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise bad_answer("order listing", error) from error
            if order.updated_at >= since:
                orders[order.order_id] = order  # an order updated mid-run shows up twice
        return list(orders.values())

    def fetch_order_details(self, order_ids: list[str]) -> list[RemoteOrder]:
        orders = []
        for order_id in order_ids:
            response = self.request(
                "GET", f"{self.settings.base_url}{ORDERS_PATH}/{order_id}", headers=self.bearer()
            )
            if response.status_code == 404:
                continue  # not this seller's order (or none at all): nothing to book
            try:
                orders.append(order_from(self.answer(response)))
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise bad_answer("order detail", error) from error
        return orders

    def pages(self, path: str, params: dict):
        """Every row of a paged Tiki listing, page after page until `paging.last_page`."""
        page = 1
        while True:
            query = {**params, "page": page, "limit": PAGE_SIZE}
            response = self.request(
                "GET", self.settings.base_url + path, params=query, headers=self.bearer()
            )
            answer = self.answer(response)
            rows = answer.get("data") if isinstance(answer, dict) else None
            if not isinstance(rows, list):
                raise bad_answer(path, ValueError("no data list"))
            yield from rows
            last_page = (answer.get("paging") or {}).get("last_page") or page
            if not rows or page >= int(last_page):
                return
            page += 1

    def answer(self, response):
        if not 200 <= response.status_code < 300:
            raise error_from(response)
        try:
            return response.json()
        except ValueError as error:
            raise bad_answer("answer", error) from error

    def bearer(self) -> dict:
        return {"Authorization": f"Bearer {self.credentials.access_token}"}

    def refresh_tokens(self) -> Credentials:
        credentials = self.credentials
        form = {
            "grant_type": "refresh_token",
            "refresh_token": credentials.refresh_token,
            "client_id": credentials.app_key,
            "client_secret": credentials.app_secret,
        }
        url = (self.settings.auth_url or self.settings.base_url) + TOKEN_PATH
        response = self.request("POST", url, data=form)
        if not 200 <= response.status_code < 300:
            error = error_from(response)
            # A refused refresh token does not get better by refreshing again.
            raise MarketplaceError(error.code, error.message, retryable=error.retryable)
        try:
            data = response.json()
            now = self.clock()
            return credentials.with_tokens(
                data["access_token"],
                data.get("refresh_token") or credentials.refresh_token,
                now + float(data["expires_in"]),
                now + float(data.get("refresh_expires_in") or REFRESH_TOKEN_DAYS * 86400),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            message = f"token refresh: {error}"
            raise MarketplaceError("bad_answer", message, retryable=True) from error
