"""Lazada Open Platform (Vietnam): stock and price pushes, SKU listing, orders, token refresh
and push messages.

Facts from ../shared/domain/marketplaces.md (Lazada's developer portal):

- every call carries the system parameters `app_key`, `timestamp` (epoch **milliseconds**),
  `sign_method=sha256`, `access_token` (seller calls) and `sign`; writes are POSTs whose
  parameters travel as form fields;
- **sign**: every parameter except `sign` (and files), sorted by name, appended as `k1v1k2v2…`
  to the API path (without `/rest`), plus the raw body when the body is JSON; HMAC-SHA256 keyed
  with the app secret, **upper-case** hex (`sign`);
- answers are `{code, type, message, request_id, data, detail}`, `code` `"0"` on success;
- stock and price: one endpoint, `POST /product/price_quantity/update`, form field `payload`,
  at most 50 SKUs a call, absolute quantities, prices as integer VND (`Price`); 50 calls a
  second per seller;
- SKUs: `GET /products/get` (`filter=all`, `offset`, `limit` ≤ 50) answers
  `data.total_products` and `data.products[{item_id, attributes.name, skus[{SkuId, SellerSku,
  quantity, price, multiWarehouseInventories[{warehouseCode, quantity}]}]}]` (unverified shape,
  from Lazada's API explorer as third-party SDKs read it);
- orders: `GET /orders/get` (`update_after` ISO 8601, `sort_by=updated_at`, `offset`, `limit`
  ≤ 100) answers `data.countTotal` and `data.orders[{order_id, statuses, updated_at}]`; then
  `GET /orders/items/get` (`order_ids` = `[1,2]`, at most 50 a call, more answers `E038`)
  answers `data[{order_id, order_items[{order_item_id, sku_id, sku (the seller SKU), shop_sku,
  status, updated_at}]}]` — checked against Lazada's API reference. Items carry no quantity: one
  order item is one unit. They carry no item id either: it is read from `shop_sku`
  (`<item_id>_VNAMZ-<sku_id>`, a convention seen in answers, unverified). Times are written
  `2026-12-01 10:00:00 +0700` or ISO 8601 (both read);
- push message: `{seller_id, message_type, data, timestamp}`, `message_type` 0 = a trade order
  status change naming `data.trade_order_id` (`order_status`, `trade_order_line_id`,
  `status_update_time` beside it; seen in third-party code, unverified);
- tokens: `POST /auth/token/refresh` on the auth host (signed the same way, no access token)
  answers `access_token`, `refresh_token`, `expires_in`, `refresh_expires_in` (seconds);
- push messages carry `Authorization` = hex HMAC-SHA256(app secret, app_key + raw body)
  (`verify_push`).
"""

import hashlib
import hmac
import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from integrations.marketplaces.base import (
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
)

STOCK_PATH = "/product/price_quantity/update"  # prices go to the same endpoint
PRICE_PATH = STOCK_PATH
PRODUCTS_PATH = "/products/get"
ORDERS_PATH = "/orders/get"
ORDER_ITEMS_PATH = "/orders/items/get"
REFRESH_PATH = "/auth/token/refresh"
MAX_SKUS_PER_CALL = 50  # more answers E204
PRODUCTS_PER_PAGE = 50  # `limit` of /products/get
ORDERS_PER_PAGE = 100  # `limit` of /orders/get
ORDER_IDS_PER_CALL = 50  # `order_ids` of /orders/items/get
ORDER_PUSH_TYPE = 0  # `message_type` of a trade order status push
TIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"  # how Lazada writes `updated_at`

# Lazada's order (item) statuses (the `status` filter of /orders/get lists them) and what they
# mean for our stock. Parcels that failed delivery, came back, got lost or scrapped had already
# left the warehouse: units that return go through the office's return check, not back into
# stock by themselves, so they count as SHIPPED. `canceled` (Lazada's spelling) frees the units.
# A status not listed holds the units (OPEN) until a known one arrives.
ORDER_STATES = {
    **dict.fromkeys(
        ["unpaid", "pending", "packed", "repacked", "topack", "toship", "ready_to_ship"],
        OrderState.OPEN,
    ),
    **dict.fromkeys(
        ["shipping", "shipped", "delivered", "confirmed", "failed", "failed_delivery"],
        OrderState.SHIPPED,
    ),
    **dict.fromkeys(
        ["returned", "lost", "lost_by_3pl", "damaged_by_3pl", "package_scrapped"],
        OrderState.SHIPPED,
    ),
    **dict.fromkeys(
        ["shipped_back", "shipped_back_success", "shipped_back_failed"], OrderState.SHIPPED
    ),
    "canceled": OrderState.CANCELLED,
}

