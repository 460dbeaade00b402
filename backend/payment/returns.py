"""Money given back when a checkout's stock is gone at completion although the buyer paid.

No order is made: each payment is given back through its gateway (a charge refunded, an
authorization cancelled), recorded as transaction events, the checkout's holds are released and
the buyer is told — in the error (PaymentReturned), on VNPay's return page and by email.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction as db_transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.validation import insufficient_stock_error, with_params
from backend.payment import gateways
from backend.payment.models import TransactionEventType, TransactionItem
from backend.payment.services import record_event, record_result
from backend.warehouse.models import HolderKind, holder_key
from backend.warehouse.services import InsufficientStock, release_holds

logger = logging.getLogger(__name__)
T = TransactionEventType

# What became of the money of a checkout whose stock was gone (kept on its transactions under
# this private metadata key, for the return page).
OUTCOME_KEY = "stock_unavailable"
REFUNDED, RELEASED, NOT_RETURNED = "refunded", "released", "not_returned"
OUTCOME_MESSAGES = {
    REFUNDED: gettext_lazy(
        "Sorry, some items sold out while you were paying, so no order was placed. "
        "Your payment has been refunded in full."
    ),
    RELEASED: gettext_lazy(
        "Sorry, some items sold out while you were paying, so no order was placed. "
        "The amount held on your card has been released; you will not be charged."
    ),
    NOT_RETURNED: gettext_lazy(
        "Sorry, some items sold out while you were paying, so no order was placed. "
        "We could not return your payment automatically; our staff will refund it to you "
        "shortly."
    ),
}


class PaymentReturned(ValidationError):
    """The checkout could not become an order and its payment was given back (or could not
    be): callers report the error but keep what was recorded — the money has moved."""


def unavailable_stock_error(checkout_token, error: InsufficientStock) -> ValidationError:
    """The error for a checkout whose stock could not be allocated, after its order was undone.
    Money the buyer paid for it is given back first; the error is then a PaymentReturned that
    says so (the standard INSUFFICIENT_STOCK error when nothing was paid)."""
    with db_transaction.atomic():
        paid = list(
            TransactionItem.objects.select_for_update()
            .filter(checkout_id=checkout_token)
            .filter(Q(amount_charged__gt=0) | Q(amount_authorized__gt=0))
            .order_by("created_at", "pk")
        )
        if not paid:
            return insufficient_stock_error(error, field="lines")
        owed = sum(tx.amount_charged + tx.amount_authorized for tx in paid)
        outcomes = {give_back(tx) for tx in paid}
        outcome = next(o for o in (NOT_RETURNED, REFUNDED, RELEASED) if o in outcomes)
        returned = owed - sum(tx.amount_charged + tx.amount_authorized for tx in paid)
        release_holds(holder_key(HolderKind.CHECKOUT, checkout_token))
        db_transaction.on_commit(lambda: _email_buyer(checkout_token, outcome, returned))
    variants = [
        variant
        for item in insufficient_stock_error(error, field="lines").error_dict["lines"]
        for variant in item.params["variants"]
    ]
    return PaymentReturned(
        {
            "lines": with_params(
                str(OUTCOME_MESSAGES[outcome]),
                CheckoutErrorCode.INSUFFICIENT_STOCK.value,
                {"variants": variants},
            )
        }
    )


def give_back(tx: TransactionItem) -> str:
    """Cancel what `tx` has authorized and refund what it has charged, through its gateway,
    recording each outcome as an event. Returns REFUNDED, RELEASED or NOT_RETURNED."""
    gateway = gateways.get_gateway(tx.gateway)
    outcome = REFUNDED if tx.amount_charged else RELEASED
    steps = (
        (tx.amount_authorized, "cancel_transaction", T.CANCEL_FAILURE),
        (tx.amount_charged, "refund_transaction", T.REFUND_FAILURE),
    )
    for amount, method, failure in steps:
        if not amount:
            continue
        try:
            if gateway is None:
                raise gateways.GatewayError(_("The payment method is no longer available."))
            result = getattr(gateway, method)(tx, amount=amount)
        except gateways.GatewayError as error:
            logger.error("Could not give back %s of transaction %s: %s", amount, tx.pk, error)
            record_event(tx, failure, amount, message=error.message)
            outcome = NOT_RETURNED
        else:
            record_result(tx, result)
    tx.private_metadata = {**tx.private_metadata, OUTCOME_KEY: outcome}
    tx.save(update_fields=["private_metadata", "modified_at"])
    return outcome


def returned_message(tx: TransactionItem) -> str | None:
    """What the buyer is told about a payment given back for want of stock, if it was."""
    outcome = tx.private_metadata.get(OUTCOME_KEY)
    return str(OUTCOME_MESSAGES[outcome]) if outcome in OUTCOME_MESSAGES else None


def _email_buyer(checkout_token, outcome: str, returned: int) -> None:
    """Tell the buyer by email, in their language, what became of their money."""
    from backend.checkout.models import Checkout
    from backend.core.money import format_money
    from backend.order.emails import MONEY_LOCALES, email_language

    checkout = Checkout.objects.select_related("user").filter(pk=checkout_token).first()
    email = checkout and (checkout.email or (checkout.user.email if checkout.user else ""))
    if not email:
        return
    language = email_language(checkout)
    with translation.override(language):
        context = {
            "message": OUTCOME_MESSAGES[outcome],
            "amount": format_money(returned, checkout.currency, MONEY_LOCALES.get(language)),
            "returned": outcome != NOT_RETURNED,
            "shop_url": settings.PUBLIC_URL,
        }
        subject = render_to_string("payment/emails/stock_returned_subject.txt", context).strip()
        body = render_to_string("payment/emails/stock_returned.txt", context)
    try:
        send_mail(subject, body, None, [email])
    except OSError:
        # What became of the money is on record (the transaction's events); a lost email must
        # not turn the caller's answer into a server error.
        logger.exception("Could not email %s about their returned payment", email)
