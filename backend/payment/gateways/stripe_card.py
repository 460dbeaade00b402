"""Stripe card payments for the international channel, through PaymentIntents.

The gateway speaks as Saleor's Stripe app (id `saleor.app.payment.stripe`), so Saleor's own
storefront renders its Stripe component for it:

- `paymentGatewayInitialize` data: `{"stripePublishableKey": "pk_..."}`;
- `transactionInitialize` takes `data: {"paymentIntent": {"paymentMethod": "card"}}` (or another
  method the app accepts: klarna, google_pay, apple_pay, paypal, us_bank_account, sepa_debit,
  link), creates the intent (with an idempotency key derived from the client's, so a retried call
  never creates a second intent) and returns `{"paymentIntent": {"stripeClientSecret": "pi_..."}}`
  with a CHARGE_ACTION_REQUIRED (or AUTHORIZATION_ACTION_REQUIRED) event. Other `data` gives a
  CHARGE_FAILURE event and `{"paymentIntent": {"errors": [{"code": "ParseError" |
  "UnsupportedPaymentMethodError", "message": ...}]}}`, as the app answers;
- the storefront confirms the intent with Stripe.js (`confirmPayment` with the client secret);
  the signed webhook (`payment_intent.*`, verified with the endpoint secret) or
  `transactionProcess` (which retrieves the intent) records the outcome, then `checkoutComplete`
  (the webhook places a fully paid checkout's order itself; `checkoutComplete` then answers with
  it). Should the goods be gone at completion, the charge is refunded or the authorization
  cancelled (backend.payment.holds).

`transactionProcess` returns no `data`, as the app does. Beyond the app, `transactionProcess` with
`data: {"paymentMethod": "pm_..."}` confirms the intent server-side (for API clients without
Stripe.js); a declined card then gives a CHARGE_FAILURE event and `{"paymentIntent": {"errors":
[{"code": "StripeCardError", "message": ...}]}}`, the app's failure shape.
"""

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backend.payment.gateways.base import GatewayError, GatewayResult, PaymentGateway
from backend.payment.models import TransactionEventType

T = TransactionEventType
# The payment methods Saleor's Stripe app accepts in `data.paymentIntent.paymentMethod`.
PAYMENT_METHODS = (
    "card",
    "klarna",
    "google_pay",
    "apple_pay",
    "paypal",
    "us_bank_account",
    "sepa_debit",
    "link",
)


def stripe_client() -> stripe.StripeClient:
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base_addresses,
        max_network_retries=2,
    )


def idempotency_key(transaction) -> str:
    return f"ocop-transaction-{transaction.gateway}-{transaction.idempotency_key or transaction.pk}"


def result_for_intent(intent, *, authorize: bool) -> GatewayResult:
    """The event a PaymentIntent's status stands for."""
    status = intent["status"]
    amount = intent["amount"]
    if status == "succeeded":
        event_type, amount = T.CHARGE_SUCCESS, intent.get("amount_received") or amount
    elif status == "requires_capture":
        event_type = T.AUTHORIZATION_SUCCESS
        amount = intent.get("amount_capturable") or amount
    elif status == "canceled":
        event_type = T.CANCEL_SUCCESS
    elif status == "processing":
        event_type = T.AUTHORIZATION_REQUEST if authorize else T.CHARGE_REQUEST
    else:
        event_type = T.AUTHORIZATION_ACTION_REQUIRED if authorize else T.CHARGE_ACTION_REQUIRED
    return GatewayResult(
        event_type=event_type,
        amount=amount,
        psp_reference=intent["id"],
        message=str(_("Stripe payment status: %(status)s") % {"status": status}),
        raw={"id": intent["id"], "status": status, "amount": intent["amount"]},
    )


