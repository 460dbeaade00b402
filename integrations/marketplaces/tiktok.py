"""TikTok Shop Partner API (versioned paths, 202309) — stock pushes and token refresh.

Every call carries the query params `app_key`, `timestamp` (Unix s; the API accepts −5 min …
+30 s), `shop_cipher` (the account's, from `/authorization/202309/shops`, kept in
`credentials.extra["shop_cipher"]`) and `sign`, and the header `x-tts-access-token`. The sign
(see `sign`) is the lower-case hex HMAC-SHA256, keyed with the app secret, of
`app_secret + path + k1v1k2v2… (query params but sign and access_token, sorted by key) + raw body
+ app_secret`.

Stock: `POST /product/202309/products/{product_id}/inventory/update`
`{skus:[{id, inventory:[{warehouse_id, quantity}]}]}` — one product per call, at most 100 SKUs,
absolute per warehouse, every warehouse of a SKU in the same call (pushes of one SKU for several
warehouses go together). Answers `{code (0 = ok), message, request_id, data}`; a call that went
through can still refuse some SKUs in `data.errors[{code, message, detail:{sku_id}}]`.
Throttling is HTTP 429 with code 36009002. Tokens: `GET {auth}/api/v2/token/refresh`, whose
answer carries absolute expiry times (Unix s).

Prices: `POST /product/202309/products/{product_id}/prices/update`
`{skus:[{id, price:{amount: "125000", currency: "VND"}}]}` — integer VND as a string; a SKU in a
promotion is locked (12052038, the whole call). Same batching as stock; a price that is not a
positive integer is refused here, per SKU, before it costs the rest of its batch a call.

SKUs: `POST /product/202309/products/search?page_size=…&page_token=…` (body: filters, none
here) → `data{products:[{id, title, skus:[{id, seller_sku, price:{tax_exclusive_price,
currency}, inventory:[{warehouse_id, quantity}]}]}], next_page_token}` (unverified: field names
from SDK models, not the reference page); the stock shown is the sum over warehouses.

Orders: `POST /order/202309/orders/search?page_size=…&page_token=…` with body
`{update_time_ge}` → `data{orders:[{id, status, update_time, …}], next_page_token}`; then
`GET /order/202309/orders?ids=a,b` (≤ 50) → `data{orders:[{id, status, update_time,
line_items:[{product_id, sku_id, seller_sku}]}]}`. A 202309 line item is **one unit** (it has no
quantity; unverified beyond the SDK models), so lines of one SKU are counted.

Webhooks: `{type, tts_notification_id, shop_id, timestamp, data}`, type 1 = order status change
with `data{order_id, order_status, update_time}`; header `Authorization` = hex
HMAC-SHA256(app_secret, app_key + raw body) (SDK-verified only).
"""

import hashlib
import hmac
import json
from collections import Counter

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
    WebhookRejected,
    per_item_batches,
)

API_HOST = "https://open-api.tiktokglobalshop.com"
AUTH_HOST = "https://auth.tiktok-shops.com"
INVENTORY_PATH = "/product/202309/products/{product_id}/inventory/update"
PRICES_PATH = "/product/202309/products/{product_id}/prices/update"
PRODUCT_SEARCH_PATH = "/product/202309/products/search"
ORDER_SEARCH_PATH = "/order/202309/orders/search"
ORDER_DETAIL_PATH = "/order/202309/orders"
PAGE_SIZE = 100  # the most products/orders per page the search calls take
ORDER_DETAIL_BATCH = 50  # the most ids per order-detail call
CURRENCY = "VND"
ORDER_STATUS_PUSH = 1  # webhook `type` of an order status change
REFRESH_PATH = "/api/v2/token/refresh"
UNSIGNED_PARAMS = ("sign", "access_token")

THROTTLED = 36009002
BAD_SIGN = 106001
EXPIRED_TOKEN = 105002
INVALID_CREDENTIALS = 36009004  # invalid token, app_key or timestamp
PRODUCT_NOT_FOUND = 12052032
AUTH_CODES = frozenset({EXPIRED_TOKEN, INVALID_CREDENTIALS})  # refresh once, then retry once
RETRYABLE_CODES = frozenset({THROTTLED})

# TikTok's order statuses, as what they mean for our stock. TikTok takes the units off the
# listing when the order is placed, paid or not, so UNPAID and ON_HOLD (the buyer's free-cancel
# window) already hold them. PARTIALLY_SHIPPING stays OPEN: some units have not left yet, and
# an open order keeps them all held. From IN_TRANSIT on, the units are with the carrier;
# returns come back as separate return requests, not as an order status. Only CANCELLED (by
# buyer, seller or system, before shipping) frees the units. An unknown status is treated as
# OPEN: holding units too long is safer than selling them twice.
ORDER_STATES = {
    "UNPAID": OrderState.OPEN,
    "ON_HOLD": OrderState.OPEN,
    "AWAITING_SHIPMENT": OrderState.OPEN,
    "PARTIALLY_SHIPPING": OrderState.OPEN,
    "AWAITING_COLLECTION": OrderState.OPEN,
    "IN_TRANSIT": OrderState.SHIPPED,
    "DELIVERED": OrderState.SHIPPED,
    "COMPLETED": OrderState.SHIPPED,
    "CANCELLED": OrderState.CANCELLED,
}


