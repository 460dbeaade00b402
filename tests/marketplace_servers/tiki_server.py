"""A local Tiki Open API (partly verified contract, ../../../shared/domain/marketplaces.md):

- Every API call carries `Authorization: Bearer <token>`; past `rate_limit` calls in a second the
  server answers 429 (counted in `throttled`), then 401 for a missing/invalid/expired token, then
  500 for the share of calls told to fail (`fail_share`).
- `PUT /integration/v2.1/products/updateSkus` with
  `{skus:[{original_sku, warehouse_quantities:[{warehouse_id, qty_available}], price}]}`: at most
  `batch_size` SKUs (more → 400), absolute quantities kept per (original_sku, warehouse) in
  `stock`, prices (integer VND) per original_sku in `prices`; answers
  `{data:[{original_sku, success, errors}]}` — SKUs the test told to fail, unknown ones and
  prices that are not positive integers come back with `success: false` and change nothing.
- `GET /integration/v2.1/products?include=inventory&page&limit`: the seller's products, at most
  `page_size` a page, `{data:[{product_id, sku, original_sku, name, price,
  inventory:{warehouse_quantities:[{warehouse_id, qty_available}]}}], paging:{total, per_page,
  current_page, last_page, from, to}}`.
- `GET /integration/v2/orders?updated_from_date&updated_to_date&order_by&page&limit`: orders
  updated strictly after / before the given `"YYYY-MM-DD HH:MM:SS"` (Vietnam time), sorted by
  `created_at|desc` unless `order_by` says otherwise, paged as above; each order
  `{id, code, status, items:[{id, product:{id, sku, seller_product_code, name}, qty, price}],
  created_at, updated_at}`. `GET /integration/v2/orders/{code}`: one order, 404 when unknown.
- Refusals are `{"errors": [...]}` with the HTTP status.
- `POST /sc/oauth2/token` (form, grant_type=refresh_token, refresh_token, client_id,
  client_secret): OAuth 2's `{access_token, refresh_token, expires_in, token_type, scope}`;
  a bad client or refresh token answers 400/401 `{error, error_description}`.
"""

import json
import secrets
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.payment_servers import LocalServer

UPDATE_SKUS_PATH = "/integration/v2.1/products/updateSkus"
TOKEN_PATH = "/sc/oauth2/token"
PRODUCTS_PATH = "/integration/v2.1/products"
ORDERS_PATH = "/integration/v2/orders"
TIKI_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TIKI_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
STOCK_RETURNING_STATUSES = {"canceled", "closed"}


def tiki_time(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, TIKI_ZONE).strftime(TIKI_TIME_FORMAT)


def unix_time(tiki_timestamp: str) -> float:
    moment = datetime.strptime(tiki_timestamp, TIKI_TIME_FORMAT).replace(tzinfo=TIKI_ZONE)
    return moment.timestamp()


