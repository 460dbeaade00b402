"""Shopee Open Platform v2: stock pushes, token refresh and push (webhook) verification.

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
    PushResult,
    StockPush,
    per_item_batches,
)

SHOPEE = MarketplaceSettings(
    base_url="https://partner.shopeemobile.com",
    batch_size=50,  # models per update_stock call
    calls_per_second=10.0,  # Shopee's QPS is not published (unverified): a per-account setting
)
SHOPEE_SANDBOX = replace(SHOPEE, base_url="https://openplatform.sandbox.test-stable.shopee.sg")

UPDATE_STOCK_PATH = "/api/v2/product/update_stock"
REFRESH_PATH = "/api/v2/auth/access_token/get"
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600  # not in the answer; Shopee documents 30 days

AUTH_ERRORS = frozenset({"error_auth"})
RETRYABLE_ERRORS = frozenset({"error_server"})  # "Too many requests", or Shopee's own failure


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

    # --- stock ---------------------------------------------------------------------------------
    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        item_id = shopee_id(batch[0].item_id, "item_id")
        stock_list: dict[int, list[dict]] = {}
        for push in batch:
            entry = {"stock": max(0, int(push.quantity))}
            if push.warehouse_id:
                entry["location_id"] = push.warehouse_id
            stock_list.setdefault(shopee_id(push.sku_id, "model_id"), []).append(entry)
        body = {
            "item_id": item_id,
            "stock_list": [
                {"model_id": model_id, "seller_stock": seller_stock}
                for model_id, seller_stock in stock_list.items()
            ],
        }
        answer = self.call(UPDATE_STOCK_PATH, body, shop=True).get("response") or {}
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

    # --- one signed call -----------------------------------------------------------------------
    def call(self, path: str, body: dict, *, shop: bool, base: str = "") -> dict:
        credentials = self.credentials
        timestamp = int(self.clock())
        params = {"partner_id": credentials.app_key, "timestamp": timestamp}
        if shop:
            params["access_token"] = credentials.access_token
            params["shop_id"] = credentials.shop_id
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
        params["sign"] = signature
        response = self.request(
            "POST",
            (base or self.settings.base_url).rstrip("/") + path,
            params=params,
            data=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        return read_answer(response)
