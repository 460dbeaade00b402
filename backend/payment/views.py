"""Callbacks from payment providers. Each one verifies the provider's signature, checks the amount
against what the buyer was asked to pay, and records its event at most once (a replayed callback
changes nothing). A checkout that VNPay's IPN or Stripe's webhook reports paid in full becomes
an order right away (`complete_paid_checkout`), so the buyer gets it even if they never
come back; goods gone meanwhile have the payment given back."""

import hmac
import json
import logging
import uuid

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from backend.checkout.complete_checkout import complete_paid_checkout
from backend.payment import gateways, returns, services
from backend.payment.gateways import vietqr, vnpay
from backend.payment.models import TransactionEvent, TransactionEventType, TransactionItem

logger = logging.getLogger(__name__)
T = TransactionEventType


# --- VietQR bank transfer webhook (payOS style) -------------------------------------------------


def _transfer_amount(value) -> int:
    """A transfer's amount in whole dong (an integer or a string of digits); anything else, such
    as 12.5 or "1e6", raises ValueError rather than being rounded into a match."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    raise ValueError(f"not an amount in dong: {value!r}")


@csrf_exempt
@require_POST
def bank_transfer_webhook(request):
    """`{"data": {...transfer...}, "signature": hmac_sha256(sorted data)}`; the transfer message
    (`description`) carries the payment code shown under the QR."""
    secret = settings.BANK_TRANSFER_WEBHOOK_SECRET
    if not secret:
        return JsonResponse({"success": False, "error": "not configured"}, status=503)
    try:
        body = json.loads(request.body)
        data = body["data"]
        signature = str(body["signature"])
        amount = _transfer_amount(data["amount"])
        reference = str(data["reference"])
        if not isinstance(data, dict) or not reference:
            raise ValueError("no transfer reference")
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"success": False, "error": "malformed payload"}, status=400)
    if not hmac.compare_digest(
        signature.lower().encode(), vietqr.webhook_signature(data, secret).encode()
    ):
        return JsonResponse({"success": False, "error": "invalid signature"}, status=401)
    code = vietqr.find_payment_code(str(data.get("description", "")))
    found = TransactionItem.objects.filter(gateway=gateways.VIETQR, psp_reference=code).first()
    if code is None or found is None:
        # Not a payment of ours (any transfer to the account is reported): acknowledge it.
        return JsonResponse({"success": True, "message": "ignored"})
    with transaction.atomic():
        tx = services.lock_transaction(found.pk)
        if TransactionEvent.objects.filter(
            transaction=tx, type=T.CHARGE_SUCCESS, psp_reference=reference
        ).exists():
            return JsonResponse({"success": True, "message": "already recorded"})
        if amount != tx.amount_charge_pending or data.get("currency", "VND") != tx.currency:
            services.record_event(
                tx,
                T.INFO,
                amount,
                psp_reference=reference,
                message=f"Transfer of {amount} does not match the {tx.amount_charge_pending} due.",
                raw=data,
            )
            return JsonResponse({"success": False, "error": "amount mismatch"}, status=400)
        services.record_event(
            tx, T.CHARGE_SUCCESS, amount, psp_reference=reference, message="Bank transfer", raw=data
        )
    return JsonResponse({"success": True})


# --- VNPay --------------------------------------------------------------------------------------


def _vnpay_transaction(params) -> TransactionItem | None:
    try:
        pk = uuid.UUID(hex=str(params.get("vnp_TxnRef", "")))
    except ValueError:
        return None
    return TransactionItem.objects.filter(gateway=gateways.VNPAY, pk=pk).first()


@csrf_exempt
@require_GET
def vnpay_ipn(request):
    """VNPay's server-to-server notification, answered with its documented RspCode JSON."""
    params = request.GET.dict()
    if not vnpay.verify(params, settings.VNPAY_HASH_SECRET):
        return JsonResponse(vnpay.IPN_INVALID_SIGNATURE)
    found = _vnpay_transaction(params)
    if found is None:
        return JsonResponse(vnpay.IPN_ORDER_NOT_FOUND)
    try:
        with transaction.atomic():
            answer = _record_vnpay_result(found.pk, params)
    except Exception:
        logger.exception("VNPay IPN failed")
        return JsonResponse(vnpay.IPN_UNKNOWN_ERROR)
    if answer in (vnpay.IPN_SUCCESS, vnpay.IPN_ALREADY_CONFIRMED):
        # A replay also retries a completion that did not happen the first time.
        _complete_paid_checkout(found.pk)
    return JsonResponse(answer)


def _record_vnpay_result(transaction_id, params) -> dict:
    tx = services.lock_transaction(transaction_id)
    requested = services.requested_amount(tx)
    if str(params.get("vnp_Amount")) != str(requested * 100):
        return vnpay.IPN_INVALID_AMOUNT
    if tx.events.filter(type__in=(T.CHARGE_SUCCESS, T.CHARGE_FAILURE)).exists():
        return vnpay.IPN_ALREADY_CONFIRMED
    _succeeded, event_type = vnpay.result_from_params(params)
    services.record_event(
        tx,
        event_type,
        requested,
        psp_reference=params.get("vnp_TransactionNo") or params["vnp_TxnRef"],
        message=f"VNPay response {params.get('vnp_ResponseCode')}",
        raw=params,
    )
    return vnpay.IPN_SUCCESS


def _complete_paid_checkout(transaction_id) -> None:
    """After the payment is recorded (and committed): the provider has its answer whatever
    happens to the order. Nothing happens unless the checkout is paid in full."""
    try:
        complete_paid_checkout(transaction_id)
    except Exception:
        logger.exception("Completing the checkout paid by transaction %s failed", transaction_id)