def paged(rows: list, query: dict, page_size: int):
    """One page of `rows` and Tiki's `paging` block (page from 1, limit capped at page_size)."""
    try:
        page = max(1, int(query.get("page") or 1))
        limit = max(1, min(int(query.get("limit") or 20), page_size))
    except ValueError:
        return 400, {"errors": ["page and limit must be positive integers"]}
    first = (page - 1) * limit
    chunk = rows[first : first + limit]
    paging = {
        "total": len(rows),
        "per_page": limit,
        "current_page": page,
        "last_page": max(1, -(-len(rows) // limit)),
        "from": first + 1 if chunk else 0,
        "to": first + len(chunk),
    }
    return 200, {"data": chunk, "paging": paging}


class TikiServer(LocalServer):
    def __init__(
        self,
        client_id="tiki-client",
        client_secret="tiki-secret",
        *,
        rate_limit=50,
        batch_size=50,
        page_size=100,
        access_ttl=3600,
    ):
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.rate_limit, self.batch_size, self.access_ttl = rate_limit, batch_size, access_ttl
        self.page_size = page_size
        self.access_tokens: dict[str, float] = {}
        self.refresh_tokens: set[str] = set()
        self.skus: set[str] = set()
        self.stock: dict[tuple[str, str], int] = {}  # (original_sku, warehouse) → qty_available
        self.prices: dict[str, int] = {}  # original_sku → price (VND)
        self.products: dict[str, dict] = {}  # product_id → {sku, original_sku, name}
        self.orders: dict[str, dict] = {}  # code → {status, lines, created_at, updated_at}
        self.clock = time.time
        self.fail_skus: dict[str, str] = {}
        self.fail_share = 0.0
        self.received: list[float] = []
        self.calls: list[str] = []  # the bearer token of each API call past the rate limit
        self.throttled = 0
        self.refreshes = 0
        self.lock = threading.Lock()

    def issue_tokens(self, access_ttl=None):
        """(access, refresh, access expires at)."""
        access, refresh = secrets.token_hex(12), secrets.token_hex(12)
        expires = time.time() + (self.access_ttl if access_ttl is None else access_ttl)
        self.access_tokens[access] = expires
        self.refresh_tokens.add(refresh)
        return access, refresh, expires

    def max_calls_in_a_second(self) -> int:
        times, most, start = sorted(self.received), 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    # --- test helpers ------------------------------------------------------------------------
    def add_item(
        self, seller_sku, name="", stock=0, price=None, warehouse="HN", product_id=None, sku=None
    ) -> str:
        """A product of the seller as Tiki lists it (under `product_id` and Tiki's `sku` when
        given, as when listing again what an account was mapped to); returns its product_id."""
        product_id = product_id or str(100000 + len(self.products))
        self.products[product_id] = {
            "sku": sku or str(9000000000000 + len(self.products)),
            "original_sku": seller_sku,
            "name": name or seller_sku,
        }
        self.skus.add(seller_sku)
        self.stock[(seller_sku, warehouse)] = stock
        if price is not None:
            self.prices[seller_sku] = price
        return product_id

    def place_order(self, lines, status="queueing", at=None) -> str:
        """An order of `lines` [(product_id, sku, qty)]; its units leave the server's stock as
        Tiki reserves them (from the SKU's warehouses in turn). Returns the order code."""
        now = self.clock() if at is None else at
        code = str(800000000 + len(self.orders))
        taken = []
        for product_id, _sku, qty in lines:
            original = self.products[product_id]["original_sku"]
            left = qty
            for key in [key for key in self.stock if key[0] == original]:
                part = min(left, self.stock[key])
                self.stock[key] -= part
                taken.append((key, part))
                left -= part
        self.orders[code] = {
            "status": status,
            "lines": list(lines),
            "taken": taken,
            "created_at": now,
            "updated_at": now,
        }
        return code

    def set_order_status(self, code, status, at=None):
        """Move an order on; a cancelled (or closed) order gives its units back."""
        order = self.orders[code]
        if status in STOCK_RETURNING_STATUSES and order["status"] not in STOCK_RETURNING_STATUSES:
            for key, part in order["taken"]:
                self.stock[key] += part
        order["status"] = status
        order["updated_at"] = self.clock() if at is None else at

    # --- the API -------------------------------------------------------------------------------
    def admit(self, headers):
        """The refusal for a call (rate limit, bearer token, injected fault), or None."""
        with self.lock:
            now = time.time()
            self.received.append(now)
            if sum(1 for at in self.received if now - at < 1.0) > self.rate_limit:
                self.throttled += 1
                return 429, {"errors": ["Too many requests"]}
            auth = headers.get("authorization", "")
            token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
            self.calls.append(token)
            count = len(self.calls)
        if token not in self.access_tokens:
            return 401, {"errors": ["Unauthorized: invalid access token"]}
        if self.access_tokens[token] <= now:
            return 401, {"errors": ["Unauthorized: access token expired"]}
        if int(count * self.fail_share) > int((count - 1) * self.fail_share):
            return 500, {"errors": ["Internal server error"]}
        return None

    def update_skus(self, body):
        try:
            skus = json.loads(body)["skus"]
        except (ValueError, KeyError, TypeError):
            return 400, {"errors": ["Invalid request body"]}
        if not isinstance(skus, list) or not 1 <= len(skus) <= self.batch_size:
            return 400, {"errors": [f"skus must hold 1 to {self.batch_size} items"]}
        data = []
        for sku in skus:
            original = str(sku.get("original_sku", ""))
            if original in self.fail_skus or original not in self.skus:
                message = self.fail_skus.get(original, f"SKU {original} not found")
                data.append({"original_sku": original, "success": False, "errors": [message]})
                continue
            price = sku.get("price")
            if "price" in sku and (type(price) is not int or price <= 0):
                message = "price must be a positive integer"
                data.append({"original_sku": original, "success": False, "errors": [message]})
                continue
            with self.lock:
                for entry in sku.get("warehouse_quantities") or []:
                    self.stock[(original, str(entry["warehouse_id"]))] = int(entry["qty_available"])
                if price is not None:
                    self.prices[original] = price
            data.append({"original_sku": original, "success": True, "errors": []})
        return 200, {"data": data}

    def list_products(self, query):
        rows = []
        for product_id, product in self.products.items():
            original = product["original_sku"]
            warehouses = [
                {"warehouse_id": warehouse, "qty_available": qty}
                for (sku, warehouse), qty in self.stock.items()
                if sku == original
            ]
            rows.append(
                {
                    "product_id": int(product_id),
                    "sku": product["sku"],
                    "original_sku": original,
                    "name": product["name"],
                    "price": self.prices.get(original, 0),
                    "inventory": {"warehouse_quantities": warehouses},
                }
            )
        return paged(rows, query, self.page_size)

    def order_json(self, code):
        order = self.orders[code]
        items = []
        for index, (product_id, _sku, qty) in enumerate(order["lines"]):
            product = self.products[product_id]
            items.append(
                {
                    "id": int(code) * 10 + index,
                    "product": {
                        "id": int(product_id),
                        "sku": product["sku"],
                        "seller_product_code": product["original_sku"],
                        "name": product["name"],
                    },
                    "qty": qty,
                    "price": self.prices.get(product["original_sku"], 0),
                }
            )
        return {
            "id": int(code),
            "code": code,
            "status": order["status"],
            "items": items,
            "created_at": tiki_time(order["created_at"]),
            "updated_at": tiki_time(order["updated_at"]),
        }

    def list_orders(self, query):
        try:
            after = unix_time(query["updated_from_date"]) if "updated_from_date" in query else None
            before = unix_time(query["updated_to_date"]) if "updated_to_date" in query else None
        except ValueError:
            return 400, {"errors": ["Timestamps must read YYYY-MM-DD HH:MM:SS"]}
        column, _, direction = (query.get("order_by") or "created_at|desc").partition("|")
        if column not in ("created_at", "updated_at") or direction not in ("asc", "desc"):
            return 400, {"errors": ["order_by must be created_at|updated_at, asc|desc"]}
        codes = [
            code
            for code, order in self.orders.items()
            if (after is None or int(order["updated_at"]) > after)
            and (before is None or int(order["updated_at"]) < before)
        ]
        codes.sort(key=lambda code: self.orders[code][column], reverse=direction == "desc")
        return paged([self.order_json(code) for code in codes], query, self.page_size)

    def order_detail(self, code):
        if code not in self.orders:
            return 404, {"errors": [f"Order {code} not found"]}
        return 200, self.order_json(code)

    def token(self, form):
        self.refreshes += 1
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return 401, {
                "error": "invalid_client",
                "error_description": "Client authentication failed",
            }
        if (
            form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") not in self.refresh_tokens
        ):
            return 400, {"error": "invalid_grant", "error_description": "Invalid refresh token"}
        access, refresh, _ = self.issue_tokens()
        answer = {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.access_ttl,
            "token_type": "bearer",
            "scope": "product inventory order",
        }
        return 200, answer

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def body(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def refusal(self):
                return server.admit({k.lower(): v for k, v in self.headers.items()})

            def do_PUT(self):
                if urlsplit(self.path).path != UPDATE_SKUS_PATH:
                    return self.answer(404, {"errors": ["Not found"]})
                self.answer(*(self.refusal() or server.update_skus(self.body())))

            def do_GET(self):
                url = urlsplit(self.path)
                detail = url.path.startswith(ORDERS_PATH + "/")
                if url.path not in (PRODUCTS_PATH, ORDERS_PATH) and not detail:
                    return self.answer(404, {"errors": ["Not found"]})
                refusal = self.refusal()
                if refusal:
                    return self.answer(*refusal)
                query = dict(parse_qsl(url.query))
                if detail:
                    return self.answer(*server.order_detail(url.path[len(ORDERS_PATH) + 1 :]))
                if url.path == PRODUCTS_PATH:
                    return self.answer(*server.list_products(query))
                self.answer(*server.list_orders(query))

            def do_POST(self):
                if urlsplit(self.path).path != TOKEN_PATH:
                    return self.answer(404, {"errors": ["Not found"]})
                self.answer(*server.token(dict(parse_qsl(self.body().decode()))))

        return Handler
