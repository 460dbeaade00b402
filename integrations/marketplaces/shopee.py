"""Shopee Open Platform v2: stock and price pushes, the shop's SKUs, orders, token refresh and
push (webhook) verification.

Facts from ../shared/domain/marketplaces.md ("Shopee Open Platform v2"):

- every call carries `partner_id`, `timestamp` (Unix seconds, valid 5 minutes) and `sign` in the
  query; shop calls add `access_token` and `shop_id`. POST bodies are JSON and are not signed;
- sign = lower-case hex HMAC-SHA256(partner_key, partner_id + path + timestamp + access_token +
  shop_id), no separators, path without host or query; auth calls sign partner_id + path +
  timestamp only (`sign`, below);
- `POST /api/v2/product/update_stock` takes ONE item and 1–50 models with the absolute
  `seller_stock`; per-model failures come back in `response.failure_list[{model_id,
  failed_reason}]`;
- `POST /api/v2/auth/access_token/get {refresh_token, partner_id, shop_id}` answers a new pair
  (access 4 h as `expire_in`, refresh 30 days and single-use: the old one is dead at once, so the
  new pair goes to `on_tokens` before anything else happens);
- `POST /api/v2/product/update_price {item_id, price_list:[{model_id, original_price}]}`, 1–50
  models, integer VND; the answer lists models as for stock (its shape follows update_stock's,
  unverified);
- SKUs: `GET /api/v2/product/get_item_list` (`offset`, `page_size` ≤ 100, `item_status` repeated)
  → `response.item[{item_id}]`, `has_next_page`, `next_offset`; `GET
  /api/v2/product/get_item_base_info?item_id_list=1,2` (≤ 50) → `response.item_list[{item_id,
  item_name, item_sku, has_model, price_info[{original_price}], stock_info_v2{seller_stock[{
  location_id, stock}]}}]`; `GET /api/v2/product/get_model_list?item_id=` → `response.model[{
  model_id, model_sku, model_name, price_info, stock_info_v2}]` (from Shopee's API reference as
  third-party SDKs restate it; the comma-joined id list and `model_name` are unverified);
- orders: `GET /api/v2/order/get_order_list` (`time_range_field=update_time`, `time_from`/`time_to`
  ≤ 15 days apart, `page_size` ≤ 100, `cursor`) → `response.order_list[{order_sn}]`, `more`,
  `next_cursor`; `GET /api/v2/order/get_order_detail?order_sn_list=a,b` (≤ 50,
  `response_optional_fields=item_list`) → `response.order_list[{order_sn, order_status,
  update_time, item_list[{item_id, item_sku, model_id, model_sku, model_quantity_purchased}]}]`;
- a push is `{shop_id, code, timestamp, data}`; code 3 (order status) carries `data.ordersn`;
- errors are `{request_id, error, message, response}` with `error` empty on success: `error_auth`
  (refresh once), `error_server` "Too many requests" when throttled (retryable), the rest
  (`error_sign`, `error_param`, `error_item_not_found`, …) are not worth retrying.

The HTTP status of Shopee's error answers is not documented, so the answer's `error` decides
whatever the status, except that a 5xx or a 429 is always retryable (a throttle may come as
HTTP 429 or as HTTP 200 with `error_server`; both are handled).
"""

import hashlib
import hmac
import json
from dataclasses import replace

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

SHOPEE = MarketplaceSettings(
    base_url="https://partner.shopeemobile.com",
    batch_size=50,  # models per update_stock / update_price call
    calls_per_second=10.0,  # Shopee's QPS is not published (unverified): a per-account setting
)
SHOPEE_SANDBOX = replace(SHOPEE, base_url="https://openplatform.sandbox.test-stable.shopee.sg")

UPDATE_STOCK_PATH = "/api/v2/product/update_stock"
UPDATE_PRICE_PATH = "/api/v2/product/update_price"
ITEM_LIST_PATH = "/api/v2/product/get_item_list"
ITEM_INFO_PATH = "/api/v2/product/get_item_base_info"
MODEL_LIST_PATH = "/api/v2/product/get_model_list"
ORDER_LIST_PATH = "/api/v2/order/get_order_list"
ORDER_DETAIL_PATH = "/api/v2/order/get_order_detail"
REFRESH_PATH = "/api/v2/auth/access_token/get"
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600  # not in the answer; Shopee documents 30 days

LIST_PAGE_SIZE = 100  # get_item_list and get_order_list pages
ITEM_INFO_BATCH = 50  # item ids per get_item_base_info call
ORDER_DETAIL_BATCH = 50  # order_sn per get_order_detail call
ORDER_WINDOW = 15 * 24 * 3600  # the widest time_from … time_to get_order_list takes
LISTED_ITEM_STATUSES = ("NORMAL", "UNLIST")  # unlisted items still hold stock to reconcile
ORDER_STATUS_PUSH = 3

