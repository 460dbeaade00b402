"""Lazada Open Platform (Vietnam): stock pushes, token refresh and push-message checks.

Facts from ../shared/domain/marketplaces.md (Lazada's developer portal):

- every call carries the system parameters `app_key`, `timestamp` (epoch **milliseconds**),
  `sign_method=sha256`, `access_token` (seller calls) and `sign`; writes are POSTs whose
  parameters travel as form fields;
- **sign**: every parameter except `sign` (and files), sorted by name, appended as `k1v1k2v2…`
  to the API path (without `/rest`), plus the raw body when the body is JSON; HMAC-SHA256 keyed
  with the app secret, **upper-case** hex (`sign`);
- answers are `{code, type, message, request_id, data, detail}`, `code` `"0"` on success;
- stock: `POST /product/price_quantity/update`, form field `payload`, at most 50 SKUs a call,
  absolute quantities; 50 calls a second per seller;
- tokens: `POST /auth/token/refresh` on the auth host (signed the same way, no access token)
  answers `access_token`, `refresh_token`, `expires_in`, `refresh_expires_in` (seconds);
- push messages carry `Authorization` = hex HMAC-SHA256(app secret, app_key + raw body)
  (`verify_push`).
"""

import hashlib
import hmac
import json

from integrations.marketplaces.base import (
    MarketplaceAdapter,
    MarketplaceError,
    MarketplaceSettings,
    PushResult,
    StockPush,
)

STOCK_PATH = "/product/price_quantity/update"
REFRESH_PATH = "/auth/token/refresh"
MAX_SKUS_PER_CALL = 50  # more answers E204

LAZADA_VN = MarketplaceSettings(
    base_url="https://api.lazada.vn/rest",
    auth_url="https://auth.lazada.com/rest",
    batch_size=MAX_SKUS_PER_CALL,  # Lazada recommends 20; 50 is the most a call takes
    calls_per_second=50,  # inventory APIs, per seller
)

# What each of Lazada's codes means for us: (retryable, auth). A code not listed is a refusal
# that retrying will not change, unless the answer's `type` is SYSTEM (Lazada's own fault).
ERRORS = {
    "IncompleteSignature": (False, False),
    "IllegalAccessToken": (False, True),  # expired or revoked: refresh once, retry once
    "IllegalRefreshToken": (False, False),  # the seller must authorise the app again
    "ApiCallLimit": (True, False),  # throttled; the ban lasts about a second
    "E901": (True, False),  # too frequent
    "E501": (True, False),  # update failed
    "E204": (False, False),  # too many SKUs in one call
    "ServiceUnavailable": (True, False),
    "ServiceTimeout": (True, False),
}


def signing_string(api_path: str, params: dict, body: str = "") -> str:
    """`api_path` + `k1v1k2v2…` (parameters but `sign`, sorted by name) + a raw JSON body."""
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign")
    return f"{api_path}{pairs}{body}"


def sign(app_secret: str, api_path: str, params: dict, body: str = "") -> str:
    """Lazada's request signature: upper-case hex HMAC-SHA256 of `signing_string`."""
    message = signing_string(api_path, params, body).encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest().upper()


def verify_push(app_key: str, raw_body, authorization_header: str, app_secret: str) -> bool:
    """Whether a push message came from Lazada: its `Authorization` header is the hex
    HMAC-SHA256 (key = app secret) of the app key followed by the **raw** body, as received.
    Compared in constant time; hex case does not matter."""
    if not authorization_header:
        return False
    body = raw_body if isinstance(raw_body, bytes) else str(raw_body).encode()
    expected = hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), authorization_header.strip().lower().encode())


class LazadaError(MarketplaceError):
    pass


def error_from(answer: dict) -> LazadaError:
    code = str(answer.get("code") or "unknown")
    retryable, auth = ERRORS.get(code, (answer.get("type") == "SYSTEM", False))
    return LazadaError(code, str(answer.get("message") or ""), retryable=retryable, auth=auth)


