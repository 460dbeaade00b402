"""TikTok Shop Partner API (versioned paths, 202309) — stock pushes and token refresh.

Every call carries the query params `app_key`, `timestamp` (Unix s; the API accepts −5 min …
+30 s), `shop_cipher` (the account's, from `/authorization/202309/shops`, kept in
`credentials.extra["shop_cipher"]`) and `sign`, and the header `x-tts-access-token`. The sign
(see `sign`) is the lower-case hex HMAC-SHA256, keyed with the app secret, of
`app_secret + path + k1v1k2v2… (query params but sign and access_token, sorted by key) + raw body
+ app_secret`.

Stock: `POST /product/202309/products/{product_id}/inventory/update`
`{skus:[{id, inventory:[{warehouse_id, quantity}]}]}` — one product per call, at most 100 SKUs,
absolute per warehouse, every warehouse of a SKU in the same call (pushes of one SKU for several
warehouses go together). Answers `{code (0 = ok), message, request_id, data}`; a call that went
through can still refuse some SKUs in `data.errors[{code, message, detail:{sku_id}}]`.
Throttling is HTTP 429 with code 36009002. Tokens: `GET {auth}/api/v2/token/refresh`, whose
answer carries absolute expiry times (Unix s).
"""

import hashlib
import hmac
import json

from integrations.marketplaces.base import (
    Credentials,
    MarketplaceAdapter,
    MarketplaceError,
    MarketplaceSettings,
    PushResult,
    StockPush,
    per_item_batches,
)

API_HOST = "https://open-api.tiktokglobalshop.com"
AUTH_HOST = "https://auth.tiktok-shops.com"
INVENTORY_PATH = "/product/202309/products/{product_id}/inventory/update"
REFRESH_PATH = "/api/v2/token/refresh"
UNSIGNED_PARAMS = ("sign", "access_token")

THROTTLED = 36009002
BAD_SIGN = 106001
EXPIRED_TOKEN = 105002
INVALID_CREDENTIALS = 36009004  # invalid token, app_key or timestamp
PRODUCT_NOT_FOUND = 12052032
AUTH_CODES = frozenset({EXPIRED_TOKEN, INVALID_CREDENTIALS})  # refresh once, then retry once
RETRYABLE_CODES = frozenset({THROTTLED})


def default_settings(**overrides) -> MarketplaceSettings:
    """TikTok's published figures: ≤ 100 SKUs per call, 50 QPS per API per app and shop (the
    base's sliding window keeps within it)."""
    values = {
        "base_url": API_HOST,
        "auth_url": AUTH_HOST,
        "batch_size": 100,
        "calls_per_second": 50.0,
    }
    return MarketplaceSettings(**{**values, **overrides})


def sign(app_secret: str, path: str, params: dict, body: bytes | str = b"") -> str:
    """TikTok's request signature: lower-case hex HMAC-SHA256(app_secret, app_secret + path +
    sorted `k1v1k2v2…` of the query params except sign and access_token + raw body +
    app_secret). `path` has no host and no query; a multipart body is left out by the caller."""
    pairs = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in UNSIGNED_PARAMS)
    raw = body.encode() if isinstance(body, str) else body
    secret = app_secret.encode()
    message = secret + path.encode() + pairs.encode() + raw + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify_push(app_key: str, raw_body: bytes, authorization_header: str, app_secret: str) -> bool:
    """Whether a webhook came from TikTok: its `Authorization` header is the hex
    HMAC-SHA256(app_secret, app_key + raw body). Checked on the raw bytes, in constant time."""
    expected = hmac.new(app_secret.encode(), app_key.encode() + raw_body, hashlib.sha256)
    given = (authorization_header or "").strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.hexdigest().encode(), given)


def error_for(code, message: str, status: int = 200) -> MarketplaceError:
    """A TikTok answer's code as our error: throttling and server faults are worth retrying,
    an expired or invalid token asks for a refresh, anything else (bad sign, product not found,
    invalid params) stays refused."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = None
    retryable = number in RETRYABLE_CODES or status == 429 or status >= 500
    return MarketplaceError(
        str(code), message or "", retryable=retryable, auth=number in AUTH_CODES
    )


class TikTokAdapter(MarketplaceAdapter):
    name = "tiktok"

    # --- batching ----------------------------------------------------------------------------
    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """One call per product, at most `batch_size` SKUs each; every warehouse of a SKU in the
        same call (the API wants them all listed together)."""
        return per_item_batches(pushes, self.settings.batch_size)

    # --- stock -------------------------------------------------------------------------------
    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        skus: dict[str, list[dict]] = {}
        for push in batch:
            entry = {"quantity": max(0, int(push.quantity))}
            if push.warehouse_id:
                entry = {"warehouse_id": push.warehouse_id, **entry}
            skus.setdefault(push.sku_id, []).append(entry)
        body = {"skus": [{"id": sku, "inventory": inventory} for sku, inventory in skus.items()]}
        data = self.call("POST", INVENTORY_PATH.format(product_id=batch[0].item_id), body)
        refused = {}
        for error in data.get("errors") or []:
            detail = error.get("detail") or {}
            refused[str(detail.get("sku_id", ""))] = error_for(
                error.get("code"), error.get("message", "")
            )
        results = []
        for push in batch:
            error = refused.get(push.sku_id)
            if error is None:
                results.append(PushResult(push, True))
            else:
                results.append(
                    PushResult(push, False, error.retryable, f"{error.code}: {error.message}")
                )
        return results

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        """One signed API call; the answer's `data`, or MarketplaceError."""
        credentials = self.credentials
        raw = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        params = {
            "app_key": credentials.app_key,
            "timestamp": str(int(self.clock())),
            "shop_cipher": credentials.extra.get("shop_cipher", ""),
        }
        params["sign"] = sign(credentials.app_secret, path, params, raw)
        headers = {"x-tts-access-token": credentials.access_token}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.request(
            method, self.settings.base_url + path, params=params, data=raw, headers=headers
        )
        return self.answer(response)

    @staticmethod
    def answer(response) -> dict:
        status = response.status_code
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            message = (response.text or response.reason or "")[:200]
            raise MarketplaceError(
                f"http_{status}", message, retryable=status == 429 or status >= 500
            )
        code = payload.get("code")
        if str(code) == "0" and status < 400:
            return payload.get("data") or {}
        raise error_for(code, payload.get("message", ""), status)

    # --- tokens ------------------------------------------------------------------------------
    def refresh_tokens(self) -> Credentials:
        credentials = self.credentials
        params = {
            "app_key": credentials.app_key,
            "app_secret": credentials.app_secret,
            "refresh_token": credentials.refresh_token,
            "grant_type": "refresh_token",
        }
        auth_url = self.settings.auth_url or self.settings.base_url
        data = self.answer(self.request("GET", auth_url + REFRESH_PATH, params=params))
        try:
            return credentials.with_tokens(
                data["access_token"],
                data["refresh_token"],
                float(data["access_token_expire_in"]),
                float(data["refresh_token_expire_in"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            message = f"token refresh: {error}"
            raise MarketplaceError("bad_answer", message, retryable=True) from error
