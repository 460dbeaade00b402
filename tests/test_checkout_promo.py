"""Promo codes (vouchers) at checkout: fixed and percentage discounts, minimum spend, dates,
usage limits and once-per-customer vouchers."""

import datetime

import pytest
from django.utils import timezone

from backend.core.ids import global_id
from backend.discount.models import DiscountValueType, Voucher
from backend.order.models import Order
from tests.test_checkout_flow import CHECKOUT_FIELDS, COMPLETE, ERRORS, run

pytestmark = pytest.mark.django_db

ADD = f"""
mutation Add($id: ID, $code: String!) {{
  checkoutAddPromoCode(id: $id, promoCode: $code) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}
"""
REMOVE = f"""
mutation Remove($id: ID, $code: String, $codeId: ID) {{
  checkoutRemovePromoCode(id: $id, promoCode: $code, promoCodeId: $codeId) {{
    checkout {{ {CHECKOUT_FIELDS} }} {ERRORS}
  }}
}}
"""


@pytest.fixture
def voucher(channel_vn):
    voucher = Voucher.objects.create(code="TET2026", name="Tết", value=20_000, currency="VND")
    voucher.channels.add(channel_vn)
    return voucher


def add(api_client, checkout, code):
    return run(
        api_client,
        ADD,
        {"id": global_id("Checkout", checkout.pk), "code": code},
        "checkoutAddPromoCode",
    )


def codes(result):
    return [(e["field"], e["code"]) for e in result["errors"]]


def test_fixed_voucher_takes_its_amount_off(api_client, checkout, voucher):
    result = add(api_client, checkout, "tet2026")

    data = result["checkout"]
    assert result["errors"] == []
    assert data["voucherCode"] == "TET2026"
    assert data["discount"]["amount"] == 20_000
    assert data["totalPrice"]["gross"]["amount"] == 250_000 - 20_000 + 30_000


def test_percentage_voucher_and_completion_counts_a_use(api_client, checkout, voucher):
    voucher.discount_value_type = DiscountValueType.PERCENTAGE
    voucher.value = 10
    voucher.save()

    data = add(api_client, checkout, "TET2026")["checkout"]
    assert data["discount"]["amount"] == 25_000
    completed = run(
        api_client, COMPLETE, {"id": global_id("Checkout", checkout.pk)}, "checkoutComplete"
    )

    assert completed["errors"] == []
    assert completed["order"]["total"]["gross"]["amount"] == 250_000 - 25_000 + 30_000
    voucher.refresh_from_db()
    assert voucher.used == 1
    assert Order.objects.get().voucher == voucher


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"minimum_spent_amount": 300_000}, "VOUCHER_NOT_APPLICABLE"),
        ({"end_date": timezone.now() - datetime.timedelta(days=1)}, "INVALID"),
        ({"start_date": timezone.now() + datetime.timedelta(days=1)}, "INVALID"),
        ({"usage_limit": 5, "used": 5}, "INVALID"),
    ],
)
def test_voucher_that_does_not_apply(api_client, checkout, voucher, change, expected):
    Voucher.objects.filter(pk=voucher.pk).update(**change)

    result = add(api_client, checkout, "TET2026")

    assert codes(result) == [("promoCode", expected)]
    checkout.refresh_from_db()
    assert checkout.voucher_code is None


def test_unknown_code_and_other_channel(api_client, checkout, voucher, channel_intl):
    assert codes(add(api_client, checkout, "KHONGCO")) == [("promoCode", "INVALID")]
    assert codes(add(api_client, checkout, "  ")) == [("promoCode", "REQUIRED")]
    voucher.channels.set([channel_intl])
    assert codes(add(api_client, checkout, "TET2026")) == [("promoCode", "INVALID")]