class LazadaAdapter(MarketplaceAdapter):
    """One Lazada seller account. `credentials.app_key`/`app_secret` are the app's,
    `access_token`/`refresh_token` the seller's authorisation."""

    name = "lazada"

    def __init__(self, credentials, settings: MarketplaceSettings = LAZADA_VN, **kwargs):
        super().__init__(credentials, settings, **kwargs)

    # --- stock ---------------------------------------------------------------------------------
    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """SKUs of different products may share a call: plain slices of the batch size."""
        size = max(1, min(self.settings.batch_size, MAX_SKUS_PER_CALL))
        return [pushes[i : i + size] for i in range(0, len(pushes), size)]

    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        """One `/product/price_quantity/update` call with the batch's absolute quantities.

        The `payload` form field is JSON — `{"Request": {"Product": {"Skus": {"Sku": [...]}}}}`,
        the same tree as the XML Lazada documents first; its newer APIs take JSON too. A SKU
        with a `warehouse_id` is sent in the multi-warehouse form
        (`MultiWarehouseInventories.MultiWarehouseInventory[{WarehouseCode, Quantity}]`).

        Partial failure: Lazada lists the SKUs it refused in the answer's `detail`
        (`[{field, seller_sku, message}]`, here also an optional `code`), "when the call fails
        (all or part of the request)". The SKUs `detail` does not name took (our reading); an
        entry naming no SKU of the batch also fails every SKU not named. Retrying an item helps
        only when its own code is a retryable one; otherwise it is parked with Lazada's message."""
        skus = [self._sku(push) for push in batch]
        payload = json.dumps({"Request": {"Product": {"Skus": {"Sku": skus}}}})
        answer = self.call(STOCK_PATH, {"payload": payload}, partial=True)
        return self._results(batch, answer)

    @staticmethod
    def _sku(push: StockPush) -> dict:
        sku = {"ItemId": push.item_id, "SellerSku": push.seller_sku}
        if push.sku_id:
            sku["SkuId"] = push.sku_id
        quantity = max(0, int(push.quantity))  # Lazada refuses negative quantities
        if push.warehouse_id:
            sku["MultiWarehouseInventories"] = {
                "MultiWarehouseInventory": [
                    {"WarehouseCode": push.warehouse_id, "Quantity": quantity}
                ]
            }
        else:
            sku["Quantity"] = quantity
        return sku

    @staticmethod
    def _results(batch: list[StockPush], answer: dict) -> list[PushResult]:
        call_code = str(answer.get("code") or "0")
        failures: dict[str, tuple[bool, str]] = {}
        unattributed = None
        skus = {push.seller_sku for push in batch}
        for entry in answer.get("detail") or []:
            code = str(entry.get("code") or (call_code if call_code != "0" else ""))
            message = str(entry.get("message") or answer.get("message") or "")
            failure = (ERRORS.get(entry.get("code"), (False, False))[0], _text(code, message))
            if entry.get("seller_sku") in skus:
                failures[entry["seller_sku"]] = failure
            else:
                unattributed = unattributed or failure
        results = []
        for push in batch:
            failure = failures.get(push.seller_sku) or unattributed
            if failure:
                results.append(PushResult(push, False, failure[0], failure[1]))
            else:
                results.append(PushResult(push, True))
        return results

    # --- tokens --------------------------------------------------------------------------------
    def refresh_tokens(self):
        """`/auth/token/refresh` on the auth host. Refreshing does not extend the refresh
        token's life: `refresh_expires_in` counts what is left of it."""
        answer = self.call(
            REFRESH_PATH,
            {"refresh_token": self.credentials.refresh_token},
            base_url=self.settings.auth_url or self.settings.base_url,
            with_token=False,
        )
        if not answer.get("access_token"):
            raise LazadaError("IllegalRefreshToken", "no access token answered", retryable=False)
        now = self.clock()
        return self.credentials.with_tokens(
            answer["access_token"],
            answer.get("refresh_token") or self.credentials.refresh_token,
            now + float(answer.get("expires_in") or 0),
            now + float(answer.get("refresh_expires_in") or 0),
        )

    # --- the signed call -----------------------------------------------------------------------
    def call(
        self,
        api_path: str,
        params: dict,
        *,
        base_url: str = "",
        with_token: bool = True,
        partial: bool = False,
    ) -> dict:
        """POST `api_path` with the system parameters and `sign`; the answer when `code` is "0"
        (or, with `partial`, when `detail` names the items that failed), else a LazadaError."""
        signed = {
            "app_key": self.credentials.app_key,
            "timestamp": str(int(self.clock() * 1000)),
            "sign_method": "sha256",
            **params,
        }
        if with_token:
            signed["access_token"] = self.credentials.access_token
        signed["sign"] = sign(self.credentials.app_secret, api_path, signed)
        url = (base_url or self.settings.base_url) + api_path
        response = self.request("POST", url, data=signed)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            status = response.status_code
            retryable = status >= 500 or status == 429
            raise LazadaError(f"HTTP {status}", response.text[:200], retryable=retryable)
        if str(answer.get("code", "0")) == "0" or (partial and answer.get("detail")):
            return answer
        raise error_from(answer)


def _text(code: str, message: str) -> str:
    return f"{code}: {message}" if code else message
