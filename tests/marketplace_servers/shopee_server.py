"""A local Shopee Open Platform v2, written from ../shared/domain/marketplaces.md, not from our
adapter:

- common params in the query: `partner_id`, `timestamp` (older than 5 minutes → `error_param`),
  `sign`; shop calls add `access_token` and `shop_id` (missing → `error_param`);
- `sign` = lower-case hex HMAC-SHA256(partner_key, partner_id + path + timestamp [+ access_token
  + shop_id]); anything else → `error_sign`. The JSON body is not signed;
- `POST /api/v2/product/update_stock {item_id, stock_list:[{model_id, seller_stock:[{location_id?,
  stock}]}]}`: 1–50 models (else `error_param`), an unknown item → `error_item_not_found`, an
  unknown model or one told to fail → `response.failure_list[{model_id, failed_reason}]`, the
  rest land in `stock[(item_id, model_id)]` (the sum over locations; per location in
  `stock_by_location`);
- `POST /api/v2/auth/access_token/get {refresh_token, partner_id, shop_id}`: a new pair at the
  answer's top level with `expire_in`; a refresh token works ONCE (again → `error_auth`
  "invalid refresh_token"); an expired or unknown access token → `error_auth`;
- a rate limit per shop: at most `rate_limit` calls in any one second; past it Shopee answers
  `error_server` "Too many requests". Its HTTP status is undocumented (unverified): this server
  sends `throttle_status` (429 unless told 200); every other error comes with HTTP 200, and
  `fail_share` of the calls fail with HTTP 500;
- `POST /api/v2/product/update_price {item_id, price_list:[{model_id, original_price}]}`: 1–50
  models as for stock; a price that is not a positive whole number of VND fails that model in
  `failure_list`; the rest land in `prices[(item_id, model_id)]`;
- `GET /api/v2/product/get_item_list` (`offset`, `page_size` 1–100, `item_status` repeated) →
  `response{item[{item_id, item_status, update_time}], total_count, has_next_page, next_offset}`;
  `GET /api/v2/product/get_item_base_info?item_id_list=` (1–50 ids, comma-joined) →
  `response.item_list[{item_id, item_name, item_sku, item_status, has_model, price_info,
  stock_info_v2}]` (price and stock only for items without models); `GET
  /api/v2/product/get_model_list?item_id=` → `response{tier_variation, model[{model_id,
  model_sku, model_name, price_info[{original_price, current_price}], stock_info_v2{summary_info,
  seller_stock[{location_id, stock}]}}]}`;
- `GET /api/v2/order/get_order_list` (`time_range_field` create_time|update_time, `time_from`,
  `time_to` at most 15 days apart, `page_size` 1–100, `cursor`) → `response{more, next_cursor,
  order_list[{order_sn}]}`; `GET /api/v2/order/get_order_detail?order_sn_list=` (1–50) →
  `response.order_list[{order_sn, order_status, create_time, update_time}]`, with `item_list`
  only when `response_optional_fields` asks for it; unknown order_sn are left out (unverified);
- `page_size_cap` (a test setting) makes pages smaller than asked, as Shopee may;
- `place_order()` takes the units from the model's stock as Shopee does at checkout,
  `set_order_status()` gives them back on cancellation;
- `signed_push()` / `signed_order_push()` build a push (webhook) body and its `Authorization`
  header.
"""

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.payment_servers import LocalServer

UPDATE_STOCK = "/api/v2/product/update_stock"
UPDATE_PRICE = "/api/v2/product/update_price"
ITEM_LIST = "/api/v2/product/get_item_list"
ITEM_INFO = "/api/v2/product/get_item_base_info"
MODEL_LIST = "/api/v2/product/get_model_list"
ORDER_LIST = "/api/v2/order/get_order_list"
ORDER_DETAIL = "/api/v2/order/get_order_detail"
REFRESH = "/api/v2/auth/access_token/get"
TIMESTAMP_VALIDITY = 300
MAX_MODELS = 50
MAX_PAGE_SIZE = 100
MAX_IDS = 50  # get_item_base_info ids, get_order_detail order_sn
ORDER_TIME_RANGE = 15 * 24 * 3600
ITEM_STATUSES = {"NORMAL", "BANNED", "UNLIST", "REVIEWING", "SELLER_DELETE", "SHOPEE_DELETE"}


