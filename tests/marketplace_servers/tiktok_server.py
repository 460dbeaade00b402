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
- `GET /api/v2/token/refresh?app_key&app_secret&refresh_token&grant_type=refresh_token`: a new
  pair with absolute expiry times.

Knobs for tests: `rate_limit` (calls in any one second, counted over every call received),
`fail_share` (that share of calls answers HTTP 500), `fail_skus` ({sku_id: (code, message)}),
`delay` (seconds before answering). `calls` records (path, access token) of every call.
"""

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.payment_servers import LocalServer

INVENTORY = re.compile(r"^/product/202309/products/(?P<product_id>[^/]+)/inventory/update$")
REFRESH_PATH = "/api/v2/token/refresh"
TOO_MANY_SKUS = 12052700  # this fake's code: the limit (100) is published, its code is not


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
    ):
        super().__init__()
        self.app_key, self.app_secret, self.shop_cipher = app_key, app_secret, shop_cipher
        self.rate_limit, self.batch_size, self.access_ttl = rate_limit, batch_size, access_ttl
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
        self.products[str(product_id)] = {str(sku) for sku in sku_ids}

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
                path, params, _ = self.parts()
                if path == REFRESH_PATH:
                    return self.answer(*server.refresh(params))
                self.answer(404, 36009005, "API not found")

            def do_POST(self):
                path, params, body = self.parts()
                match = INVENTORY.match(path)
                if not match:
                    return self.answer(404, 36009005, "API not found")
                headers = {k.lower(): v for k, v in self.headers.items()}
                refused = server.check_call(path, params, headers, body)
                if refused:
                    return self.answer(*refused)
                self.answer(*server.update_inventory(match["product_id"], body))

        return Handler