LAZADA_VN = MarketplaceSettings(
    base_url="https://api.lazada.vn/rest",
    auth_url="https://auth.lazada.com/rest",
    batch_size=MAX_SKUS_PER_CALL,  # Lazada recommends 20; 50 is the most a call takes
    calls_per_second=50,  # inventory APIs, per seller
)

# What each of Lazada's codes means for us: (retryable, auth). A code not listed is a refusal
# that retrying will not change, unless the answer's `type` is SYSTEM (Lazada's own fault).
ERRORS = {
    "IncompleteSignature": (False, False),
    "IllegalAccessToken": (False, True),  # expired or revoked: refresh once, retry once
    "IllegalRefreshToken": (False, False),  # the seller must authorise the app again
    "ApiCallLimit": (True, False),  # throttled; the ban lasts about a second
    "E901": (True, False),  # too frequent
    "E501": (True, False),  # update failed
    "E204": (False, False),  # too many SKUs in one call
    "ServiceUnavailable": (True, False),
    "ServiceTimeout": (True, False),
}


def signing_string(api_path: str, params: dict, body: str = "") -> str:
    """`api_path` + `k1v1k2v2…` (parameters but `sign`, sorted by name) + a raw JSON body."""
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign")
    return f"{api_path}{pairs}{body}"


def sign(app_secret: str, api_path: str, params: dict, body: str = "") -> str:
    """Lazada's request signature: upper-case hex HMAC-SHA256 of `signing_string`."""
    message = signing_string(api_path, params, body).encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest().upper()


def verify_push(app_key: str, raw_body, authorization_header: str, app_secret: str) -> bool:
    """Whether a push message came from Lazada: its `Authorization` header is the hex
    HMAC-SHA256 (key = app secret) of the app key followed by the **raw** body, as received.
    Compared in constant time; hex case does not matter."""
    if not authorization_header:
        return False
    body = raw_body if isinstance(raw_body, bytes) else str(raw_body).encode()
    expected = hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), authorization_header.strip().lower().encode())


class LazadaError(MarketplaceError):
    pass


def error_from(answer: dict) -> LazadaError:
    code = str(answer.get("code") or "unknown")
    retryable, auth = ERRORS.get(code, (answer.get("type") == "SYSTEM", False))
    return LazadaError(code, str(answer.get("message") or ""), retryable=retryable, auth=auth)


