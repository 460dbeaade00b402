"""Abandoned checkouts are cleared after Saleor's delays; paid-for ones are kept."""

import datetime

import pytest
from django.utils import timezone

from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.tasks import delete_expired_checkouts
from backend.payment.models import TransactionItem

pytestmark = pytest.mark.django_db


def _aged(checkout, **delta):
    Checkout.objects.filter(pk=checkout.pk).update(
        last_change=timezone.now() - datetime.timedelta(**delta)
    )


def test_expired_checkouts_are_deleted(channel_vn, variant, customer_user, checkout):
    empty = Checkout.objects.create(channel=channel_vn, currency="VND")
    _aged(empty, hours=7)
    fresh_empty = Checkout.objects.create(channel=channel_vn, currency="VND")
    _aged(fresh_empty, hours=5)
    _aged(checkout, days=31)  # guest with lines
    customers = Checkout.objects.create(channel=channel_vn, currency="VND", user=customer_user)
    CheckoutLine.objects.create(checkout=customers, variant=variant, quantity=1)
    _aged(customers, days=31)

    delete_expired_checkouts.delay()

    assert set(Checkout.objects.values_list("pk", flat=True)) == {fresh_empty.pk, customers.pk}
    _aged(customers, days=91)
    delete_expired_checkouts.delay()
    assert set(Checkout.objects.values_list("pk", flat=True)) == {fresh_empty.pk}


def test_checkout_with_a_payment_is_kept(checkout):
    TransactionItem.objects.create(checkout=checkout, currency="VND", name="COD")
    _aged(checkout, days=365)

    delete_expired_checkouts.delay()

    assert Checkout.objects.filter(pk=checkout.pk).exists()