def default_settings(**overrides) -> MarketplaceSettings:
    """TikTok's published figures: ≤ 100 SKUs per call, 50 QPS per API per app and shop (the
    base's sliding window keeps within it)."""
    values = {
        "base_url": API_HOST,
        "auth_url": AUTH_HOST,
        "batch_size": 100,
        "calls_per_second": 50.0,
    }
    return MarketplaceSettings(**{**values, **overrides})


def sign(app_secret: str, path: str, params: dict, body: bytes | str = b"") -> str:
    """TikTok's request signature: lower-case hex HMAC-SHA256(app_secret, app_secret + path +
    sorted `k1v1k2v2…` of the query params except sign and access_token + raw body +
    app_secret). `path` has no host and no query; a multipart body is left out by the caller."""
    pairs = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in UNSIGNED_PARAMS)
    raw = body.encode() if isinstance(body, str) else body
    secret = app_secret.encode()
    message = secret + path.encode() + pairs.encode() + raw + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify_push(app_key: str, raw_body: bytes, authorization_header: str, app_secret: str) -> bool:
    """Whether a webhook came from TikTok: its `Authorization` header is the hex
    HMAC-SHA256(app_secret, app_key + raw body). Checked on the raw bytes, in constant time."""
    expected = hmac.new(app_secret.encode(), app_key.encode() + raw_body, hashlib.sha256)
    given = (authorization_header or "").strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.hexdigest().encode(), given)