class LazadaAdapter(MarketplaceAdapter):
    """One Lazada seller account. `credentials.app_key`/`app_secret` are the app's,
    `access_token`/`refresh_token` the seller's authorisation."""

    name = "lazada"

    def __init__(self, credentials, settings: MarketplaceSettings = LAZADA_VN, **kwargs):
        super().__init__(credentials, settings, **kwargs)

    # --- stock ---------------------------------------------------------------------------------
    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """SKUs of different products may share a call: plain slices of the batch size."""
        size = max(1, min(self.settings.batch_size, MAX_SKUS_PER_CALL))
        return [pushes[i : i + size] for i in range(0, len(pushes), size)]

    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        """One `/product/price_quantity/update` call with the batch's absolute quantities.

        The `payload` form field is JSON — `{"Request": {"Product": {"Skus": {"Sku": [...]}}}}`,
        the same tree as the XML Lazada documents first; its newer APIs take JSON too. A SKU
        with a `warehouse_id` is sent in the multi-warehouse form
        (`MultiWarehouseInventories.MultiWarehouseInventory[{WarehouseCode, Quantity}]`).

        Partial failure: Lazada lists the SKUs it refused in the answer's `detail`
        (`[{field, seller_sku, message}]`, here also an optional `code`), "when the call fails
        (all or part of the request)". The SKUs `detail` does not name took (our reading); an
        entry naming no SKU of the batch also fails every SKU not named. Retrying an item helps
        only when its own code is a retryable one; otherwise it is parked with Lazada's message."""
        return self._update(batch, [self._sku(push) for push in batch])

    def send_prices(self, batch: list[PricePush]) -> list[PushResult]:
        """The same `/product/price_quantity/update` call with `Price` (integer VND) instead of
        quantities; a price Lazada refuses fails that SKU alone, as for stock."""
        skus = []
        for push in batch:
            sku = {"ItemId": push.item_id, "SellerSku": push.seller_sku, "Price": int(push.price)}
            if push.sku_id:
                sku["SkuId"] = push.sku_id
            skus.append(sku)
        return self._update(batch, skus)

    def _update(self, batch: list, skus: list[dict]) -> list[PushResult]:
        payload = json.dumps({"Request": {"Product": {"Skus": {"Sku": skus}}}})
        answer = self.call(STOCK_PATH, {"payload": payload}, partial=True)
        return self._results(batch, answer)

    @staticmethod
    def _sku(push: StockPush) -> dict:
        sku = {"ItemId": push.item_id, "SellerSku": push.seller_sku}
        if push.sku_id:
            sku["SkuId"] = push.sku_id
        quantity = max(0, int(push.quantity))  # Lazada refuses negative quantities
        if push.warehouse_id:
            sku["MultiWarehouseInventories"] = {
                "MultiWarehouseInventory": [
                    {"WarehouseCode": push.warehouse_id, "Quantity": quantity}
                ]
            }
        else:
            sku["Quantity"] = quantity
        return sku

    @staticmethod
    def _results(batch: list, answer: dict) -> list[PushResult]:
        call_code = str(answer.get("code") or "0")
        failures: dict[str, tuple[bool, str]] = {}
        unattributed = None
        skus = {push.seller_sku for push in batch}
        for entry in answer.get("detail") or []:
            code = str(entry.get("code") or (call_code if call_code != "0" else ""))
            message = str(entry.get("message") or answer.get("message") or "")
            failure = (ERRORS.get(entry.get("code"), (False, False))[0], _text(code, message))
            if entry.get("seller_sku") in skus:
                failures[entry["seller_sku"]] = failure
            else:
                unattributed = unattributed or failure
        results = []
        for push in batch:
            failure = failures.get(push.seller_sku) or unattributed
            if failure:
                results.append(PushResult(push, False, failure[0], failure[1]))
            else:
                results.append(PushResult(push, True))
        return results

    # --- SKUs ----------------------------------------------------------------------------------
    def fetch_skus(self) -> list[RemoteSku]:
        """Every SKU of every product (`filter=all`), page by page. The stock shown is the sum
        over the SKU's warehouses when it has several, else its `quantity`."""
        products = self._pages(
            PRODUCTS_PATH, {"filter": "all"}, PRODUCTS_PER_PAGE, "products", "total_products"
        )
        skus = []
        for product in products:
            name = str((product.get("attributes") or {}).get("name") or "")
            for sku in product.get("skus") or []:
                places = sku.get("multiWarehouseInventories") or []
                if places:
                    quantity = sum(int(place.get("quantity") or 0) for place in places)
                else:
                    quantity = int(sku.get("quantity") or 0)
                price = sku.get("price")
                skus.append(
                    RemoteSku(
                        item_id=str(product["item_id"]),
                        sku_id=str(sku.get("SkuId") or ""),
                        seller_sku=str(sku.get("SellerSku") or ""),
                        name=name,
                        quantity=quantity,
                        price=round(float(price)) if price not in (None, "") else None,
                    )
                )
        return skus

    # --- orders --------------------------------------------------------------------------------
    def fetch_orders(self, since: int) -> list[RemoteOrder]:
        """`/orders/get` updated at or after `since`, oldest first, page by page; then their
        items. An order's update time is the later of the list's and its items'."""
        params = {
            "update_after": datetime.fromtimestamp(since, UTC).isoformat(timespec="seconds"),
            "sort_by": "updated_at",
            "sort_direction": "ASC",
        }
        listed = self._pages(ORDERS_PATH, params, ORDERS_PER_PAGE, "orders", "countTotal")
        listed_at = {str(order["order_id"]): _unix(order.get("updated_at")) for order in listed}
        return [
            replace(order, updated_at=max(order.updated_at, listed_at[order.order_id]))
            for order in self.fetch_order_details(list(listed_at))
        ]

    def fetch_order_details(self, order_ids: list[str]) -> list[RemoteOrder]:
        """`/orders/items/get`, at most ORDER_IDS_PER_CALL orders a call."""
        orders = []
        for start in range(0, len(order_ids), ORDER_IDS_PER_CALL):
            chunk = order_ids[start : start + ORDER_IDS_PER_CALL]
            answer = self.call(
                ORDER_ITEMS_PATH, {"order_ids": "[" + ",".join(chunk) + "]"}, method="GET"
            )
            for entry in answer.get("data") or []:
                orders.append(_order(str(entry["order_id"]), entry.get("order_items") or []))
        return orders

    # --- push messages -------------------------------------------------------------------------
    def webhook_order_ids(self, raw_body: bytes, headers, callback_url: str) -> list[str]:
        """The trade order a status push names. Lazada signs `app_key + raw body`; the callback
        URL is not part of it."""
        credentials = self.credentials
        authorization = headers.get("Authorization") or ""
        if not verify_push(credentials.app_key, raw_body, authorization, credentials.app_secret):
            raise WebhookRejected("Lazada push with a wrong or missing signature")
        try:
            message = json.loads(raw_body)
            if str(message.get("message_type")) != str(ORDER_PUSH_TYPE):
                return []
            return [str(message["data"]["trade_order_id"])]
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise WebhookRejected(f"unreadable Lazada push: {error}") from error

    # --- tokens --------------------------------------------------------------------------------
    def refresh_tokens(self):
        """`/auth/token/refresh` on the auth host. Refreshing does not extend the refresh
        token's life: `refresh_expires_in` counts what is left of it."""
        answer = self.call(
            REFRESH_PATH,
            {"refresh_token": self.credentials.refresh_token},
            base_url=self.settings.auth_url or self.settings.base_url,
            with_token=False,
        )
        if not answer.get("access_token"):
            raise LazadaError("IllegalRefreshToken", "no access token answered", retryable=False)
        now = self.clock()
        return self.credentials.with_tokens(
            answer["access_token"],
            answer.get("refresh_token") or self.credentials.refresh_token,
            now + float(answer.get("expires_in") or 0),
            now + float(answer.get("refresh_expires_in") or 0),
        )

    # --- the signed call -----------------------------------------------------------------------
    def call(
        self,
        api_path: str,
        params: dict,
        *,
        base_url: str = "",
        with_token: bool = True,
        partial: bool = False,
        method: str = "POST",
    ) -> dict:
        """`api_path` (POST: form fields; GET: the query) with the system parameters and
        `sign`; the answer when `code` is "0" (or, with `partial`, when `detail` names the items
        that failed), else a LazadaError."""
        signed = {
            "app_key": self.credentials.app_key,
            "timestamp": str(int(self.clock() * 1000)),
            "sign_method": "sha256",
            **params,
        }
        if with_token:
            signed["access_token"] = self.credentials.access_token
        signed["sign"] = sign(self.credentials.app_secret, api_path, signed)
        url = (base_url or self.settings.base_url) + api_path
        sent = {"data": signed} if method == "POST" else {"params": signed}
        response = self.request(method, url, **sent)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            status = response.status_code
            retryable = status >= 500 or status == 429
            raise LazadaError(f"HTTP {status}", response.text[:200], retryable=retryable)
        if str(answer.get("code", "0")) == "0" or (partial and answer.get("detail")):
            return answer
        raise error_from(answer)

    def _pages(self, api_path: str, params: dict, limit: int, rows: str, total: str) -> list:
        """Every row of a listing, `limit` a page by `offset`: on until `total` rows came (the
        server may answer fewer than asked) or a page is empty."""
        found = []
        while True:
            answer = self.call(
                api_path, {**params, "offset": len(found), "limit": limit}, method="GET"
            )
            data = answer.get("data") or {}
            page = data.get(rows) or []
            found.extend(page)
            if not page or len(found) >= int(data.get(total) or 0):
                return found


