"""A local Lazada Open Platform, written from Lazada's published contract
(../shared/domain/marketplaces.md), not from our adapter:

- both hosts under one server: `/rest/product/price_quantity/update`, `/rest/products/get`,
  `/rest/orders/get`, `/rest/orders/items/get` (the API host) and `/rest/auth/token/refresh`
  (the auth host); parameters as form fields and/or the query (GET);
- every call is signed: the parameters but `sign`, sorted by name, `k1v1k2v2…` after the API path
  (without `/rest`), + the raw body when it is JSON; HMAC-SHA256 with the app secret, upper-case
  hex. A wrong or missing signature answers `IncompleteSignature`;
- answers `{code, type, message, request_id, ...}` with `code` "0" on success (HTTP 200 either
  way); a missing system parameter answers `MISSING_PARAMETER`;
- access tokens live `access_ttl` seconds on the server's clock (`advance()` moves it); an
  unknown or expired one answers `IllegalAccessToken`. `/auth/token/refresh` trades a refresh
  token for a new pair; the new refresh token keeps the old one's expiry (refreshing does not
  extend it) and the old one keeps working until then; an unknown or expired one answers
  `IllegalRefreshToken`;
- `payload` = JSON `{"Request": {"Product": {"Skus": {"Sku": [{ItemId, SkuId, SellerSku,
  Quantity | MultiWarehouseInventories | Price}]}}}}`; more than `max_skus` SKUs answers `E204`;
  a payload that is not that JSON answers `E005` (that code is our assumption); a `Price` that
  is not a positive whole number of VND fails that SKU alone (in `detail`, as below);
- `/products/get` (`filter`, `offset`, `limit` ≤ 50) lists the products of `add_item` with
  their SKUs' `quantity` (per warehouse in `multiWarehouseInventories` when it has several) and
  `price`, `data.total_products` counting them all;
- `/orders/get` (`update_after` ISO 8601 required, `sort_by=updated_at`, `offset`, `limit` ≤ 100)
  lists orders updated at or after it, `data.countTotal` counting them all; `/orders/items/get`
  (`order_ids` a JSON list, at most `max_order_ids`, else `E038`) answers their items, one item
  a unit, without an item id (only `shop_sku` = `<item>_VNAMZ-<sku>` names it). Orders' times
  are written `2026-12-01 10:00:00 +0700`, items' in ISO 8601; `page_size` (when set) answers
  fewer rows a page than asked, to exercise paging;
- at most `rate_limit` calls in any second per seller; past it the seller is banned for
  `ban_seconds` and every call answers `ApiCallLimit`;
- told to, it fails a share of calls (`fail_share`, `fail_code`: E901, E501, …), answers slowly
  (`delay`), or refuses some SKUs of a batch (`fail_skus` {seller_sku: message}): the others
  are applied and the refused ones listed in `detail` [{field, seller_sku, message}] of an
  `E501` answer — Lazada's documented shape for a batch that failed "all or in part";
- it keeps the absolute quantity it was told per (item, sku) in `stock` (per warehouse in
  `warehouse_stock`) and the price in `prices`, logs every call in `calls` as (api path, seller,
  code answered), and counts the calls it throttled (`throttled`);
- orders (`place_order`) lower the stock like a sale on Lazada, cancelling gives it back;
  `signed_order_push` builds the trade-order push Lazada would send about one.
"""

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.payment_servers import LocalServer

