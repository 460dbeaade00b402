"""Clearing abandoned checkouts (Saleor's thresholds): empty ones after 6 hours, a guest's after
30 days, a customer's after 90 days. A checkout holding a payment transaction is kept, so money
is never left without a checkout or order to match it."""

from datetime import timedelta

from celery import shared_task
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.checkout.models import Checkout, CheckoutLine

EMPTY_CHECKOUT_AGE = timedelta(hours=6)
GUEST_CHECKOUT_AGE = timedelta(days=30)
CUSTOMER_CHECKOUT_AGE = timedelta(days=90)


def expired_checkouts():
    from backend.payment.models import TransactionItem

    now = timezone.now()
    has_lines = Exists(CheckoutLine.objects.filter(checkout=OuterRef("pk")))
    has_payment = Exists(TransactionItem.objects.filter(checkout=OuterRef("pk")))
    return (
        Checkout.objects.annotate(has_lines=has_lines, has_payment=has_payment)
        .filter(has_payment=False, completing_started_at__isnull=True)
        .filter(
            Q(has_lines=False, last_change__lt=now - EMPTY_CHECKOUT_AGE)
            | Q(user__isnull=True, last_change__lt=now - GUEST_CHECKOUT_AGE)
            | Q(user__isnull=False, last_change__lt=now - CUSTOMER_CHECKOUT_AGE)
        )
    )


@shared_task
def delete_expired_checkouts() -> int:
    """Delete abandoned checkouts (their lines and stock holds go with them)."""
    deleted, _ = Checkout.objects.filter(
        pk__in=list(expired_checkouts().values_list("pk", flat=True))
    ).delete()
    return deleted