AUTH_ERRORS = frozenset({"error_auth"})
RETRYABLE_ERRORS = frozenset({"error_server"})  # "Too many requests", or Shopee's own failure

# Shopee's order statuses → what they mean for our stock.
ORDER_STATES = {
    "UNPAID": OrderState.OPEN,  # Shopee reserves the units at checkout, before payment
    "PENDING": OrderState.OPEN,
    "INVOICE_PENDING": OrderState.OPEN,
    "READY_TO_SHIP": OrderState.OPEN,
    "PROCESSED": OrderState.OPEN,  # packed and labelled, not yet with the carrier
    "RETRY_SHIP": OrderState.OPEN,  # back with the seller to hand over again
    # The buyer asked to cancel; the seller may still refuse and ship, so the units stay held
    # until Shopee says CANCELLED.
    "IN_CANCEL": OrderState.OPEN,
    "SHIPPED": OrderState.SHIPPED,
    "TO_CONFIRM_RECEIVE": OrderState.SHIPPED,
    "COMPLETED": OrderState.SHIPPED,
    # Units that left stay gone until a return actually arrives back (handled as a return).
    "TO_RETURN": OrderState.SHIPPED,
    "CANCELLED": OrderState.CANCELLED,
}
UNKNOWN_ORDER_STATE = OrderState.OPEN  # a new status holds units rather than freeing them


def sign(
    partner_key: str,
    partner_id: str | int,
    path: str,
    timestamp: int,
    access_token: str = "",
    shop_id: str | int = "",
) -> str:
    """Shopee's request signature. Leave `access_token` and `shop_id` empty for public and
    auth calls (their base string is partner_id + path + timestamp)."""
    base = f"{partner_id}{path}{timestamp}{access_token}{shop_id}"
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()


def verify_push(
    callback_url: str, raw_body: bytes | str, authorization_header: str | None, partner_key: str
) -> bool:
    """Whether a Shopee push (webhook) is genuine: its `Authorization` header must be the hex
    HMAC-SHA256(partner_key, callback_url + "|" + raw body). Check the raw bytes, before
    parsing; `callback_url` is the URL registered with Shopee, exactly."""
    if not authorization_header:
        return False
    if isinstance(raw_body, str):
        raw_body = raw_body.encode()
    message = callback_url.encode() + b"|" + raw_body
    expected = hmac.new(partner_key.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, authorization_header.strip().lower())


def error_for(code: str, message: str) -> MarketplaceError:
    return MarketplaceError(
        code, message, retryable=code in RETRYABLE_ERRORS, auth=code in AUTH_ERRORS
    )


def read_answer(response) -> dict:
    """The answer's JSON, or the MarketplaceError it stands for."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = None
    if status >= 500 or status == 429:
        code = (body or {}).get("error") or f"http_{status}"
        message = (body or {}).get("message") or response.reason or ""
        raise MarketplaceError(code, message, retryable=True)
    if body is None:
        # A 2xx that is not Shopee's JSON is a proxy's or a glitch: worth another try.
        raise MarketplaceError(f"http_{status}", "answer is not JSON", retryable=status < 400)
    if body.get("error"):
        raise error_for(body["error"], body.get("message") or "")
    if status >= 400:
        raise MarketplaceError(f"http_{status}", body.get("message") or "", retryable=False)
    return body


def shopee_id(value: str, what: str) -> int:
    """Shopee's item, model and location ids are integers; "" is model 0 (no variants)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        raise MarketplaceError(
            "invalid_id", f"{what} {value!r} is not a Shopee id", retryable=False
        ) from None