def error_for(code, message: str, status: int = 200) -> MarketplaceError:
    """A TikTok answer's code as our error: throttling and server faults are worth retrying,
    an expired or invalid token asks for a refresh, anything else (bad sign, product not found,
    invalid params) stays refused."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = None
    retryable = number in RETRYABLE_CODES or status == 429 or status >= 500
    return MarketplaceError(
        str(code), message or "", retryable=retryable, auth=number in AUTH_CODES
    )


def is_price(price) -> bool:
    return isinstance(price, int) and not isinstance(price, bool) and price > 0


def per_sku_results(batch: list, data: dict) -> list[PushResult]:
    """One result per push of a call that went through: the SKUs TikTok named in
    `data.errors[{code, message, detail:{sku_id}}]` failed, the others took."""
    refused = {}
    for error in data.get("errors") or []:
        detail = error.get("detail") or {}
        refused[str(detail.get("sku_id", ""))] = error_for(
            error.get("code"), error.get("message", "")
        )
    results = []
    for push in batch:
        error = refused.get(push.sku_id)
        if error is None:
            results.append(PushResult(push, True))
        else:
            results.append(
                PushResult(push, False, error.retryable, f"{error.code}: {error.message}")
            )
    return results


def remote_order(order: dict) -> RemoteOrder:
    """An order-detail entry as a RemoteOrder; its one-unit line items counted per SKU."""
    units = Counter(
        (str(line.get("product_id", "")), str(line.get("sku_id", "")), line.get("seller_sku") or "")
        for line in order.get("line_items") or []
    )
    status = order.get("status") or ""
    return RemoteOrder(
        order_id=str(order.get("id", "")),
        status=status,
        state=ORDER_STATES.get(status, OrderState.OPEN),
        updated_at=int(order.get("update_time") or 0),
        lines=tuple(
            RemoteOrderLine(item_id, sku_id, seller_sku, quantity)
            for (item_id, sku_id, seller_sku), quantity in units.items()
        ),
    )


class TikTokAdapter(MarketplaceAdapter):
    name = "tiktok"

    # --- batching ----------------------------------------------------------------------------
    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """One call per product, at most `batch_size` SKUs each; every warehouse of a SKU in the
        same call (the API wants them all listed together)."""
        return per_item_batches(pushes, self.settings.batch_size)

    # --- stock -------------------------------------------------------------------------------
    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        skus: dict[str, list[dict]] = {}
        for push in batch:
            entry = {"quantity": max(0, int(push.quantity))}
            if push.warehouse_id:
                entry = {"warehouse_id": push.warehouse_id, **entry}
            skus.setdefault(push.sku_id, []).append(entry)
        body = {"skus": [{"id": sku, "inventory": inventory} for sku, inventory in skus.items()]}
        data = self.call("POST", INVENTORY_PATH.format(product_id=batch[0].item_id), body)
        return per_sku_results(batch, data)

    # --- prices ------------------------------------------------------------------------------
    def send_prices(self, batch: list[PricePush]) -> list[PushResult]:
        valid = [push for push in batch if is_price(push.price)]
        sent = iter([])
        if valid:
            skus = [
                {"id": push.sku_id, "price": {"amount": str(push.price), "currency": CURRENCY}}
                for push in valid
            ]
            path = PRICES_PATH.format(product_id=valid[0].item_id)
            sent = iter(per_sku_results(valid, self.call("POST", path, {"skus": skus})))
        invalid = "invalid_price: the price must be a positive whole number of VND"
        return [
            next(sent) if is_price(push.price) else PushResult(push, False, False, invalid)
            for push in batch
        ]

    # --- listing -----------------------------------------------------------------------------
    def fetch_skus(self) -> list[RemoteSku]:
        skus = []
        for product in self.pages(PRODUCT_SEARCH_PATH, {}, "products"):
            for sku in product.get("skus") or []:
                price = (sku.get("price") or {}).get("tax_exclusive_price")
                skus.append(
                    RemoteSku(
                        item_id=str(product.get("id", "")),
                        sku_id=str(sku.get("id", "")),
                        seller_sku=sku.get("seller_sku") or "",
                        name=product.get("title") or "",
                        quantity=sum(
                            int(entry.get("quantity") or 0) for entry in sku.get("inventory") or []
                        ),
                        price=int(float(price)) if price not in (None, "") else None,
                    )
                )
        return skus

    # --- orders ------------------------------------------------------------------------------
    def fetch_orders(self, since: int) -> list[RemoteOrder]:
        listed = self.pages(ORDER_SEARCH_PATH, {"update_time_ge": int(since)}, "orders")
        ids = dict.fromkeys(str(order.get("id")) for order in listed if order.get("id"))
        return self.fetch_order_details(list(ids))  # an order updated mid-run can show twice

    def fetch_order_details(self, order_ids: list[str]) -> list[RemoteOrder]:
        orders = []
        for start in range(0, len(order_ids), ORDER_DETAIL_BATCH):
            ids = ",".join(order_ids[start : start + ORDER_DETAIL_BATCH])
            data = self.call("GET", ORDER_DETAIL_PATH, params={"ids": ids})
            orders.extend(remote_order(order) for order in data.get("orders") or [])
        return orders

    # --- webhooks ----------------------------------------------------------------------------
    def webhook_order_ids(self, raw_body: bytes, headers, callback_url: str) -> list[str]:
        """TikTok signs `app_key + raw body` (the callback URL is not part of it)."""
        credentials = self.credentials
        signature = headers.get("Authorization") or ""
        if not verify_push(credentials.app_key, raw_body, signature, credentials.app_secret):
            raise WebhookRejected("TikTok push: wrong or missing signature")
        try:
            push = json.loads(raw_body)
            if push.get("type") != ORDER_STATUS_PUSH:
                return []
            return [str(push["data"]["order_id"])]
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise WebhookRejected(f"TikTok push: unreadable body ({error})") from error

    # --- calls -------------------------------------------------------------------------------
    def pages(self, path: str, filters: dict, key: str) -> list[dict]:
        """Every entry under `data[key]` of a paginated search, following `next_page_token`."""
        entries, token, seen = [], "", set()
        while True:
            params = {"page_size": PAGE_SIZE, **({"page_token": token} if token else {})}
            data = self.call("POST", path, filters, params=params)
            entries.extend(data.get(key) or [])
            token = data.get("next_page_token") or ""
            if not token:
                return entries
            if token in seen:
                raise MarketplaceError("bad_answer", f"{path}: page token repeats", retryable=True)
            seen.add(token)

    def call(
        self, method: str, path: str, body: dict | None = None, *, params: dict | None = None
    ) -> dict:
        """One signed API call (`params`: the call's own query params, signed too); the
        answer's `data`, or MarketplaceError."""
        credentials = self.credentials
        raw = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        params = {
            **{key: str(value) for key, value in (params or {}).items()},
            "app_key": credentials.app_key,
            "timestamp": str(int(self.clock())),
            "shop_cipher": credentials.extra.get("shop_cipher", ""),
        }
        params["sign"] = sign(credentials.app_secret, path, params, raw)
        headers = {"x-tts-access-token": credentials.access_token}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.request(
            method, self.settings.base_url + path, params=params, data=raw, headers=headers
        )
        return self.answer(response)

    @staticmethod
    def answer(response) -> dict:
        status = response.status_code
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            message = (response.text or response.reason or "")[:200]
            raise MarketplaceError(
                f"http_{status}", message, retryable=status == 429 or status >= 500
            )
        code = payload.get("code")
        if str(code) == "0" and status < 400:
            return payload.get("data") or {}
        raise error_for(code, payload.get("message", ""), status)

    # --- tokens ------------------------------------------------------------------------------
    def refresh_tokens(self) -> Credentials:
        credentials = self.credentials
        params = {
            "app_key": credentials.app_key,
            "app_secret": credentials.app_secret,
            "refresh_token": credentials.refresh_token,
            "grant_type": "refresh_token",
        }
        auth_url = self.settings.auth_url or self.settings.base_url
        data = self.answer(self.request("GET", auth_url + REFRESH_PATH, params=params))
        try:
            return credentials.with_tokens(
                data["access_token"],
                data["refresh_token"],
                float(data["access_token_expire_in"]),
                float(data["refresh_token_expire_in"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            message = f"token refresh: {error}"
            raise MarketplaceError("bad_answer", message, retryable=True) from error