class ShopeeServer(LocalServer):
    def __init__(
        self,
        *,
        partner_id="2001887",
        partner_key="shpk-test-partner-key",
        shop_id="55501",
        access_ttl=4 * 3600,
        rate_limit=1000,
        throttle_status=429,
        fail_share=0.0,
        page_size_cap=MAX_PAGE_SIZE,
        clock=time.time,
    ):
        super().__init__()
        self.partner_id, self.partner_key, self.shop_id = partner_id, partner_key, shop_id
        self.access_ttl = access_ttl
        self.rate_limit, self.throttle_status = rate_limit, throttle_status
        self.fail_share, self.random = fail_share, random.Random(15)
        self.clock = clock
        self.page_size_cap = page_size_cap
        self.items: dict[int, set[int]] = {}  # item_id → its model ids (0 = no variants)
        self.item_info: dict[int, dict] = {}  # item_id → {name, sku, status, update_time}
        self.model_skus: dict[tuple[int, int], str] = {}
        self.prices: dict[tuple[int, int], int] = {}
        self.orders: dict[str, dict] = {}  # order_sn → {status, create/update_time, lines}
        self.fail_models: dict[tuple[int, int], str] = {}  # (item, model) → failed_reason
        self.stock: dict[tuple[int, int], int] = {}
        self.stock_by_location: dict[tuple[int, int, str], int] = {}
        self.access_tokens: dict[str, float] = {}  # token → expires at (server clock)
        self.refresh_tokens: dict[str, bool] = {}  # token → still usable
        self.calls: list[tuple[str, dict]] = []  # every request: (path, error code or "")
        self.stock_calls: list[dict] = []  # accepted update_stock bodies
        self.price_calls: list[dict] = []  # accepted update_price bodies
        self.throttled = 0  # calls refused for the rate limit
        self._window: list[float] = []
        self._lock = threading.Lock()

    def start(self):
        """As LocalServer, polling for shutdown every 20 ms so each test's stop() is quick."""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    # --- for tests -----------------------------------------------------------------------------
    def add_item(
        self,
        item_id: int,
        model_ids=(0,),
        *,
        seller_sku="",
        name="",
        stock: int | dict | None = None,
        price: int | dict | None = None,
        status="NORMAL",
    ):
        """An item with its models (0 = no variants). `seller_sku` is the item's SKU, and each
        model's is `seller_sku-model_id`; `stock` and `price` are one value for every model or a
        dict per model (None: not set yet)."""
        self.items[item_id] = set(model_ids)
        self.item_info[item_id] = {
            "name": name or f"Item {item_id}",
            "sku": seller_sku,
            "status": status,
            "update_time": int(self.clock()),
        }
        for model_id in model_ids:
            key = (item_id, model_id)
            if seller_sku:
                self.model_skus[key] = f"{seller_sku}-{model_id}" if model_id else seller_sku
            model_stock = stock.get(model_id) if isinstance(stock, dict) else stock
            if model_stock is not None:
                self.stock[key] = model_stock
                self.stock_by_location[(item_id, model_id, "")] = model_stock
            model_price = price.get(model_id) if isinstance(price, dict) else price
            if model_price is not None:
                self.prices[key] = model_price

    def place_order(self, lines, status="READY_TO_SHIP", updated_at=None) -> str:
        """A buyer's order of `lines` [(item_id, model_id, quantity)]: its units leave the
        models' stock at once, as Shopee reserves them at checkout."""
        with self._lock:
            for item_id, model_id, quantity in lines:
                if model_id not in self.items.get(item_id, ()):
                    raise ValueError(f"no model {model_id} in item {item_id}")
                if self.stock.get((item_id, model_id), 0) < quantity:
                    raise ValueError(f"item {item_id} model {model_id} is out of stock")
            order_sn = f"251206{len(self.orders) + 1:04d}SHP"
            now = int(self.clock()) if updated_at is None else updated_at
            self.orders[order_sn] = {
                "status": status,
                "create_time": now,
                "update_time": now,
                "lines": [tuple(line) for line in lines],
            }
            if status != "CANCELLED":
                self._move_stock(lines, -1)
            return order_sn

    def set_order_status(self, order_sn: str, status: str, updated_at=None):
        """A new status; a cancellation gives the units back."""
        with self._lock:
            order = self.orders[order_sn]
            if status == "CANCELLED" and order["status"] != "CANCELLED":
                self._move_stock(order["lines"], +1)
            order["status"] = status
            order["update_time"] = int(self.clock()) if updated_at is None else updated_at

    def _move_stock(self, lines, direction: int):
        for item_id, model_id, quantity in lines:
            key = (item_id, model_id)
            self.stock[key] = self.stock.get(key, 0) + direction * quantity
            locations = sorted(k for k in self.stock_by_location if k[:2] == key)
            left = quantity
            for location in locations or [(item_id, model_id, "")]:
                taken = (
                    left if direction > 0 else min(left, self.stock_by_location.get(location, 0))
                )
                self.stock_by_location[location] = (
                    self.stock_by_location.get(location, 0) + direction * taken
                )
                left -= taken
                if not left:
                    break

    def issue_tokens(self, access_ttl: float | None = None) -> tuple[str, str]:
        """A fresh pair as /auth/token/get would give it (`access_ttl` < 0: already expired)."""
        with self._lock:
            return self._issue(self.access_ttl if access_ttl is None else access_ttl)

    def signed_push(self, callback_url: str, payload: dict) -> tuple[bytes, str]:
        body = json.dumps(payload).encode()
        message = callback_url.encode() + b"|" + body
        return body, hmac.new(self.partner_key.encode(), message, hashlib.sha256).hexdigest()

    def signed_order_push(self, callback_url: str, order_sn: str) -> tuple[bytes, dict]:
        """Shopee's order status push (code 3) for `order_sn` and its headers."""
        order = self.orders[order_sn]
        body, signature = self.signed_push(
            callback_url,
            {
                "shop_id": int(self.shop_id),
                "code": 3,
                "timestamp": int(self.clock()),
                "data": {
                    "ordersn": order_sn,
                    "status": order["status"],
                    "update_time": order["update_time"],
                },
            },
        )
        return body, {"Authorization": signature}

    # --- behaviour -----------------------------------------------------------------------------
    def _issue(self, access_ttl: float) -> tuple[str, str]:
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.access_tokens[access] = self.clock() + access_ttl
        self.refresh_tokens[refresh] = True
        return access, refresh

    def _over_rate(self) -> bool:
        now = time.monotonic()
        self._window = [t for t in self._window if now - t < 1.0]
        self._window.append(now)  # a refused call counts too
        return len(self._window) > self.rate_limit

    def handle(self, method: str, path: str, query: dict[str, list], raw: bytes):
        with self._lock:
            status, answer = self._handle(method, path, query, raw)
            self.calls.append((path, answer.get("error", "")))
            return status, answer

    def _shop_api(self) -> dict:
        """Shop calls: path → (HTTP method, handler of the JSON body or the query)."""
        return {
            UPDATE_STOCK: ("POST", self._update_stock),
            UPDATE_PRICE: ("POST", self._update_price),
            ITEM_LIST: ("GET", self._item_list),
            ITEM_INFO: ("GET", self._item_info),
            MODEL_LIST: ("GET", self._model_list),
            ORDER_LIST: ("GET", self._order_list),
            ORDER_DETAIL: ("GET", self._order_detail),
        }

    def _handle(self, method, path, query_lists, raw):
        shop_api = self._shop_api()
        if path != REFRESH and shop_api.get(path, ("",))[0] != method:
            return 404, envelope("error_not_found", "Api not found.")
        query = {name: values[0] for name, values in query_lists.items()}
        if self._over_rate():
            self.throttled += 1
            return self.throttle_status, envelope("error_server", "Too many requests")
        if self.fail_share and self.random.random() < self.fail_share:
            return 500, envelope("error_server", "Internal server error, please try later.")
        shop = path != REFRESH
        needed = ("partner_id", "timestamp", "sign") + (("access_token", "shop_id") if shop else ())
        missing = [name for name in needed if not query.get(name)]
        if missing:
            return 200, envelope("error_param", f"Missing {missing[0]}.")
        if query["partner_id"] != self.partner_id:
            return 200, envelope("error_param", "Invalid partner_id.")
        try:
            timestamp = int(query["timestamp"])
        except ValueError:
            return 200, envelope("error_param", "Invalid timestamp.")
        if timestamp < self.clock() - TIMESTAMP_VALIDITY:
            return 200, envelope("error_param", "Invalid timestamp: it has expired.")
        base = query["partner_id"] + path + query["timestamp"]
        if shop:
            base += query["access_token"] + query["shop_id"]
        expected = hmac.new(self.partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, query["sign"]):
            return 200, envelope("error_sign", "Wrong sign.")
        if method == "GET":
            body = query_lists
        else:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return 200, envelope("error_param", "Request body is not JSON.")
        if not shop:
            return 200, self._refresh(body)
        expires = self.access_tokens.get(query["access_token"])
        if query["shop_id"] != self.shop_id or expires is None or expires <= self.clock():
            return 200, envelope("error_auth", "Invalid access_token.")
        return 200, shop_api[path][1](body)

    def _refresh(self, body: dict) -> dict:
        if str(body.get("partner_id")) != self.partner_id:
            return envelope("error_param", "Invalid partner_id.")
        if str(body.get("shop_id")) != self.shop_id:
            return envelope("error_param", "Invalid shop_id.")
        token = body.get("refresh_token")
        if not self.refresh_tokens.get(token):
            return envelope("error_auth", "invalid refresh_token")
        self.refresh_tokens[token] = False  # single use
        access, refresh = self._issue(self.access_ttl)
        answer = envelope("", "")
        del answer["response"]
        answer.update(
            access_token=access,
            refresh_token=refresh,
            expire_in=self.access_ttl,
            partner_id=int(self.partner_id),
            shop_id=int(self.shop_id),
        )
        return answer

    def _update_stock(self, body: dict) -> dict:
        item_id, stock_list = body.get("item_id"), body.get("stock_list")
        if not isinstance(item_id, int) or not isinstance(stock_list, list):
            return envelope("error_param", "item_id and stock_list are required.")
        if not 1 <= len(stock_list) <= MAX_MODELS:
            return envelope("error_param", f"stock_list length should be 1 to {MAX_MODELS}.")
        if item_id not in self.items:
            return envelope("error_item_not_found", "Item not found.")
        successes, failures = [], []
        for entry in stock_list:
            model_id, seller_stock = entry.get("model_id"), entry.get("seller_stock")
            if not isinstance(seller_stock, list) or not seller_stock:
                return envelope("error_param", "seller_stock is required.")
            reason = self.fail_models.get((item_id, model_id))
            if model_id not in self.items[item_id]:
                reason = "model_id is not found in this item."
            elif any(not isinstance(s.get("stock"), int) or s["stock"] < 0 for s in seller_stock):
                reason = "stock should be an integer >= 0."
            if reason:
                failures.append({"model_id": model_id, "failed_reason": reason})
                continue
            for key in [k for k in self.stock_by_location if k[:2] == (item_id, model_id)]:
                del self.stock_by_location[key]
            for s in seller_stock:
                self.stock_by_location[(item_id, model_id, s.get("location_id", ""))] = s["stock"]
            total = sum(s["stock"] for s in seller_stock)
            self.stock[(item_id, model_id)] = total
            successes.append({"model_id": model_id, "stock": total})
        self.stock_calls.append(body)
        return envelope("", "", {"success_list": successes, "failure_list": failures})

    def _update_price(self, body: dict) -> dict:
        item_id, price_list = body.get("item_id"), body.get("price_list")
        if not isinstance(item_id, int) or not isinstance(price_list, list):
            return envelope("error_param", "item_id and price_list are required.")
        if not 1 <= len(price_list) <= MAX_MODELS:
            return envelope("error_param", f"price_list length should be 1 to {MAX_MODELS}.")
        if item_id not in self.items:
            return envelope("error_item_not_found", "Item not found.")
        successes, failures = [], []
        for entry in price_list:
            model_id, price = entry.get("model_id"), entry.get("original_price")
            reason = self.fail_models.get((item_id, model_id))
            if model_id not in self.items[item_id]:
                reason = "model_id is not found in this item."
            elif (
                isinstance(price, bool)
                or not isinstance(price, int | float)
                or price <= 0
                or price != int(price)
            ):
                reason = "original_price should be a positive integer for VND."
            if reason:
                failures.append({"model_id": model_id, "failed_reason": reason})
                continue
            self.prices[(item_id, model_id)] = int(price)
            successes.append({"model_id": model_id, "original_price": int(price)})
        self.price_calls.append(body)
        return envelope("", "", {"success_list": successes, "failure_list": failures})

    def _item_list(self, query: dict[str, list]) -> dict:
        offset, page_size = first_int(query, "offset", 0), first_int(query, "page_size")
        statuses = query.get("item_status") or []
        if offset is None or offset < 0 or page_size is None:
            return envelope("error_param", "offset and page_size must be integers.")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            return envelope("error_param", f"page_size should be 1 to {MAX_PAGE_SIZE}.")
        if not statuses or not set(statuses) <= ITEM_STATUSES:
            return envelope("error_param", "item_status is invalid.")
        listed = [i for i in sorted(self.items) if self.item_info[i]["status"] in statuses]
        page = listed[offset : offset + min(page_size, self.page_size_cap)]
        next_offset = offset + len(page)
        return envelope(
            "",
            "",
            {
                "item": [
                    {
                        "item_id": item_id,
                        "item_status": self.item_info[item_id]["status"],
                        "update_time": self.item_info[item_id]["update_time"],
                    }
                    for item_id in page
                ],
                "total_count": len(listed),
                "has_next_page": next_offset < len(listed),
                "next_offset": next_offset,
            },
        )

    def _item_info(self, query: dict[str, list]) -> dict:
        try:
            item_ids = [int(i) for i in (query.get("item_id_list") or [""])[0].split(",")]
        except ValueError:
            return envelope("error_param", "item_id_list is invalid.")
        if not 1 <= len(item_ids) <= MAX_IDS:
            return envelope("error_param", f"item_id_list length should be 1 to {MAX_IDS}.")
        item_list = []
        for item_id in item_ids:
            if item_id not in self.items:
                continue
            info, has_model = self.item_info[item_id], self.items[item_id] != {0}
            item = {
                "item_id": item_id,
                "item_name": info["name"],
                "item_sku": info["sku"],
                "item_status": info["status"],
                "update_time": info["update_time"],
                "has_model": has_model,
            }
            if not has_model:
                item.update(self._price_and_stock(item_id, 0))
            item_list.append(item)
        return envelope("", "", {"item_list": item_list})

    def _model_list(self, query: dict[str, list]) -> dict:
        item_id = first_int(query, "item_id")
        if item_id is None:
            return envelope("error_param", "item_id is required.")
        if item_id not in self.items:
            return envelope("error_item_not_found", "Item not found.")
        models = [
            {
                "model_id": model_id,
                "model_sku": self.model_skus.get((item_id, model_id), ""),
                "model_name": f"Variant {model_id}",
                **self._price_and_stock(item_id, model_id),
            }
            for model_id in sorted(self.items[item_id] - {0})
        ]
        return envelope("", "", {"tier_variation": [], "model": models})

    def _price_and_stock(self, item_id: int, model_id: int) -> dict:
        key = (item_id, model_id)
        seller_stock = [
            {"location_id": location, "stock": stock}
            for (i, m, location), stock in sorted(self.stock_by_location.items())
            if (i, m) == key
        ]
        answer = {
            "stock_info_v2": {
                "summary_info": {
                    "total_reserved_stock": 0,
                    "total_available_stock": sum(s["stock"] for s in seller_stock),
                },
                "seller_stock": seller_stock,
            }
        }
        if key in self.prices:  # Shopee answers prices as floats
            price = float(self.prices[key])
            answer["price_info"] = [
                {"currency": "VND", "original_price": price, "current_price": price}
            ]
        return answer

    def _order_list(self, query: dict[str, list]) -> dict:
        field = (query.get("time_range_field") or [""])[0]
        time_from, time_to = first_int(query, "time_from"), first_int(query, "time_to")
        page_size, cursor = first_int(query, "page_size"), (query.get("cursor") or ["0"])[0]
        if field not in ("create_time", "update_time") or time_from is None or time_to is None:
            return envelope("error_param", "time_range_field, time_from and time_to are required.")
        if not 0 <= time_to - time_from <= ORDER_TIME_RANGE:
            return envelope("error_param", "time_to - time_from should be within 15 days.")
        if page_size is None or not 1 <= page_size <= MAX_PAGE_SIZE:
            return envelope("error_param", f"page_size should be 1 to {MAX_PAGE_SIZE}.")
        if not (cursor or "0").isdigit():
            return envelope("error_param", "cursor is invalid.")
        matching = sorted(
            (order[field], order_sn)
            for order_sn, order in self.orders.items()
            if time_from <= order[field] <= time_to
        )
        offset = int(cursor or 0)
        page = matching[offset : offset + min(page_size, self.page_size_cap)]
        more = offset + len(page) < len(matching)
        return envelope(
            "",
            "",
            {
                "more": more,
                "next_cursor": str(offset + len(page)) if more else "",
                "order_list": [{"order_sn": order_sn} for _, order_sn in page],
            },
        )

    def _order_detail(self, query: dict[str, list]) -> dict:
        order_sns = [sn for sn in (query.get("order_sn_list") or [""])[0].split(",") if sn]
        if not 1 <= len(order_sns) <= MAX_IDS:
            return envelope("error_param", f"order_sn_list length should be 1 to {MAX_IDS}.")
        optional = (query.get("response_optional_fields") or [""])[0].split(",")
        order_list = []
        for order_sn in order_sns:
            order = self.orders.get(order_sn)
            if order is None:
                continue
            detail = {
                "order_sn": order_sn,
                "order_status": order["status"],
                "create_time": order["create_time"],
                "update_time": order["update_time"],
            }
            if "item_list" in optional:
                detail["item_list"] = [
                    {
                        "item_id": item_id,
                        "item_name": self.item_info[item_id]["name"],
                        "item_sku": self.item_info[item_id]["sku"],
                        "model_id": model_id,
                        "model_sku": self.model_skus.get((item_id, model_id), "")
                        if model_id
                        else "",
                        "model_quantity_purchased": quantity,
                    }
                    for item_id, model_id, quantity in order["lines"]
                ]
            order_list.append(detail)
        return envelope("", "", {"order_list": order_list})

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._answer("GET", b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._answer("POST", self.rfile.read(length))

            def _answer(self, method, raw):
                url = urlsplit(self.path)
                query = parse_qs(url.query, keep_blank_values=True)
                status, answer = server.handle(method, url.path, query, raw)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler


def envelope(error: str, message: str, response: dict | None = None) -> dict:
    return {
        "request_id": secrets.token_hex(16),
        "error": error,
        "message": message,
        "warning": "",
        "response": response or {},
    }


def first_int(query: dict[str, list], name: str, default=None) -> int | None:
    """The query parameter `name` as an integer; `default` when absent, None when not a number."""
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[0])
    except ValueError:
        return None
