"""The signature apps check on each delivery: hex HMAC-SHA256 of the raw body with the
webhook's secret key, sent in `Saleor-Signature` (Saleor's HMAC scheme)."""

import hashlib
import hmac


def sign_payload(payload: bytes, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), payload, hashlib.sha256).hexdigest()