class ShopeeAdapter(MarketplaceAdapter):
    """One Shopee shop. `credentials.app_key` is the partner_id, `app_secret` the partner_key."""

    name = "shopee"

    def __init__(self, credentials: Credentials, settings: MarketplaceSettings = SHOPEE, **kwargs):
        super().__init__(credentials, settings, **kwargs)

    # --- batching ------------------------------------------------------------------------------
    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """One call per item, at most `batch_size` models each; the pushes of one model (one
        per location) stay in the same call."""
        return per_item_batches(pushes, self.settings.batch_size)

    # --- stock and prices ----------------------------------------------------------------------
    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        stock_list: dict[int, list[dict]] = {}
        for push in batch:
            entry = {"stock": max(0, int(push.quantity))}
            if push.warehouse_id:
                entry["location_id"] = push.warehouse_id
            stock_list.setdefault(shopee_id(push.sku_id, "model_id"), []).append(entry)
        body = {
            "item_id": shopee_id(batch[0].item_id, "item_id"),
            "stock_list": [
                {"model_id": model_id, "seller_stock": seller_stock}
                for model_id, seller_stock in stock_list.items()
            ],
        }
        return model_results(batch, self.call(UPDATE_STOCK_PATH, body, shop=True))

    def send_prices(self, batch: list[PricePush]) -> list[PushResult]:
        prices = {shopee_id(push.sku_id, "model_id"): push.price for push in batch}
        body = {
            "item_id": shopee_id(batch[0].item_id, "item_id"),
            "price_list": [
                {"model_id": model_id, "original_price": price}
                for model_id, price in prices.items()
            ],
        }
        return model_results(batch, self.call(UPDATE_PRICE_PATH, body, shop=True))

    # --- the shop's SKUs -----------------------------------------------------------------------
    def fetch_skus(self) -> list[RemoteSku]:
        item_ids, offset = [], 0
        while True:
            page = self.get(
                ITEM_LIST_PATH,
                {
                    "offset": offset,
                    "page_size": LIST_PAGE_SIZE,
                    "item_status": LISTED_ITEM_STATUSES,
                },
            )
            item_ids += [item["item_id"] for item in page.get("item") or []]
            if not page.get("has_next_page") or page["next_offset"] <= offset:
                break  # (a page that does not move on would loop forever)
            offset = page["next_offset"]
        item_ids, skus = list(dict.fromkeys(item_ids)), []  # offsets shift as items change
        for start in range(0, len(item_ids), ITEM_INFO_BATCH):
            batch = item_ids[start : start + ITEM_INFO_BATCH]
            info = self.get(ITEM_INFO_PATH, {"item_id_list": ",".join(map(str, batch))})
            for item in info.get("item_list") or []:
                skus += self._item_skus(item)
        return skus

    def _item_skus(self, item: dict) -> list[RemoteSku]:
        item_id, name = str(item["item_id"]), item.get("item_name") or ""
        if not item.get("has_model"):
            return [remote_sku(item_id, "", item.get("item_sku") or "", name, item)]
        models = self.get(MODEL_LIST_PATH, {"item_id": item["item_id"]}).get("model") or []
        return [
            remote_sku(
                item_id,
                str(model["model_id"]),
                model.get("model_sku") or "",
                " — ".join(filter(None, [name, model.get("model_name")])),
                model,
            )
            for model in models
        ]

    # --- orders --------------------------------------------------------------------------------
    def fetch_orders(self, since: int) -> list[RemoteOrder]:
        """Walks from `since` to now in get_order_list's 15-day windows, then reads the details."""
        now, order_sns = int(self.clock()), []
        for time_from in range(int(since), now + 1, ORDER_WINDOW):
            time_to = min(time_from + ORDER_WINDOW, now)
            cursor = ""
            while True:
                page = self.get(
                    ORDER_LIST_PATH,
                    {
                        "time_range_field": "update_time",
                        "time_from": time_from,
                        "time_to": time_to,
                        "page_size": LIST_PAGE_SIZE,
                        "cursor": cursor,
                    },
                )
                order_sns += [order["order_sn"] for order in page.get("order_list") or []]
                if not page.get("more") or page["next_cursor"] == cursor:
                    break
                cursor = page["next_cursor"]
        return self.fetch_order_details(list(dict.fromkeys(order_sns)))  # windows share an edge

    def fetch_order_details(self, order_ids: list[str]) -> list[RemoteOrder]:
        orders = []
        for start in range(0, len(order_ids), ORDER_DETAIL_BATCH):
            batch = order_ids[start : start + ORDER_DETAIL_BATCH]
            answer = self.get(
                ORDER_DETAIL_PATH,
                {"order_sn_list": ",".join(batch), "response_optional_fields": "item_list"},
            )
            orders += [remote_order(order) for order in answer.get("order_list") or []]
        return orders

    # --- pushes (webhooks) ---------------------------------------------------------------------
    def webhook_order_ids(self, raw_body: bytes, headers, callback_url: str) -> list[str]:
        if not verify_push(
            callback_url, raw_body, headers.get("Authorization"), self.credentials.app_secret
        ):
            raise WebhookRejected("Shopee push with a wrong or missing signature")
        try:
            push = json.loads(raw_body)
        except ValueError as error:
            raise WebhookRejected("Shopee push is not JSON") from error
        if not isinstance(push, dict) or not isinstance(push.get("data"), dict):
            raise WebhookRejected("Shopee push without data")
        # One callback URL serves every shop of the app: another shop's news is not ours.
        ours = str(push.get("shop_id")) == str(self.credentials.shop_id)
        if push.get("code") != ORDER_STATUS_PUSH or not ours:
            return []
        order_sn = push["data"].get("ordersn")
        return [str(order_sn)] if order_sn else []

    # --- tokens --------------------------------------------------------------------------------
    def refresh_tokens(self) -> Credentials:
        credentials = self.credentials
        body = {
            "refresh_token": credentials.refresh_token,
            "partner_id": shopee_id(credentials.app_key, "partner_id"),
            "shop_id": shopee_id(credentials.shop_id, "shop_id"),
        }
        now = self.clock()
        try:
            answer = self.call(REFRESH_PATH, body, shop=False, base=self.settings.auth_url)
        except MarketplaceError as error:
            # A refresh refused is not "refresh and retry": the seller must authorise again.
            raise MarketplaceError(error.code, error.message, retryable=error.retryable) from error
        tokens = answer if answer.get("access_token") else answer.get("response") or {}
        if not tokens.get("access_token") or not tokens.get("refresh_token"):
            raise MarketplaceError("error_auth", "no token pair in Shopee's answer", retryable=True)
        return credentials.with_tokens(
            tokens["access_token"],
            tokens["refresh_token"],
            now + int(tokens.get("expire_in") or 0),
            now + REFRESH_TOKEN_LIFETIME,
        )

    # --- signed calls ------------------------------------------------------------------------
    def get(self, path: str, params: dict) -> dict:
        """A shop GET: its parameters go in the query with the common ones."""
        return self.call(path, None, shop=True, params=params).get("response") or {}

    def call(
        self,
        path: str,
        body: dict | None,
        *,
        shop: bool,
        base: str = "",
        params: dict | None = None,
    ) -> dict:
        credentials = self.credentials
        timestamp = int(self.clock())
        query = dict(params or {}, partner_id=credentials.app_key, timestamp=timestamp)
        if shop:
            query["access_token"] = credentials.access_token
            query["shop_id"] = credentials.shop_id
            signature = sign(
                credentials.app_secret,
                credentials.app_key,
                path,
                timestamp,
                credentials.access_token,
                credentials.shop_id,
            )
        else:
            signature = sign(credentials.app_secret, credentials.app_key, path, timestamp)
        query["sign"] = signature
        url = (base or self.settings.base_url).rstrip("/") + path
        if body is None:
            response = self.request("GET", url, params=query)
        else:
            response = self.request(
                "POST",
                url,
                params=query,
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
            )
        return read_answer(response)


