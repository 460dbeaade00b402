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
- `signed_push()` builds a push (webhook) body and its `Authorization` header.
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
REFRESH = "/api/v2/auth/access_token/get"
TIMESTAMP_VALIDITY = 300
MAX_MODELS = 50


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
        clock=time.time,
    ):
        super().__init__()
        self.partner_id, self.partner_key, self.shop_id = partner_id, partner_key, shop_id
        self.access_ttl = access_ttl
        self.rate_limit, self.throttle_status = rate_limit, throttle_status
        self.fail_share, self.random = fail_share, random.Random(15)
        self.clock = clock
        self.items: dict[int, set[int]] = {}  # item_id → its model ids (0 = no variants)
        self.fail_models: dict[tuple[int, int], str] = {}  # (item, model) → failed_reason
        self.stock: dict[tuple[int, int], int] = {}
        self.stock_by_location: dict[tuple[int, int, str], int] = {}
        self.access_tokens: dict[str, float] = {}  # token → expires at (server clock)
        self.refresh_tokens: dict[str, bool] = {}  # token → still usable
        self.calls: list[tuple[str, dict]] = []  # every request: (path, error code or "")
        self.stock_calls: list[dict] = []  # accepted update_stock bodies
        self.throttled = 0  # calls refused for the rate limit
        self._window: list[float] = []
        self._lock = threading.Lock()

    def start(self):
        """As LocalServer, polling for shutdown every 20 ms so each test's stop() is quick."""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    # --- for tests -----------------------------------------------------------------------------
    def add_item(self, item_id: int, model_ids=(0,)):
        self.items[item_id] = set(model_ids)

    def issue_tokens(self, access_ttl: float | None = None) -> tuple[str, str]:
        """A fresh pair as /auth/token/get would give it (`access_ttl` < 0: already expired)."""
        with self._lock:
            return self._issue(self.access_ttl if access_ttl is None else access_ttl)

    def signed_push(self, callback_url: str, payload: dict) -> tuple[bytes, str]:
        body = json.dumps(payload).encode()
        message = callback_url.encode() + b"|" + body
        return body, hmac.new(self.partner_key.encode(), message, hashlib.sha256).hexdigest()

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

    def handle(self, path: str, query: dict, raw: bytes) -> tuple[int, dict]:
        with self._lock:
            status, answer = self._handle(path, query, raw)
            self.calls.append((path, answer.get("error", "")))
            return status, answer

    def _handle(self, path, query, raw):
        if path not in (UPDATE_STOCK, REFRESH):
            return 404, envelope("error_not_found", "Api not found.")
        if self._over_rate():
            self.throttled += 1
            return self.throttle_status, envelope("error_server", "Too many requests")
        if self.fail_share and self.random.random() < self.fail_share:
            return 500, envelope("error_server", "Internal server error, please try later.")
        shop = path == UPDATE_STOCK
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
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return 200, envelope("error_param", "Request body is not JSON.")
        if not shop:
            return 200, self._refresh(body)
        expires = self.access_tokens.get(query["access_token"])
        if query["shop_id"] != self.shop_id or expires is None or expires <= self.clock():
            return 200, envelope("error_auth", "Invalid access_token.")
        return 200, self._update_stock(body)

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
            for s in seller_stock:
                self.stock_by_location[(item_id, model_id, s.get("location_id", ""))] = s["stock"]
            total = sum(s["stock"] for s in seller_stock)
            self.stock[(item_id, model_id)] = total
            successes.append({"model_id": model_id, "stock": total})
        self.stock_calls.append(body)
        return envelope("", "", {"success_list": successes, "failure_list": failures})

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._answer(b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length))

            def _answer(self, raw):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, answer = server.handle(url.path, query, raw)
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