@require_GET
def vnpay_return(request):
    """Where VNPay sends the buyer back. Only the IPN proves payment; this page reports it."""
    params = request.GET.dict()
    if not vnpay.verify(params, settings.VNPAY_HASH_SECRET):
        return _result_page(_("The payment result could not be verified."), status=400)
    tx = _vnpay_transaction(params)
    if tx is None or str(params.get("vnp_Amount")) != str(services.requested_amount(tx) * 100):
        return _result_page(_("The payment result could not be verified."), status=400)
    if tx.order_id:
        order = tx.order
        return _result_page(
            _("Thank you, your payment was received and your order #%(number)s is placed.")
            % {"number": order.number},
            link=(reverse("storefront:order", args=[order.token]), _("View your order")),
        )
    returned = returns.returned_message(tx)
    if returned:
        return _result_page(returned)
    if tx.amount_charged:
        return _result_page(_("Thank you, your payment was received."))
    if vnpay.result_from_params(params)[0]:
        return _result_page(_("Your payment is being confirmed."))
    return _result_page(_("The payment was not completed."))


def _result_page(message: str, status: int = 200, link=None) -> HttpResponse:
    href, label = link or ("/", _("Back to the shop"))
    return HttpResponse(
        format_html(
            '<!doctype html><html><body><main><p>{}</p><a href="{}">{}</a></main></body></html>',
            message,
            href,
            label,
        ),
        status=status,
    )


# --- Stripe -------------------------------------------------------------------------------------

STRIPE_EVENTS = {
    "payment_intent.succeeded": T.CHARGE_SUCCESS,
    "payment_intent.amount_capturable_updated": T.AUTHORIZATION_SUCCESS,
    "payment_intent.payment_failed": T.CHARGE_FAILURE,
    "payment_intent.canceled": T.CANCEL_SUCCESS,
}


def _whole_number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _stripe_intent(event) -> dict | None:
    """The PaymentIntent a `payment_intent.*` event carries, when it has the fields we check."""
    data = event.get("data")
    intent = data.get("object") if isinstance(data, dict) else None
    if not isinstance(intent, dict) or not isinstance(intent.get("id"), str):
        return None
    if _whole_number(intent.get("amount")) is None:
        return None
    if not isinstance(intent.get("currency"), str) or not isinstance(event.get("id"), str):
        return None
    return intent


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe events, verified with the endpoint secret (Stripe-Signature header). Events we do
    not act on are acknowledged (200) so Stripe stops sending them; a signed event missing the
    fields we check is refused with 400."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return JsonResponse({"error": "not configured"}, status=503)
    header = request.headers.get("Stripe-Signature", "")
    try:
        if not header.isascii():
            # stripe compares signatures as str, which fails on non-ASCII text.
            raise stripe.SignatureVerificationError("non-ASCII signature", header)
        payload = request.body.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            payload, header, secret, stripe.Webhook.DEFAULT_TOLERANCE
        )
    except (UnicodeDecodeError, stripe.SignatureVerificationError):
        return JsonResponse({"error": "invalid signature"}, status=400)
    try:
        event = json.loads(payload)
    except ValueError:
        return JsonResponse({"error": "malformed event"}, status=400)
    if not isinstance(event, dict):
        return JsonResponse({"error": "malformed event"}, status=400)
    event_type = STRIPE_EVENTS.get(event.get("type"))
    if event_type is None:
        return JsonResponse({"received": True, "ignored": "event type"})
    intent = _stripe_intent(event)
    if intent is None:
        return JsonResponse({"error": "malformed event"}, status=400)
    found = TransactionItem.objects.filter(
        gateway=gateways.STRIPE, psp_reference=intent["id"]
    ).first()
    if found is None:
        return JsonResponse({"received": True, "ignored": "unknown payment"})
    with transaction.atomic():
        tx = services.lock_transaction(found.pk)
        requested = services.requested_amount(tx)
        if intent["amount"] != requested or intent["currency"] != tx.currency.lower():
            return JsonResponse({"error": "amount mismatch"}, status=400)
        amount, psp_reference = requested, intent["id"]
        if event_type == T.CHARGE_SUCCESS:
            amount = _whole_number(intent.get("amount_received")) or requested
        elif event_type == T.AUTHORIZATION_SUCCESS:
            amount = _whole_number(intent.get("amount_capturable")) or requested
        elif event_type == T.CHARGE_FAILURE:
            # Every failed attempt is its own event; the event id makes a replay a no-op.
            psp_reference = f"{intent['id']}:{event['id']}"
            if T.AUTHORIZATION_ACTION_REQUIRED in tx.events.values_list("type", flat=True):
                event_type = T.AUTHORIZATION_FAILURE
        if event_type == T.CHARGE_SUCCESS and amount != requested:
            return JsonResponse({"error": "amount mismatch"}, status=400)
        last_error = intent.get("last_payment_error")
        error = last_error.get("message") if isinstance(last_error, dict) else ""
        services.record_event(
            tx,
            event_type,
            amount,
            psp_reference=psp_reference,
            message=str(error or f"Stripe {event['type']}"),
            raw={"event": event["id"], "type": event["type"], "intent": intent["id"]},
        )
    if event_type in (T.CHARGE_SUCCESS, T.AUTHORIZATION_SUCCESS):
        _complete_paid_checkout(found.pk)
    return JsonResponse({"received": True})