def model_results(batch: list, answer: dict) -> list[PushResult]:
    """One result per push from an update_stock / update_price answer's model lists."""
    answer = answer.get("response") or {}
    failed = {
        shopee_id(failure.get("model_id"), "model_id"): failure.get("failed_reason") or ""
        for failure in answer.get("failure_list") or []
    }
    succeeded = {
        shopee_id(success.get("model_id"), "model_id")
        for success in answer.get("success_list") or []
    }
    results = []
    for push in batch:
        model_id = shopee_id(push.sku_id, "model_id")
        if model_id in failed:
            results.append(PushResult(push, False, False, failed[model_id]))
        elif model_id in succeeded:
            results.append(PushResult(push, True))
        else:  # neither listed: we cannot tell, so try again later
            results.append(PushResult(push, False, True, "model missing from Shopee's answer"))
    return results


def remote_sku(item_id: str, sku_id: str, seller_sku: str, name: str, listed: dict) -> RemoteSku:
    """A SKU from an item (no variants) or a model of get_item_base_info / get_model_list: its
    stock is the sum of its `seller_stock` over locations, its price the original price."""
    stock_info = listed.get("stock_info_v2") or {}
    quantity = sum(int(entry.get("stock") or 0) for entry in stock_info.get("seller_stock") or [])
    prices = listed.get("price_info") or []
    price = prices[0].get("original_price") if prices else None
    return RemoteSku(
        item_id,
        sku_id,
        seller_sku,
        name,
        quantity,
        round(float(price)) if price is not None else None,  # Shopee answers VND as 125000.0
    )


def remote_order(order: dict) -> RemoteOrder:
    status = order.get("order_status") or ""
    lines = tuple(
        RemoteOrderLine(
            str(line["item_id"]),
            str(line["model_id"]) if line.get("model_id") else "",
            line.get("model_sku") or line.get("item_sku") or "",
            int(line.get("model_quantity_purchased") or 0),
        )
        for line in order.get("item_list") or []
    )
    return RemoteOrder(
        str(order["order_sn"]),
        status,
        ORDER_STATES.get(status, UNKNOWN_ORDER_STATE),
        int(order.get("update_time") or 0),
        lines,
    )