STOCK_PATH = "/product/price_quantity/update"
PRODUCTS_PATH = "/products/get"
ORDERS_PATH = "/orders/get"
ORDER_ITEMS_PATH = "/orders/items/get"
REFRESH_PATH = "/auth/token/refresh"
MAX_LIMITS = {PRODUCTS_PATH: 50, ORDERS_PATH: 100}
VIETNAM = timezone(timedelta(hours=7))
SYSTEM_PARAMS = ("app_key", "timestamp", "sign_method", "sign")
MESSAGES = {
    "IncompleteSignature": "The request signature does not conform to lazada standards",
    "IllegalAccessToken": "The specified access token is invalid or expired",
    "IllegalRefreshToken": "The specified refresh token is invalid or expired",
    "ApiCallLimit": "The request has exceeded the limit of the api call",
    "E204": "Too many SKUs in one request",
    "E901": "The request is too frequent",
    "E501": "Update product failed",
    "E005": "Invalid Request Format",
    "MISSING_PARAMETER": "missing required parameter",
    "InvalidParameter": "The specified parameter is invalid",
    "E038": "Too many orders were requested",
}
TYPES = {
    "IncompleteSignature": "ISV",
    "MISSING_PARAMETER": "ISV",
    "InvalidParameter": "ISV",
    "E005": "ISV",
    "E204": "ISV",
    "E038": "ISV",
}


def lazada_sign(secret: str, api_path: str, params: dict, body: str = "") -> str:
    text = api_path + "".join(k + str(params[k]) for k in sorted(params) if k != "sign") + body
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest().upper()


