"""A local Tiki Open API (partly verified contract, ../../../shared/domain/marketplaces.md):

- `PUT /integration/v2.1/products/updateSkus` with `Authorization: Bearer <token>` and
  `{skus:[{original_sku, warehouse_quantities:[{warehouse_id, qty_available}]}]}`: at most
  `batch_size` SKUs (more → 400), absolute quantities kept per (original_sku, warehouse) in
  `stock`; answers `{data:[{original_sku, success, errors}]}` — SKUs the test told to fail (and
  unknown ones) come back with `success: false` and keep their old stock.
- Refusals are `{"errors": [...]}` with the HTTP status: 401 missing/invalid/expired token, 429
  past the rate limit, 500 for the share of calls told to fail.
- `POST /sc/oauth2/token` (form, grant_type=refresh_token, refresh_token, client_id,
  client_secret): OAuth 2's `{access_token, refresh_token, expires_in, token_type, scope}`;
  a bad client or refresh token answers 400/401 `{error, error_description}`.
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.payment_servers import LocalServer

UPDATE_SKUS_PATH = "/integration/v2.1/products/updateSkus"
TOKEN_PATH = "/sc/oauth2/token"


class TikiServer(LocalServer):
    def __init__(
        self,
        client_id="tiki-client",
        client_secret="tiki-secret",
        *,
        rate_limit=50,
        batch_size=50,
        access_ttl=3600,
    ):
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.rate_limit, self.batch_size, self.access_ttl = rate_limit, batch_size, access_ttl
        self.access_tokens: dict[str, float] = {}
        self.refresh_tokens: set[str] = set()
        self.skus: set[str] = set()
        self.stock: dict[tuple[str, str], int] = {}  # (original_sku, warehouse) → qty_available
        self.fail_skus: dict[str, str] = {}
        self.fail_share = 0.0
        self.received: list[float] = []
        self.calls: list[str] = []  # the bearer token of each stock call past the rate limit
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

    def update_skus(self, headers, body):
        with self.lock:
            now = time.time()
            self.received.append(now)
            if sum(1 for at in self.received if now - at < 1.0) > self.rate_limit:
                self.throttled += 1
                return 429, {"errors": ["Too many requests"]}
        auth = headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        with self.lock:
            self.calls.append(token)
            count = len(self.calls)
        if token not in self.access_tokens:
            return 401, {"errors": ["Unauthorized: invalid access token"]}
        if self.access_tokens[token] <= now:
            return 401, {"errors": ["Unauthorized: access token expired"]}
        if int(count * self.fail_share) > int((count - 1) * self.fail_share):
            return 500, {"errors": ["Internal server error"]}
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
            for entry in sku.get("warehouse_quantities") or []:
                with self.lock:
                    self.stock[(original, str(entry["warehouse_id"]))] = int(entry["qty_available"])
            data.append({"original_sku": original, "success": True, "errors": []})
        return 200, {"data": data}

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

            def do_PUT(self):
                if urlsplit(self.path).path != UPDATE_SKUS_PATH:
                    return self.answer(404, {"errors": ["Not found"]})
                headers = {k.lower(): v for k, v in self.headers.items()}
                self.answer(*server.update_skus(headers, self.body()))

            def do_POST(self):
                if urlsplit(self.path).path != TOKEN_PATH:
                    return self.answer(404, {"errors": ["Not found"]})
                self.answer(*server.token(dict(parse_qsl(self.body().decode()))))

        return Handler