class StripeGateway(PaymentGateway):
    id = "saleor.app.payment.stripe"
    name = _("Card (Stripe)")
    currencies = ("USD", "EUR", "GBP", "JPY", "AUD", "SGD")

    def is_configured(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)

    def config(self):
        return [("api_key", settings.STRIPE_PUBLISHABLE_KEY)]

    def initialize_gateway(self, *, channel, amount, data):
        return {"stripePublishableKey": settings.STRIPE_PUBLISHABLE_KEY}

    def initialize_transaction(self, transaction, *, action, amount, data, customer_ip):
        authorize = action == "AUTHORIZATION"
        refused = _refused_initialize_data(data, amount=amount, authorize=authorize)
        if refused is not None:
            return refused
        params = {
            "amount": amount,
            "currency": transaction.currency.lower(),
            "capture_method": "manual" if authorize else "automatic",
            "automatic_payment_methods": {"enabled": True},
            # Only values that stay the same when the client retries with its idempotency key
            # (Stripe refuses a reused key with other parameters).
            "metadata": {
                "idempotency_key": transaction.idempotency_key or "",
                "checkout_token": str(transaction.checkout_id or ""),
                "order_id": str(transaction.order_id or ""),
            },
        }
        try:
            intent = (
                stripe_client()
                .v1.payment_intents.create(
                    params=params, options={"idempotency_key": idempotency_key(transaction)}
                )
                .to_dict()
            )
        except stripe.StripeError as error:
            raise GatewayError(_stripe_message(error)) from error
        if intent["amount"] != amount or intent["currency"] != transaction.currency.lower():
            raise GatewayError(str(_("Stripe returned a payment for a different amount.")))
        result = result_for_intent(intent, authorize=authorize)
        result.data = {"paymentIntent": {"stripeClientSecret": intent["client_secret"]}}
        return result

    def process_transaction(self, transaction, *, data, customer_ip):
        """Retrieve the intent; with `data.paymentMethod`, confirm it server-side first."""
        if not transaction.psp_reference:
            return None
        authorize = T.AUTHORIZATION_ACTION_REQUIRED in {e.type for e in transaction.events.all()}
        client = stripe_client().v1.payment_intents
        payment_method = (data or {}).get("paymentMethod")
        try:
            intent = client.retrieve(transaction.psp_reference).to_dict()
            if payment_method and intent["status"] in (
                "requires_payment_method",
                "requires_confirmation",
            ):
                intent = client.confirm(
                    transaction.psp_reference, params={"payment_method": payment_method}
                ).to_dict()
        except stripe.CardError as error:
            body = (error.json_body or {}).get("error", {})
            return GatewayResult(
                event_type=T.AUTHORIZATION_FAILURE if authorize else T.CHARGE_FAILURE,
                amount=0,
                psp_reference=f"{transaction.psp_reference}:{error.request_id or ''}",
                message=_stripe_message(error),
                raw={"error": {k: body.get(k) for k in ("code", "decline_code", "message")}},
                data={
                    "paymentIntent": {
                        "errors": [{"code": "StripeCardError", "message": _stripe_message(error)}]
                    }
                },
            )
        except stripe.StripeError as error:
            raise GatewayError(_stripe_message(error)) from error
        return result_for_intent(intent, authorize=authorize)

    def refund_transaction(self, transaction, *, amount):
        """A Refund of the intent's charge; the idempotency key makes a retry the same refund."""
        params = {
            "payment_intent": transaction.psp_reference,
            "amount": amount,
            "metadata": {"checkout_token": str(transaction.checkout_id or "")},
        }
        try:
            refund = (
                stripe_client()
                .v1.refunds.create(
                    params=params,
                    options={"idempotency_key": f"{idempotency_key(transaction)}-refund-{amount}"},
                )
                .to_dict()
            )
        except stripe.StripeError as error:
            raise GatewayError(_stripe_message(error, refund=True)) from error
        if refund["status"] in ("failed", "canceled") or refund["amount"] != amount:
            raise GatewayError(str(_("Stripe did not refund the payment.")))
        return GatewayResult(
            event_type=T.REFUND_SUCCESS,
            amount=amount,
            psp_reference=refund["id"],
            message=str(_("Refunded through Stripe (%(status)s).") % {"status": refund["status"]}),
            raw={"id": refund["id"], "status": refund["status"], "amount": refund["amount"]},
        )

    def cancel_transaction(self, transaction, *, amount):
        """Cancel the intent: its authorization is released (the card is not charged)."""
        try:
            intent = (
                stripe_client()
                .v1.payment_intents.cancel(
                    transaction.psp_reference,
                    options={"idempotency_key": f"{idempotency_key(transaction)}-cancel"},
                )
                .to_dict()
            )
        except stripe.StripeError as error:
            raise GatewayError(_stripe_message(error, refund=True)) from error
        if intent["status"] != "canceled":
            raise GatewayError(str(_("Stripe did not release the payment.")))
        result = result_for_intent(intent, authorize=True)
        result.amount = amount
        return result


def _refused_initialize_data(data, *, amount: int, authorize: bool) -> GatewayResult | None:
    """The failure Saleor's Stripe app answers when `data` is not
    `{"paymentIntent": {"paymentMethod": <a method it accepts>}}`; None when it is."""
    intent = data.get("paymentIntent") if isinstance(data, dict) else None
    method = intent.get("paymentMethod") if isinstance(intent, dict) else None
    if set(data or {}) == {"paymentIntent"} and set(intent or {}) == {"paymentMethod"}:
        if method in PAYMENT_METHODS:
            return None
        code = "UnsupportedPaymentMethodError"
        message = f'Payment method "{method}" is not supported. Contact Saleor for assistance.'
    else:
        code = "ParseError"
        message = (
            "Provided data is invalid. Check your data argument to "
            "transactionInitializeSession mutation and try again."
        )
    return GatewayResult(
        event_type=T.AUTHORIZATION_FAILURE if authorize else T.CHARGE_FAILURE,
        amount=amount,
        message=message,
        data={"paymentIntent": {"errors": [{"code": code, "message": message}]}},
    )


def _stripe_message(error: stripe.StripeError, *, refund: bool = False) -> str:
    if isinstance(error, stripe.RateLimitError):
        return str(_("The card processor is busy; try again in a moment."))
    if isinstance(error, stripe.APIConnectionError):
        return str(_("The card processor could not be reached; try again."))
    if isinstance(error, stripe.CardError):
        return error.user_message or str(_("The card was declined."))
    if refund:
        return str(_("Stripe refused to give the payment back: %(reason)s")) % {
            "reason": error.user_message or getattr(error, "code", "") or ""
        }
    return str(_("The card payment could not be started."))