class LazadaServer(LocalServer):
    def __init__(
        self,
        *,
        app_key="100001",
        app_secret="lazada-test-secret",
        access_ttl=3600,
        refresh_ttl=180 * 86400,
        max_skus=50,
        rate_limit=50,
        ban_seconds=1.0,
    ):
        super().__init__()
        self.app_key, self.app_secret = app_key, app_secret
        self.access_ttl, self.refresh_ttl = access_ttl, refresh_ttl
        self.max_skus, self.rate_limit, self.ban_seconds = max_skus, rate_limit, ban_seconds
        self.offset = 0.0  # added to the wall clock for token expiry (`advance`)
        self.access_tokens: dict[str, tuple[str, float]] = {}  # token → (seller, expires at)
        self.refresh_tokens: dict[str, tuple[str, float]] = {}
        self.stock: dict[tuple[str, str], int] = {}
        self.warehouse_stock: dict[tuple[str, str, str], int] = {}
        self.prices: dict[tuple[str, str], int] = {}
        self.products: dict[str, dict] = {}  # item → {name, skus: {sku: seller_sku}}
        self.orders: dict[str, dict] = {}  # order → {seller, updated_at, items: [...]}
        self.page_size: int | None = None
        self.max_order_ids = 50
        self.calls: list[tuple[str, str, str]] = []
        self.fail_share, self.fail_code, self.delay = 0.0, "E501", 0.0
        self.fail_skus: dict[str, str] = {}
        self.random = random.Random(15)
        self._arrivals: dict[str, deque] = {}  # the window of counted calls, per seller
        self._all_arrivals: dict[str, list[float]] = {}
        self._banned_until: dict[str, float] = {}
        self._lock = threading.Lock()

    # --- what tests use ------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def create_tokens(self, seller_id="200001", refresh_expires_at=None) -> dict:
        """What `/auth/token/create` answers once a seller authorised the app."""
        if refresh_expires_at is None:
            refresh_expires_at = self.now() + self.refresh_ttl
        return self._issue(seller_id, refresh_expires_at)

    def calls_to(self, api_path: str) -> list[tuple[str, str, str]]:
        return [call for call in self.calls if call[0] == api_path]

    def most_calls_in_a_second(self, seller_id: str) -> int:
        """The most calls of the seller that arrived within any one second (throttled or not)."""
        times = sorted(self._all_arrivals.get(seller_id, []))
        most, start = 0, 0
        for end, at in enumerate(times):
            while times[start] <= at - 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    @property
    def throttled(self) -> int:
        return sum(1 for _, _, code in self.calls if code == "ApiCallLimit")

    def add_item(self, item_id, sku_id="", seller_sku="", name="", quantity=0, price=None):
        """A SKU the seller listed on Lazada, with its stock and price."""
        product = self.products.setdefault(str(item_id), {"name": name, "skus": {}})
        product["skus"][str(sku_id)] = seller_sku or f"SKU-{item_id}-{sku_id}"
        self.stock[(str(item_id), str(sku_id))] = quantity
        if price is not None:
            self.prices[(str(item_id), str(sku_id))] = price

    def place_order(self, lines, status="pending", seller_id="200001") -> str:
        """An order of `lines` [(item, sku, quantity)], one order item a unit, taking its units
        off the stock (from the first warehouse when the SKU has several)."""
        order_id = str(300_000_001 + len(self.orders))
        now = int(self.now())
        items = []
        for item_id, sku_id, quantity in lines:
            key = (str(item_id), str(sku_id))
            self._take(key, quantity)
            seller_sku = self.products.get(key[0], {}).get("skus", {}).get(key[1], "")
            for _ in range(quantity):
                items.append(
                    {
                        "order_item_id": order_id + f"{len(items):03d}",
                        "order_id": order_id,
                        "item": key[0],
                        "sku_id": key[1],
                        "sku": seller_sku,
                        "status": status,
                        "updated_at": now,
                    }
                )
        self.orders[order_id] = {"seller": seller_id, "updated_at": now, "items": items}
        return order_id

    def set_order_status(self, order_id, status, sku=None) -> None:
        """Move the order's items (only those of `sku` (item, sku) when given) to `status`;
        items newly cancelled give their unit back."""
        order, now = self.orders[order_id], int(self.now())
        for entry in order["items"]:
            key = (entry["item"], entry["sku_id"])
            if sku is not None and key != (str(sku[0]), str(sku[1])):
                continue
            if status == "canceled" and entry["status"] != "canceled":
                self._take(key, -1)
            entry["status"], entry["updated_at"] = status, now
        order["updated_at"] = now

    def signed_order_push(self, callback_url: str, order_id: str) -> tuple[bytes, dict]:
        """The trade-order status push Lazada sends about `order_id`, and its headers (Lazada
        signs app_key + body; the callback URL plays no part)."""
        order = self.orders[order_id]
        body = json.dumps(
            {
                "seller_id": order["seller"],
                "message_type": 0,
                "data": {
                    "order_status": order["items"][0]["status"],
                    "trade_order_id": order_id,
                    "trade_order_line_id": order["items"][0]["order_item_id"],
                    "status_update_time": order["updated_at"],
                },
                "timestamp": order["updated_at"],
                "site": "lazada_vn",
            }
        ).encode()
        return body, self.push_headers(body)

    def _take(self, key, quantity) -> None:
        places = sorted(place for place in self.warehouse_stock if place[:2] == key)
        if places:
            self.warehouse_stock[places[0]] -= quantity
        else:
            self.stock[key] = self.stock.get(key, 0) - quantity

    def push_headers(self, raw_body: bytes) -> dict:
        """The headers of a push message Lazada sends about this app."""
        mac = hmac.new(self.app_secret.encode(), self.app_key.encode() + raw_body, hashlib.sha256)
        return {"Authorization": mac.hexdigest(), "Content-Type": "application/json"}

    # --- the API -------------------------------------------------------------------------------
    def _issue(self, seller_id, refresh_expires_at) -> dict:
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        now = self.now()
        self.access_tokens[access] = (seller_id, now + self.access_ttl)
        self.refresh_tokens[refresh] = (seller_id, refresh_expires_at)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.access_ttl,
            "refresh_expires_in": max(0, int(refresh_expires_at - now)),
            "country": "vn",
            "account_platform": "seller_center",
            "country_user_info": [{"country": "vn", "seller_id": seller_id, "user_id": seller_id}],
        }

    def answer(self, api_path: str, params: dict, body: str) -> dict:
        if any(not params.get(name) for name in SYSTEM_PARAMS):
            return error("MISSING_PARAMETER")
        expected = lazada_sign(self.app_secret, api_path, params, body)
        if params["app_key"] != self.app_key or not hmac.compare_digest(
            str(params["sign"]), expected
        ):
            return error("IncompleteSignature")
        if api_path == REFRESH_PATH:
            return self._refresh(params)
        routes = {
            STOCK_PATH: self._update_skus,
            PRODUCTS_PATH: self._products,
            ORDERS_PATH: self._orders,
            ORDER_ITEMS_PATH: self._order_items,
        }
        if api_path not in routes:
            return error("InvalidApiPath", "The specified API path is invalid")
        seller, expires = self.access_tokens.get(params.get("access_token", ""), ("", 0))
        if not seller or expires <= self.now():
            return error("IllegalAccessToken")
        if self._throttled(seller):
            return error("ApiCallLimit")
        if self.fail_share and self.random.random() < self.fail_share:
            return error(self.fail_code)
        return routes[api_path](seller, params)

    def _refresh(self, params):
        seller, expires = self.refresh_tokens.get(params.get("refresh_token", ""), ("", 0))
        if not seller or expires <= self.now():
            return error("IllegalRefreshToken")
        return {**self._issue(seller, expires), "code": "0"}

    def _throttled(self, seller) -> bool:
        now = time.monotonic()
        self._all_arrivals.setdefault(seller, []).append(now)
        if self._banned_until.get(seller, 0) > now:
            return True
        arrivals = self._arrivals.setdefault(seller, deque())
        while arrivals and arrivals[0] <= now - 1.0:
            arrivals.popleft()
        if len(arrivals) >= self.rate_limit:
            self._banned_until[seller] = now + self.ban_seconds
            return True
        arrivals.append(now)
        return False

    def _page(self, api_path, params, rows):
        """The page of `rows` that `offset`/`limit` ask for (at most `page_size` rows)."""
        try:
            offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 10)
        except ValueError:
            return None
        limit = min(limit, MAX_LIMITS[api_path], self.page_size or limit)
        return rows[offset : offset + limit]

    def _products(self, seller, params):
        page = self._page(PRODUCTS_PATH, params, list(self.products.items()))
        if page is None:
            return error("InvalidParameter")
        products = []
        for item_id, product in page:
            skus = []
            for sku_id, seller_sku in product["skus"].items():
                key = (item_id, sku_id)
                sku = {"SkuId": _number(sku_id), "SellerSku": seller_sku, "Status": "active"}
                sku["ShopSku"] = f"{item_id}_VNAMZ-{sku_id}"
                places = sorted(place for place in self.warehouse_stock if place[:2] == key)
                if places:
                    sku["multiWarehouseInventories"] = [
                        {"warehouseCode": place[2], "quantity": self.warehouse_stock[place]}
                        for place in places
                    ]
                stock = [self.warehouse_stock[place] for place in places]
                sku["quantity"] = sum(stock) if places else self.stock.get(key, 0)
                if key in self.prices:
                    sku["price"] = float(self.prices[key])
                skus.append(sku)
            attributes = {"name": product["name"]}
            products.append({"item_id": _number(item_id), "attributes": attributes, "skus": skus})
        data = {"total_products": len(self.products), "products": products}
        return {"code": "0", "data": data, "request_id": secrets.token_hex(12)}

    def _orders(self, seller, params):
        try:
            after = datetime.fromisoformat(params["update_after"]).timestamp()
        except KeyError:
            return error("MISSING_PARAMETER")
        except ValueError:
            return error("InvalidParameter")
        matching = sorted(
            (order["updated_at"], order_id)
            for order_id, order in self.orders.items()
            if order["seller"] == seller and order["updated_at"] >= after
        )
        page = self._page(ORDERS_PATH, params, matching)
        if page is None:
            return error("InvalidParameter")
        orders = [
            {
                "order_id": _number(order_id),
                "order_number": _number(order_id),
                "statuses": sorted({item["status"] for item in self.orders[order_id]["items"]}),
                "updated_at": _time(updated_at),
                "items_count": len(self.orders[order_id]["items"]),
            }
            for updated_at, order_id in page
        ]
        data = {"count": len(orders), "countTotal": len(matching), "orders": orders}
        return {"code": "0", "data": data, "request_id": secrets.token_hex(12)}

    def _order_items(self, seller, params):
        try:
            order_ids = [str(order_id) for order_id in json.loads(params["order_ids"])]
        except KeyError:
            return error("MISSING_PARAMETER")
        except (ValueError, TypeError):
            return error("InvalidParameter")
        if len(order_ids) > self.max_order_ids:
            return error("E038")
        data = []
        for order_id in order_ids:
            order = self.orders.get(order_id)
            if not order or order["seller"] != seller:
                continue
            items = []
            for item in order["items"]:
                item_id = item["item"]
                shown = {key: value for key, value in item.items() if key != "item"}
                shown["shop_sku"] = f"{item_id}_VNAMZ-{item['sku_id']}"
                shown["order_id"] = _number(order_id)
                shown["updated_at"] = datetime.fromtimestamp(
                    item["updated_at"], VIETNAM
                ).isoformat()
                items.append(shown)
            data.append({"order_id": _number(order_id), "order_items": items})
        return {"code": "0", "data": data, "request_id": secrets.token_hex(12)}

    def _update_skus(self, seller, params):
        try:
            skus = json.loads(params.get("payload", ""))["Request"]["Product"]["Skus"]["Sku"]
            assert isinstance(skus, list) and all(
                sku["ItemId"]
                and ("Quantity" in sku or "MultiWarehouseInventories" in sku or "Price" in sku)
                for sku in skus
            )
        except (ValueError, KeyError, TypeError, AssertionError):
            return error("E005")
        if len(skus) > self.max_skus:
            return error("E204")
        detail = []
        for sku in skus:
            seller_sku = str(sku.get("SellerSku", ""))
            key = (str(sku["ItemId"]), str(sku.get("SkuId", "")))
            if seller_sku in self.fail_skus:
                message = self.fail_skus[seller_sku]
                detail.append({"field": "Sku", "seller_sku": seller_sku, "message": message})
                continue
            if "Price" in sku:
                price = sku["Price"]
                if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
                    message = "Price must be a positive whole number of VND"
                    detail.append({"field": "Price", "seller_sku": seller_sku, "message": message})
                    continue
                self.prices[key] = price
            if "Quantity" in sku:
                self.stock[key] = int(sku["Quantity"])
            if "MultiWarehouseInventories" not in sku:
                continue
            for place in sku["MultiWarehouseInventories"]["MultiWarehouseInventory"]:
                self.warehouse_stock[(*key, place["WarehouseCode"])] = int(place["Quantity"])
        if detail:
            return {**error("E501"), "detail": detail}
        return {"code": "0", "data": {}, "request_id": secrets.token_hex(12)}

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                params = dict(parse_qsl(url.query, keep_blank_values=True))
                body = ""
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    body = raw
                else:
                    params.update(parse_qsl(raw, keep_blank_values=True))
                api_path = url.path.removeprefix("/rest")
                with server._lock:
                    answer = server.answer(api_path, params, body)
                    seller = ""
                    token = params.get("access_token") or params.get("refresh_token", "")
                    for table in (server.access_tokens, server.refresh_tokens):
                        seller = seller or table.get(token, ("", 0))[0]
                    server.calls.append((api_path, seller, answer["code"]))
                if server.delay:
                    time.sleep(server.delay)
                data = json.dumps(answer).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeouts are tested)

            do_GET = do_POST

        return Handler


def _number(value: str):
    """Lazada writes its ids as numbers."""
    return int(value) if value.isdigit() else value


def _time(unix: float) -> str:
    return datetime.fromtimestamp(unix, VIETNAM).strftime("%Y-%m-%d %H:%M:%S %z")


def error(code: str, message: str = "") -> dict:
    return {
        "code": code,
        "type": TYPES.get(code, "ISP"),
        "message": message or MESSAGES.get(code, code),
        "request_id": secrets.token_hex(12),
    }
