"""A local Lazada Open Platform, written from Lazada's published contract
(../shared/domain/marketplaces.md), not from our adapter:

- both hosts under one server: `/rest/product/price_quantity/update` (the API host) and
  `/rest/auth/token/refresh` (the auth host); parameters as form fields (and/or the query);
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
  Quantity | MultiWarehouseInventories}]}}}}`; more than `max_skus` SKUs answers `E204`; a
  payload that is not that JSON answers `E005` (that code is our assumption);
- at most `rate_limit` calls in any second per seller; past it the seller is banned for
  `ban_seconds` and every call answers `ApiCallLimit`;
- told to, it fails a share of calls (`fail_share`, `fail_code`: E901, E501, …), answers slowly
  (`delay`), or refuses some SKUs of a batch (`fail_skus` {seller_sku: message}): the others
  are applied and the refused ones listed in `detail` [{field, seller_sku, message}] of an
  `E501` answer — Lazada's documented shape for a batch that failed "all or in part";
- it keeps the absolute quantity it was told per (item, sku) in `stock` (per warehouse in
  `warehouse_stock`) and logs every call in `calls` as (api path, seller, code answered).
"""

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.payment_servers import LocalServer

STOCK_PATH = "/product/price_quantity/update"
REFRESH_PATH = "/auth/token/refresh"
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
}
TYPES = {"IncompleteSignature": "ISV", "MISSING_PARAMETER": "ISV", "E005": "ISV", "E204": "ISV"}


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
        if api_path != STOCK_PATH:
            return error("InvalidApiPath", "The specified API path is invalid")
        seller, expires = self.access_tokens.get(params.get("access_token", ""), ("", 0))
        if not seller or expires <= self.now():
            return error("IllegalAccessToken")
        if self._throttled(seller):
            return error("ApiCallLimit")
        if self.fail_share and self.random.random() < self.fail_share:
            return error(self.fail_code)
        return self._update_stock(params.get("payload", ""))

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

    def _update_stock(self, payload):
        try:
            skus = json.loads(payload)["Request"]["Product"]["Skus"]["Sku"]
            assert isinstance(skus, list) and all(
                sku["ItemId"] and ("Quantity" in sku or "MultiWarehouseInventories" in sku)
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
            if "Quantity" in sku:
                self.stock[key] = int(sku["Quantity"])
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


def error(code: str, message: str = "") -> dict:
    return {
        "code": code,
        "type": TYPES.get(code, "ISP"),
        "message": message or MESSAGES.get(code, code),
        "request_id": secrets.token_hex(12),
    }
