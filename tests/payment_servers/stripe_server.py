"""A local Stripe API for PaymentIntents, following Stripe's published REST contract:

- form-encoded requests (`metadata[key]=value`), `Authorization: Bearer <secret key>`;
- `POST /v1/payment_intents` (create), `GET /v1/payment_intents/{id}` (retrieve),
  `POST /v1/payment_intents/{id}/confirm` (confirm, with the secret key or, as Stripe.js does in
  the buyer's browser, the publishable key plus the intent's `client_secret`);
- `Idempotency-Key`: the same key with the same parameters replays the first response
  (`Idempotent-Replayed: true`); with other parameters it is an `idempotency_error`;
- errors as `{"error": {"type", "code", "message", "param", "doc_url", ...}}` with Stripe's HTTP
  statuses (400, 401, 402 card_error, 404 resource_missing, 429 rate_limit);
- `POST /v1/payment_intents/{id}/cancel` (secret key): an intent not yet succeeded or canceled
  is canceled (an authorization is released), anything else is `payment_intent_unexpected_state`;
- `POST /v1/refunds` (secret key; `payment_intent`, optional `amount`, `reason`, `metadata`): a
  refund of a succeeded intent's charge, at most what is left (`amount_too_large`,
  `charge_already_refunded`); card refunds succeed at once;
- test payment methods `pm_card_visa` (succeeds) and `pm_card_chargeDeclined` (declined);
- events (`payment_intent.succeeded`, `.amount_capturable_updated`, `.payment_failed`,
  `.canceled`, `charge.refunded`) POSTed to
  the webhook endpoint with a `Stripe-Signature: t=...,v1=HMAC-SHA256(secret, "t.payload")`.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.payment_servers import LocalServer

API_VERSION = "2025-01-27.acacia"
MINIMUM_AMOUNT = {"usd": 50, "eur": 50, "gbp": 30, "jpy": 50}
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
CANCELLATION_REASONS = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def stripe_signature(payload: str, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def error_body(type_, message, *, code=None, param=None, **extra):
    error = {"type": type_, "message": message, **extra}
    if code:
        error["code"] = code
        error["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    if param:
        error["param"] = param
    return {"error": error}


def unflatten(pairs) -> dict:
    """`metadata[a]=1&automatic_payment_methods[enabled]=true` → nested dicts."""
    result = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


class StripeServer(LocalServer):
    def __init__(
        self,
        *,
        secret_key="sk_test_ocop",
        publishable_key="pk_test_ocop",
        webhook_secret="whsec_ocop",
        webhook_url=None,
        rate_limit=25,
    ):
        super().__init__()
        self.secret_key = secret_key
        self.publishable_key = publishable_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        # Requests per second per API key (Stripe's test-mode limit is 25).
        self.rate_limit = rate_limit
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.idempotent: dict[tuple, tuple] = {}
        self.requests: list[tuple[str, str]] = []
        self.events: list[dict] = []
        self.deliveries: list[tuple[str, int]] = []
        self._window: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._delivery_threads: list[threading.Thread] = []

    # --- helpers for tests ---------------------------------------------------------------------

    def wait_for_deliveries(self, timeout=10):
        for thread in list(self._delivery_threads):
            thread.join(timeout)

    def signed_event(self, event: dict, secret: str | None = None) -> tuple[str, str]:
        payload = json.dumps(event)
        return payload, stripe_signature(payload, secret or self.webhook_secret)

    # --- behaviour -----------------------------------------------------------------------------

    def _rate_limited(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            window = [t for t in self._window.get(key, []) if now - t < 1.0]
            limited = len(window) >= self.rate_limit
            if not limited:
                window.append(now)
            self._window[key] = window
        return limited

    def _event(self, type_: str, intent: dict) -> dict:
        event = {
            "id": _id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": json.loads(json.dumps(intent))},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": _id("req"), "idempotency_key": None},
            "type": type_,
        }
        self.events.append(event)
        if self.webhook_url:
            thread = threading.Thread(target=self._deliver, args=(event,), daemon=True)
            self._delivery_threads.append(thread)
            thread.start()
        return event

    def _deliver(self, event: dict):
        payload, signature = self.signed_event(event)
        request = urllib.request.Request(
            self.webhook_url,
            data=payload.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        self.deliveries.append((event["id"], status))

    def create_intent(self, params: dict) -> tuple[int, dict]:
        if "amount" not in params:
            return 400, error_body(
                "invalid_request_error",
                "Missing required param: amount.",
                code="parameter_missing",
                param="amount",
            )
        if "currency" not in params:
            return 400, error_body(
                "invalid_request_error",
                "Missing required param: currency.",
                code="parameter_missing",
                param="currency",
            )
        try:
            amount = int(params["amount"])
        except ValueError:
            return 400, error_body(
                "invalid_request_error",
                "Invalid integer: " + params["amount"],
                code="parameter_invalid_integer",
                param="amount",
            )
        currency = params["currency"].lower()
        if amount < MINIMUM_AMOUNT.get(currency, 1):
            return 400, error_body(
                "invalid_request_error",
                "Amount must be at least the minimum charge amount.",
                code="amount_too_small",
                param="amount",
            )
        intent_id = _id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": 0,
            "capture_method": params.get("capture_method", "automatic_async"),
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}",
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "currency": currency,
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "payment_method": None,
            "status": "requires_payment_method",
        }
        self.intents[intent_id] = intent
        return 200, intent

    def confirm_intent(self, intent: dict, params: dict) -> tuple[int, dict]:
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            return 400, error_body(
                "invalid_request_error",
                f"This PaymentIntent's status is {intent['status']}, so it cannot be confirmed.",
                code="payment_intent_unexpected_state",
                payment_intent=intent,
            )
        payment_method = params.get("payment_method")
        if not payment_method:
            return 400, error_body(
                "invalid_request_error",
                "You cannot confirm this PaymentIntent because it's missing a payment method.",
                code="payment_intent_unexpected_state",
                payment_intent=intent,
            )
        intent["payment_method"] = payment_method
        charge = _id("ch")
        intent["latest_charge"] = charge
        if payment_method in ("pm_card_chargeDeclined", "pm_card_visa_chargeDeclined"):
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "charge": charge,
            }
            self._event("payment_intent.payment_failed", intent)
            return 402, error_body(
                "card_error",
                "Your card was declined.",
                code="card_declined",
                decline_code="generic_decline",
                charge=charge,
                payment_intent=intent,
            )
        intent["last_payment_error"] = None
        if intent["capture_method"] == "manual":
            intent["status"] = "requires_capture"
            intent["amount_capturable"] = intent["amount"]
            self._event("payment_intent.amount_capturable_updated", intent)
        else:
            intent["status"] = "succeeded"
            intent["amount_received"] = intent["amount"]
            self._event("payment_intent.succeeded", intent)
        return 200, intent

    def cancel_intent(self, intent: dict, params: dict) -> tuple[int, dict]:
        reason = params.get("cancellation_reason")
        if reason is not None and reason not in CANCELLATION_REASONS:
            return 400, error_body(
                "invalid_request_error",
                f"Invalid cancellation_reason: must be one of {', '.join(CANCELLATION_REASONS)}",
                param="cancellation_reason",
            )
        if intent["status"] not in CANCELABLE:
            return 400, error_body(
                "invalid_request_error",
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{intent['status']}. Only a PaymentIntent with one of the following statuses "
                f"may be canceled: {', '.join(CANCELABLE)}.",
                code="payment_intent_unexpected_state",
                payment_intent=intent,
            )
        intent.update(
            status="canceled",
            amount_capturable=0,
            canceled_at=int(time.time()),
            cancellation_reason=reason,
        )
        self._event("payment_intent.canceled", intent)
        return 200, intent

    def create_refund(self, params: dict) -> tuple[int, dict]:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None:
            return 404, error_body(
                "invalid_request_error",
                f"No such payment_intent: '{params.get('payment_intent', '')}'",
                code="resource_missing",
                param="payment_intent",
            )
        reason = params.get("reason")
        if reason is not None and reason not in REFUND_REASONS:
            return 400, error_body(
                "invalid_request_error",
                f"Invalid reason: must be one of {', '.join(REFUND_REASONS)}",
                param="reason",
            )
        if intent["status"] != "succeeded":
            return 400, error_body(
                "invalid_request_error",
                f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
            )
        refunded = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        left = intent["amount_received"] - refunded
        if not left:
            return 400, error_body(
                "invalid_request_error",
                f"Charge {intent['latest_charge']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = int(params.get("amount", left))
        if amount > left:
            return 400, error_body(
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                code="amount_too_large",
                param="amount",
            )
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "charge": intent["latest_charge"],
            "created": int(time.time()),
            "currency": intent["currency"],
            "metadata": params.get("metadata", {}),
            "payment_intent": intent["id"],
            "reason": reason,
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        self._event(
            "charge.refunded",
            {
                "id": intent["latest_charge"],
                "object": "charge",
                "amount": intent["amount"],
                "amount_refunded": refunded + amount,
                "currency": intent["currency"],
                "payment_intent": intent["id"],
                "refunded": refunded + amount == intent["amount_received"],
            },
        )
        return 200, refund

    def handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, headers=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", _id("req"))
                self.send_header("Stripe-Version", API_VERSION)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _api_key(self):
                auth = self.headers.get("Authorization", "")
                return auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""

            def _handle(self, method):
                path = urlsplit(self.path).path
                server.requests.append((method, path))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else urlsplit(self.path).query
                pairs = parse_qsl(raw, keep_blank_values=True)
                params = unflatten(pairs)
                key = self._api_key()
                if key not in (server.secret_key, server.publishable_key):
                    return self._send(
                        401,
                        error_body(
                            "invalid_request_error",
                            f"Invalid API Key provided: {key[:8]}***",
                        ),
                    )
                if server._rate_limited(key):
                    return self._send(
                        429,
                        error_body(
                            "invalid_request_error",
                            "Request rate limit exceeded. Learn more about rate limits here "
                            "https://stripe.com/docs/rate-limits.",
                            code="rate_limit",
                        ),
                    )
                idempotency_key = self.headers.get("Idempotency-Key")
                if method == "POST" and idempotency_key:
                    scope = (key, idempotency_key)
                    fingerprint = (path, sorted(pairs))
                    with server._lock:
                        stored = server.idempotent.get(scope)
                    if stored is not None:
                        if stored[0] != fingerprint:
                            return self._send(
                                400,
                                error_body(
                                    "idempotency_error",
                                    "Keys for idempotent requests can only be used with the "
                                    "same parameters they were first used with. Try using a key "
                                    f"other than '{idempotency_key}' if you meant to execute a "
                                    "different request.",
                                ),
                            )
                        return self._send(stored[1], stored[2], {"Idempotent-Replayed": "true"})
                status, body = self._route(method, path, params, key)
                if method == "POST" and idempotency_key and status != 429:
                    with server._lock:
                        server.idempotent[(key, idempotency_key)] = (fingerprint, status, body)
                return self._send(status, body)

            def _route(self, method, path, params, key):
                parts = [p for p in path.split("/") if p]
                if parts == ["v1", "refunds"] and method == "POST":
                    if key != server.secret_key:
                        return 401, error_body(
                            "invalid_request_error",
                            "This API call cannot be made with a publishable API key.",
                        )
                    return server.create_refund(params)
                if parts[:2] != ["v1", "payment_intents"]:
                    return 404, error_body(
                        "invalid_request_error", f"Unrecognized request URL ({method}: {path})."
                    )
                if len(parts) == 2 and method == "POST":
                    if key != server.secret_key:
                        return 401, error_body(
                            "invalid_request_error",
                            "This API call cannot be made with a publishable API key.",
                        )
                    return server.create_intent(params)
                intent = server.intents.get(parts[2]) if len(parts) > 2 else None
                if intent is None:
                    return 404, error_body(
                        "invalid_request_error",
                        f"No such payment_intent: '{parts[2] if len(parts) > 2 else ''}'",
                        code="resource_missing",
                        param="intent",
                    )
                if (
                    key == server.publishable_key
                    and params.get("client_secret") != intent["client_secret"]
                ):
                    return 404, error_body(
                        "invalid_request_error",
                        f"No such payment_intent: '{intent['id']}'",
                        code="resource_missing",
                        param="intent",
                    )
                if len(parts) == 3 and method == "GET":
                    return 200, intent
                if len(parts) == 4 and parts[3] == "confirm" and method == "POST":
                    return server.confirm_intent(intent, params)
                if len(parts) == 4 and parts[3] == "cancel" and method == "POST":
                    if key != server.secret_key:
                        return 401, error_body(
                            "invalid_request_error",
                            "This API call cannot be made with a publishable API key.",
                        )
                    return server.cancel_intent(intent, params)
                return 404, error_body(
                    "invalid_request_error", f"Unrecognized request URL ({method}: {path})."
                )

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        return Handler