def test_once_per_customer(api_client, checkout, voucher, channel_vn, variant):
    from backend.checkout.models import Checkout, CheckoutLine

    voucher.apply_once_per_customer = True
    voucher.save()
    add(api_client, checkout, "TET2026")
    run(api_client, COMPLETE, {"id": global_id("Checkout", checkout.pk)}, "checkoutComplete")
    again = Checkout.objects.create(
        channel=channel_vn, currency="VND", email="khach.le@example.com"
    )
    CheckoutLine.objects.create(checkout=again, variant=variant, quantity=1)

    assert codes(add(api_client, again, "TET2026")) == [("promoCode", "VOUCHER_NOT_APPLICABLE")]


def test_remove_promo_code_by_code_or_id(api_client, checkout, voucher):
    checkout_id = global_id("Checkout", checkout.pk)
    add(api_client, checkout, "TET2026")

    removed = run(
        api_client, REMOVE, {"id": checkout_id, "code": "tet2026"}, "checkoutRemovePromoCode"
    )
    assert removed["checkout"]["voucherCode"] is None
    assert removed["checkout"]["discount"]["amount"] == 0

    add(api_client, checkout, "TET2026")
    removed = run(
        api_client,
        REMOVE,
        {"id": checkout_id, "codeId": global_id("Voucher", voucher.pk)},
        "checkoutRemovePromoCode",
    )
    assert removed["checkout"]["voucherCode"] is None
    missing = run(api_client, REMOVE, {"id": checkout_id}, "checkoutRemovePromoCode")
    assert codes(missing) == [("promoCode", "REQUIRED")]


def _complete(api_client, checkout):
    return run(api_client, COMPLETE, {"id": global_id("Checkout", checkout.pk)}, "checkoutComplete")


@pytest.mark.parametrize("usage_limit", [1, 2])
def test_the_last_allowed_use_of_a_limited_voucher_keeps_its_discount(
    api_client, checkout, voucher, channel_vn, variant, vn_address, usage_limit
):
    """Each use up to the limit, the last one included, is placed at the price shown."""
    from backend.account.models import Address
    from backend.checkout.models import Checkout, CheckoutLine
    from tests.fixtures.checkout import VN_ADDRESS

    Voucher.objects.filter(pk=voucher.pk).update(value=10_000, usage_limit=usage_limit)
    checkouts = [checkout] + [
        Checkout.objects.create(
            channel=channel_vn,
            currency="VND",
            email=f"khach{index}@example.com",
            shipping_address=Address.objects.create(**VN_ADDRESS),
            billing_address=Address.objects.create(**VN_ADDRESS),
            shipping_method=checkout.shipping_method,
        )
        for index in range(usage_limit - 1)
    ]
    for other in checkouts[1:]:
        CheckoutLine.objects.create(checkout=other, variant=variant, quantity=2)

    for other in checkouts:
        shown = add(api_client, other, "TET2026")["checkout"]["totalPrice"]["gross"]["amount"]
        assert shown == 250_000 - 10_000 + 30_000
    totals = [
        _complete(api_client, other)["order"]["total"]["gross"]["amount"] for other in checkouts
    ]

    assert totals == [250_000 - 10_000 + 30_000] * usage_limit
    assert sorted(Order.objects.values_list("discount_amount", flat=True)) == [10_000] * usage_limit
    voucher.refresh_from_db()
    assert voucher.used == usage_limit


def test_a_voucher_used_up_after_it_was_entered_fails_completion_and_changes_nothing(
    api_client, checkout, voucher
):
    from backend.warehouse.models import Stock

    Voucher.objects.filter(pk=voucher.pk).update(usage_limit=1)
    add(api_client, checkout, "TET2026")
    Voucher.objects.filter(pk=voucher.pk).update(used=1)  # someone else took the last use

    result = _complete(api_client, checkout)

    assert result["order"] is None
    assert codes(result) == [("promoCode", "VOUCHER_NOT_APPLICABLE")]
    assert not Order.objects.exists()
    voucher.refresh_from_db()
    assert voucher.used == 1
    assert sum(Stock.objects.values_list("quantity_allocated", flat=True)) == 0
    checkout.refresh_from_db()
    assert checkout.voucher_code == "TET2026"
