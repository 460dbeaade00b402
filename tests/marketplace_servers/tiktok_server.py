"""A local TikTok Shop Partner API (202309), following the published contract
(../../../shared/domain/marketplaces.md):

- every API call: query `app_key`, `timestamp` (Unix s, accepted −5 min … +30 s), `shop_cipher`,
  `sign`; header `x-tts-access-token`. The sign is checked independently of our client: lower-case
  hex HMAC-SHA256(app_secret, app_secret + path + sorted k1v1k2v2… of the query params except
  sign and access_token + raw body + app_secret). Answers `{code, message, request_id, data}`:
  106001 bad sign, 105002 expired token, 36009004 invalid token / app_key / timestamp / shop,
  12052032 product not found; throttled = HTTP 429, code 36009002.
- `POST /product/202309/products/{product_id}/inventory/update` `{skus:[{id, inventory:
  [{warehouse_id, quantity}]}]}`: at most `batch_size` SKUs, absolute quantities kept per
  (product, sku, warehouse) in `stock`; SKUs the test told to fail come back in
  `data.errors[{code, message, detail:{sku_id}}]` and keep their old stock.
- `POST /product/202309/products/{product_id}/prices/update` `{skus:[{id, price:{amount,
  currency}}]}`: at most `batch_size` SKUs; `amount` a positive whole number of VND as a string
  (else the whole call is a param error); a SKU in `price_locked` refuses the whole call with
  12052038 (promotion); `fail_skus` and unknown SKUs come back in `data.errors`. Kept in `prices`.
- `POST /product/202309/products/search?page_size&page_token` (page_size 1–100; this server
  answers at most `page_size` products a page) → `data{products:[{id, title, skus:[{id,
  seller_sku, price:{tax_exclusive_price, currency}, inventory:[{warehouse_id, quantity}]}]}],
  total_count, next_page_token}`.
- `POST /order/202309/orders/search?page_size&page_token` with body filters `update_time_ge` /
  `update_time_lt`, oldest update first → `data{orders, total_count, next_page_token}`;
  `GET /order/202309/orders?ids=` (1–50 ids) → `data{orders:[{id, status, create_time,
  update_time, line_items:[{id, product_id, sku_id, seller_sku, product_name, sale_price}]}]}` —
  one line item per unit, as in the 202309 models.
- Webhooks: `signed_order_push` builds a type-1 (order status) push and its `Authorization`
  header, hex HMAC-SHA256(app_secret, app_key + raw body).

Knobs for tests: `rate_limit` (calls in any one second, counted over every call received),
`fail_share` (that share of calls answers HTTP 500), `fail_skus` ({sku_id: (code, message)}),
`price_locked` (SKU ids), `page_size`, `delay` (seconds before answering). `calls` records
(path, access token) of every call.
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.payment_servers import LocalServer

INVENTORY = re.compile(r"^/product/202309/products/(?P<product_id>[^/]+)/inventory/update$")
PRICES = re.compile(r"^/product/202309/products/(?P<product_id>[^/]+)/prices/update$")
PRODUCT_SEARCH_PATH = "/product/202309/products/search"
ORDER_SEARCH_PATH = "/order/202309/orders/search"
ORDER_DETAIL_PATH = "/order/202309/orders"
REFRESH_PATH = "/api/v2/token/refresh"
TOO_MANY_SKUS = 12052700  # this fake's code: the limit (100) is published, its code is not
INVALID_PARAMS = 36009001  # this fake's code for a malformed request
PRICE_LOCKED = 12052038
MAX_PAGE_SIZE = 100
MAX_DETAIL_IDS = 50


class TikTokServer(LocalServer):
    def __init__(
        self,
        app_key="tts-app-key",
        app_secret="tts-app-secret",
        shop_cipher="ROW_fake_cipher",
        *,
        rate_limit=50,
        batch_size=100,
        access_ttl=3600,
        page_size=MAX_PAGE_SIZE,
        shop_id="7494000000000000001",
    ):
        super().__init__()
        self.app_key, self.app_secret, self.shop_cipher = app_key, app_secret, shop_cipher
        self.rate_limit, self.batch_size, self.access_ttl = rate_limit, batch_size, access_ttl
        self.page_size, self.shop_id = page_size, shop_id
        self.titles: dict[str, str] = {}  # product_id → title
        self.seller_skus: dict[tuple[str, str], str] = {}  # (product, sku) → seller SKU
        self.prices: dict[tuple[str, str], int] = {}  # (product, sku) → VND
        self.price_locked: set[str] = set()
        self.orders: dict[str, dict] = {}  # order_id → the order as the API shows it
        self.taken: dict[str, list[tuple[tuple[str, str, str], int]]] = {}  # stock each order took
        self.access_tokens: dict[str, float] = {}  # token → expires at (Unix s)
        self.refresh_tokens: dict[str, float] = {}
        self.products: dict[str, set[str]] = {}  # product_id → its SKU ids
        self.stock: dict[tuple[str, str, str], int] = {}  # (product, sku, warehouse) → quantity
        self.fail_skus: dict[str, tuple[int, str]] = {}
        self.fail_share = 0.0
        self.delay = 0.0
        self.received: list[float] = []  # when each call arrived
        self.calls: list[tuple[str, str]] = []
        self.throttled = 0
        self.refreshes = 0
        self.lock = threading.Lock()

    # --- set-up and read-back for tests ------------------------------------------------------
    def add_product(self, product_id, sku_ids):
        self.products.setdefault(str(product_id), set()).update(str(sku) for sku in sku_ids)

    def add_item(
        self, product_id, sku_id, seller_sku="", name="", stock=0, price=None, warehouse_id="W1"
    ):
        """One SKU of a product as the seller listed it: its seller SKU, the product's title,
        its stock in one warehouse and its price (VND)."""
        product_id, sku_id = str(product_id), str(sku_id)
        self.add_product(product_id, [sku_id])
        self.titles[product_id] = name or self.titles.get(product_id, "")
        self.seller_skus[(product_id, sku_id)] = seller_sku
        self.stock[(product_id, sku_id, warehouse_id)] = stock
        if price is not None:
            self.prices[(product_id, sku_id)] = price

    def place_order(self, lines, status="AWAITING_SHIPMENT", at=None) -> str:
        """A buyer's order of `lines` [(product, sku, quantity)], taking the units off the
        shown stock (warehouse by warehouse) as TikTok does when an order is placed."""
        order_id = str(5770000000000000000 + len(self.orders) + 1)
        now = int(time.time() if at is None else at)
        line_items, taken = [], []
        with self.lock:
            for product_id, sku_id, quantity in lines:
                product_id, sku_id = str(product_id), str(sku_id)
                left = quantity
                for key in sorted(k for k in self.stock if k[:2] == (product_id, sku_id)):
                    take = min(left, self.stock[key])
                    self.stock[key] -= take
                    taken.append((key, take))
                    left -= take
                if left:
                    raise ValueError(f"not enough stock of {product_id}/{sku_id}")
                line_items += [
                    {
                        "id": f"{order_id}-{len(line_items) + unit}",
                        "product_id": product_id,
                        "sku_id": sku_id,
                        "seller_sku": self.seller_skus.get((product_id, sku_id), ""),
                        "product_name": self.titles.get(product_id, ""),
                        "sale_price": str(self.prices.get((product_id, sku_id), 0)),
                        "currency": "VND",
                    }
                    for unit in range(quantity)
                ]
            self.orders[order_id] = {
                "id": order_id,
                "status": status,
                "create_time": now,
                "update_time": now,
                "line_items": line_items,
            }
            self.taken[order_id] = taken
        return order_id

    def set_order_status(self, order_id, status, at=None):
        """The order moves on; a cancellation puts its units back on the shown stock."""
        with self.lock:
            order = self.orders[order_id]
            if status == "CANCELLED" and order["status"] != "CANCELLED":
                for key, quantity in self.taken.pop(order_id, []):
                    self.stock[key] += quantity
            order["status"] = status
            order["update_time"] = int(time.time() if at is None else at)

    def signed_order_push(self, callback_url, order_id) -> tuple[bytes, dict]:
        """The order-status push TikTok would POST to `callback_url` (which TikTok does not
        sign) and its headers."""
        order = self.orders[order_id]
        push = {
            "type": 1,
            "tts_notification_id": secrets.token_hex(8),
            "shop_id": self.shop_id,
            "timestamp": int(time.time()),
            "data": {
                "order_id": order_id,
                "order_status": order["status"],
                "is_on_hold_order": order["status"] == "ON_HOLD",
                "update_time": order["update_time"],
            },
        }
        body = json.dumps(push).encode()
        signature = hmac.new(
            self.app_secret.encode(), self.app_key.encode() + body, hashlib.sha256
        ).hexdigest()
        return body, {"Authorization": signature, "Content-Type": "application/json"}

    def issue_tokens(self, access_ttl=None):
        """A fresh pair: (access, refresh, access expires at, refresh expires at)."""
        now = time.time()
        access, refresh = secrets.token_hex(12), secrets.token_hex(12)
        access_expires = int(now + (self.access_ttl if access_ttl is None else access_ttl))
        refresh_expires = int(now + 30 * 86400)
        self.access_tokens[access] = access_expires
        self.refresh_tokens[refresh] = refresh_expires
        return access, refresh, access_expires, refresh_expires

    def max_calls_in_a_second(self) -> int:
        times, most, start = sorted(self.received), 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    # --- the API -----------------------------------------------------------------------------
    def expected_sign(self, path, params, body: bytes) -> str:
        keys = sorted(k for k in params if k not in ("sign", "access_token"))
        message = self.app_secret + path + "".join(k + params[k] for k in keys)
        message = message.encode() + body + self.app_secret.encode()
        return hmac.new(self.app_secret.encode(), message, hashlib.sha256).hexdigest()

    def admit(self) -> bool:
        """Count the call; False past the rate limit (sliding one-second window)."""
        with self.lock:
            now = time.time()
            self.received.append(now)
            recent = sum(1 for at in self.received if now - at < 1.0)
            if recent > self.rate_limit:
                self.throttled += 1
                return False
            return True

    def should_fail(self) -> bool:
        with self.lock:
            count = len(self.calls)
            return int(count * self.fail_share) > int((count - 1) * self.fail_share)

    def check_call(self, path, params, headers, body):
        """(HTTP status, code, message) of a refused call, or None."""
        if not self.admit():
            return 429, 36009002, "Too many requests, please retry later"
        if params.get("app_key") != self.app_key:
            return 401, 36009004, "Invalid app_key"
        try:
            timestamp = int(params.get("timestamp", ""))
        except ValueError:
            return 401, 36009004, "Invalid timestamp"
        now = time.time()
        if not now - 300 <= timestamp <= now + 30:
            return 401, 36009004, "Invalid timestamp: outside the accepted window"
        given = params.get("sign", "")
        if not hmac.compare_digest(given.encode(), self.expected_sign(path, params, body).encode()):
            return 401, 106001, "Invalid sign"
        token = headers.get("x-tts-access-token", "")
        with self.lock:
            self.calls.append((path, token))
        if token not in self.access_tokens:
            return 401, 36009004, "Invalid access_token"
        if self.access_tokens[token] <= now:
            return 401, 105002, "Access token is expired, please refresh it"
        if params.get("shop_cipher") != self.shop_cipher:
            return 401, 36009004, "Invalid shop_cipher"
        if self.should_fail():
            return 500, 36009003, "Internal error, please retry later"
        return None

    def update_inventory(self, product_id, body: bytes):
        if product_id not in self.products:
            return 200, 12052032, "Product not found", None
        try:
            skus = json.loads(body)["skus"]
        except (ValueError, KeyError, TypeError):
            return 400, 36009001, "Invalid request body", None
        if not isinstance(skus, list) or not 1 <= len(skus) <= self.batch_size:
            return 400, TOO_MANY_SKUS, f"skus must hold 1 to {self.batch_size} SKUs", None
        errors = []
        for sku in skus:
            sku_id = str(sku.get("id", ""))
            if sku_id in self.fail_skus:
                code, message = self.fail_skus[sku_id]
            elif sku_id not in self.products[product_id]:
                code, message = 12052034, "SKU not found in the product"
            else:
                for entry in sku.get("inventory") or []:
                    key = (product_id, sku_id, str(entry.get("warehouse_id", "")))
                    with self.lock:
                        self.stock[key] = int(entry["quantity"])
                continue
            errors.append({"code": code, "message": message, "detail": {"sku_id": sku_id}})
        return 200, 0, "Success", {"errors": errors} if errors else {}

    def update_prices(self, product_id, body: bytes):
        if product_id not in self.products:
            return 200, 12052032, "Product not found", None
        try:
            skus = json.loads(body)["skus"]
            amounts = [
                (str(sku["id"]), sku["price"]["amount"], sku["price"]["currency"]) for sku in skus
            ]
        except (ValueError, KeyError, TypeError):
            return 400, INVALID_PARAMS, "Invalid request body", None
        if not 1 <= len(amounts) <= self.batch_size:
            return 400, TOO_MANY_SKUS, f"skus must hold 1 to {self.batch_size} SKUs", None
        for sku_id, amount, currency in amounts:
            valid = isinstance(amount, str) and amount.isdigit() and int(amount) > 0
            if not valid or currency != "VND":
                return 400, INVALID_PARAMS, f"Invalid price of SKU {sku_id}: {amount!r}", None
            if sku_id in self.price_locked:
                return 200, PRICE_LOCKED, "The price is locked by an ongoing promotion", None
        errors = []
        for sku_id, amount, _ in amounts:
            if sku_id in self.fail_skus:
                code, message = self.fail_skus[sku_id]
            elif sku_id not in self.products[product_id]:
                code, message = 12052034, "SKU not found in the product"
            else:
                with self.lock:
                    self.prices[(product_id, sku_id)] = int(amount)
                continue
            errors.append({"code": code, "message": message, "detail": {"sku_id": sku_id}})
        return 200, 0, "Success", {"errors": errors} if errors else {}

    def page(self, params, entries):
        """(status, code, message, (page of entries, next_page_token)) — or an error."""
        try:
            size = int(params.get("page_size", ""))
            offset = int(base64.urlsafe_b64decode(params.get("page_token") or "MA==").decode())
        except ValueError:
            return 400, INVALID_PARAMS, "Invalid page_size or page_token", None
        if not 1 <= size <= MAX_PAGE_SIZE:
            return 400, INVALID_PARAMS, f"page_size must be 1 to {MAX_PAGE_SIZE}", None
        end = offset + min(size, self.page_size)
        token = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(entries) else ""
        return 200, 0, "Success", (entries[offset:end], token)

    def search_products(self, params):
        products = []
        for product_id in sorted(self.products):
            skus = []
            for sku_id in sorted(self.products[product_id]):
                price = self.prices.get((product_id, sku_id))
                warehouses = sorted(k for k in self.stock if k[:2] == (product_id, sku_id))
                skus.append(
                    {
                        "id": sku_id,
                        "seller_sku": self.seller_skus.get((product_id, sku_id), ""),
                        "price": {
                            "tax_exclusive_price": "" if price is None else str(price),
                            "currency": "VND",
                        },
                        "inventory": [
                            {"warehouse_id": key[2], "quantity": self.stock[key]}
                            for key in warehouses
                        ],
                    }
                )
            products.append(
                {"id": product_id, "title": self.titles.get(product_id, ""), "skus": skus}
            )
        status, code, message, page = self.page(params, products)
        if not page:
            return status, code, message, None
        entries, token = page
        data = {"products": entries, "total_count": len(products), "next_page_token": token}
        return status, code, message, data

    def search_orders(self, params, body: bytes):
        try:
            filters = json.loads(body or b"{}")
            since = int(filters.get("update_time_ge", 0))
            until = int(filters.get("update_time_lt", 2**62))
        except (ValueError, TypeError, AttributeError):
            return 400, INVALID_PARAMS, "Invalid request body", None
        with self.lock:
            matching = sorted(
                (
                    dict(order)
                    for order in self.orders.values()
                    if since <= order["update_time"] < until
                ),
                key=lambda order: (order["update_time"], order["id"]),
            )
        status, code, message, page = self.page(params, matching)
        if not page:
            return status, code, message, None
        entries, token = page
        data = {"orders": entries, "total_count": len(matching), "next_page_token": token}
        return status, code, message, data

    def order_details(self, params):
        ids = [order_id for order_id in params.get("ids", "").split(",") if order_id]
        if not 1 <= len(ids) <= MAX_DETAIL_IDS:
            return 400, INVALID_PARAMS, f"ids must hold 1 to {MAX_DETAIL_IDS} order ids", None
        with self.lock:
            orders = [dict(self.orders[order_id]) for order_id in ids if order_id in self.orders]
        return 200, 0, "Success", {"orders": orders}

    def refresh(self, params):
        self.refreshes += 1
        if params.get("app_key") != self.app_key or params.get("app_secret") != self.app_secret:
            return 200, 36009004, "Invalid app_key or app_secret", None
        if params.get("grant_type") != "refresh_token":
            return 200, 36009004, "Invalid grant_type", None
        expires = self.refresh_tokens.get(params.get("refresh_token", ""))
        if not expires or expires <= time.time():
            return 200, 36009004, "Invalid refresh_token", None
        access, refresh, access_expires, refresh_expires = self.issue_tokens()
        data = {
            "access_token": access,
            "access_token_expire_in": access_expires,
            "refresh_token": refresh,
            "refresh_token_expire_in": refresh_expires,
            "open_id": "fake-open-id",
            "seller_name": "Fake OCOP shop",
        }
        return 200, 0, "success", data

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, code, message, data=None):
                body = {"code": code, "message": message, "request_id": secrets.token_hex(8)}
                body["data"] = data if data is not None else {}
                raw = json.dumps(body).encode()
                if server.delay:
                    time.sleep(server.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def parts(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                return url.path, dict(parse_qsl(url.query, keep_blank_values=True)), body

            def do_GET(self):
                path, params, body = self.parts()
                if path == REFRESH_PATH:
                    return self.answer(*server.refresh(params))
                if path != ORDER_DETAIL_PATH:
                    return self.answer(404, 36009005, "API not found")
                self.checked(path, params, body, partial(server.order_details, params))

            def do_POST(self):
                path, params, body = self.parts()
                inventory, prices = INVENTORY.match(path), PRICES.match(path)
                if inventory:
                    api = partial(server.update_inventory, inventory["product_id"], body)
                elif prices:
                    api = partial(server.update_prices, prices["product_id"], body)
                elif path == PRODUCT_SEARCH_PATH:
                    api = partial(server.search_products, params)
                elif path == ORDER_SEARCH_PATH:
                    api = partial(server.search_orders, params, body)
                else:
                    return self.answer(404, 36009005, "API not found")
                self.checked(path, params, body, api)

            def checked(self, path, params, body, api):
                """Answer with `api()` once the call passed the rate limit, sign and token."""
                headers = {k.lower(): v for k, v in self.headers.items()}
                refused = server.check_call(path, params, headers, body)
                self.answer(*(refused or api()))

        return Handler