def _unix(text) -> int:
    """Unix seconds of a Lazada time (`2026-12-01 10:00:00 +0700` or ISO 8601); 0 when absent."""
    if not text:
        return 0
    try:
        return int(datetime.strptime(text, TIME_FORMAT).timestamp())
    except ValueError:
        return int(datetime.fromisoformat(text).timestamp())


def _order(order_id: str, items: list[dict]) -> RemoteOrder:
    """One order from its items (one item a unit). Items Lazada cancelled within a live order
    free their units, so they are left out; an order whose items are all cancelled keeps them
    all, as CANCELLED. Otherwise the order is OPEN while any item is, else SHIPPED."""
    states = [ORDER_STATES.get(str(item.get("status")), OrderState.OPEN) for item in items]
    live = [
        item for item, state in zip(items, states, strict=True) if state != OrderState.CANCELLED
    ]
    if not live:
        state = OrderState.CANCELLED
    elif OrderState.OPEN in states:
        state = OrderState.OPEN
    else:
        state = OrderState.SHIPPED
    units = Counter(
        (
            str(item.get("shop_sku") or "").partition("_")[0],
            str(item.get("sku_id") or ""),
            str(item.get("sku") or ""),
        )
        for item in live or items
    )
    return RemoteOrder(
        order_id=order_id,
        status=",".join(sorted({str(item.get("status")) for item in items})),
        state=state,
        updated_at=max((_unix(item.get("updated_at")) for item in items), default=0),
        lines=tuple(RemoteOrderLine(*key, quantity) for key, quantity in units.items()),
    )


def _text(code: str, message: str) -> str:
    return f"{code}: {message}" if code else message
