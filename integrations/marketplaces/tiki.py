"""Tiki Open API (Vietnam) — stock pushes and token refresh. Partly verified: see
../shared/domain/marketplaces.md.

OAuth 2 bearer tokens, no request signature. Stock: `PUT /integration/v2.1/products/updateSkus`
`{skus:[{original_sku, warehouse_quantities:[{warehouse_id, qty_available}]}]}`, absolute per
warehouse. The batch size is **unverified**: `batch_size` 50 is a setting to adjust once Tiki
confirms it, and so is the rate (Tiki publishes none). The per-item answer is unverified too: we
read `data[{original_sku, success, errors}]` and count an item the answer does not name as taken
when the call succeeded. Errors: `{"errors": [...]}` with the HTTP status — 401 asks for a
refresh (once), 429 and 5xx are worth retrying, any other 4xx is refused. Tokens:
`POST /sc/oauth2/token` (form) `grant_type=refresh_token, refresh_token, client_id,
client_secret`, answering OAuth 2's `{access_token, refresh_token, expires_in (relative s)}`.
"""

from integrations.marketplaces.base import (
    Credentials,
    MarketplaceAdapter,
    MarketplaceError,
    MarketplaceSettings,
    PushResult,
    StockPush,
)

API_HOST = "https://api.tiki.vn"
UPDATE_SKUS_PATH = "/integration/v2.1/products/updateSkus"
TOKEN_PATH = "/sc/oauth2/token"
REFRESH_TOKEN_DAYS = 30  # unverified: Tiki does not say; used only when the answer is silent


def default_settings(**overrides) -> MarketplaceSettings:
    values = {
        "base_url": API_HOST,
        "auth_url": API_HOST,
        "batch_size": 50,  # unverified
        "calls_per_second": 5.0,  # unverified
    }
    return MarketplaceSettings(**{**values, **overrides})


def error_from(response) -> MarketplaceError:
    """A refused call as our error, with Tiki's own messages."""
    status = response.status_code
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    messages = payload.get("errors") if isinstance(payload, dict) else None
    if isinstance(messages, list) and messages:
        message = "; ".join(
            str(m.get("message", m) if isinstance(m, dict) else m) for m in messages
        )
    elif isinstance(payload, dict) and payload.get("error"):  # OAuth 2 answers
        message = f"{payload['error']}: {payload.get('error_description', '')}".rstrip(": ")
    else:
        message = (response.text or response.reason or "")[:200]
    return MarketplaceError(
        str(status), message, retryable=status == 429 or status >= 500, auth=status == 401
    )


class TikiAdapter(MarketplaceAdapter):
    name = "tiki"

    def batches(self, pushes: list[StockPush]) -> list[list[StockPush]]:
        """At most `batch_size` SKUs a call, every warehouse of a SKU in the same call."""
        skus: dict[str, list[StockPush]] = {}
        for push in pushes:
            skus.setdefault(push.seller_sku or push.sku_id, []).append(push)
        groups, size = list(skus.values()), max(1, self.settings.batch_size)
        return [
            [push for group in groups[start : start + size] for push in group]
            for start in range(0, len(groups), size)
        ]

    def send_stock(self, batch: list[StockPush]) -> list[PushResult]:
        skus: dict[str, list[dict]] = {}
        for push in batch:
            quantity = {"warehouse_id": push.warehouse_id, "qty_available": max(0, push.quantity)}
            skus.setdefault(push.seller_sku or push.sku_id, []).append(quantity)
        body = {
            "skus": [
                {"original_sku": sku, "warehouse_quantities": quantities}
                for sku, quantities in skus.items()
            ]
        }
        response = self.request(
            "PUT",
            self.settings.base_url + UPDATE_SKUS_PATH,
            json=body,
            headers={"Authorization": f"Bearer {self.credentials.access_token}"},
        )
        if not 200 <= response.status_code < 300:
            raise error_from(response)
        try:
            items = response.json().get("data") or []
        except (ValueError, AttributeError):
            items = []
        refused = {
            str(item.get("original_sku")): "; ".join(map(str, item.get("errors") or [])) or "failed"
            for item in items
            if isinstance(item, dict) and item.get("success") is False
        }
        results = []
        for push in batch:
            message = refused.get(push.seller_sku or push.sku_id)
            if message is None:
                results.append(PushResult(push, True))
            else:
                results.append(PushResult(push, False, False, f"{response.status_code}: {message}"))
        return results

    def refresh_tokens(self) -> Credentials:
        credentials = self.credentials
        form = {
            "grant_type": "refresh_token",
            "refresh_token": credentials.refresh_token,
            "client_id": credentials.app_key,
            "client_secret": credentials.app_secret,
        }
        url = (self.settings.auth_url or self.settings.base_url) + TOKEN_PATH
        response = self.request("POST", url, data=form)
        if not 200 <= response.status_code < 300:
            error = error_from(response)
            # A refused refresh token does not get better by refreshing again.
            raise MarketplaceError(error.code, error.message, retryable=error.retryable)
        try:
            data = response.json()
            now = self.clock()
            return credentials.with_tokens(
                data["access_token"],
                data.get("refresh_token") or credentials.refresh_token,
                now + float(data["expires_in"]),
                now + float(data.get("refresh_expires_in") or REFRESH_TOKEN_DAYS * 86400),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            message = f"token refresh: {error}"
            raise MarketplaceError("bad_answer", message, retryable=True) from error
