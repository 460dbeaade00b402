"""Promo codes at checkout: which voucher a code names and whether it applies."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from backend.checkout.calculations import checkout_subtotal
from backend.checkout.error_codes import CheckoutErrorCode
from backend.discount.models import DiscountValueType, Voucher


def active_voucher(code: str, channel) -> Voucher | None:
    """The voucher named `code` (case-insensitive) running now in `channel` and not used up."""
    voucher = Voucher.objects.running(channel).filter(code__iexact=code.strip()).first()
    return None if voucher is None or voucher.is_used_up else voucher


def _used_by_customer(voucher: Voucher, checkout, user) -> bool:
    from backend.order.models import Order, OrderStatus

    emails = {email for email in (checkout.email, getattr(user, "email", None)) if email}
    customer = Q(user_email__in=emails)
    if user is not None and user.is_authenticated:
        customer |= Q(user=user)
    return (
        Order.objects.filter(voucher=voucher)
        .filter(customer)
        .exclude(status=OrderStatus.CANCELED)
        .exists()
    )


def validate_voucher_for_checkout(code: str, info, user=None) -> Voucher:
    """The voucher for `code`, or INVALID (no such running voucher) / VOUCHER_NOT_APPLICABLE
    (the order is too small, another currency, or the customer used it already)."""
    checkout = info.checkout
    voucher = active_voucher(code, checkout.channel_id)
    if voucher is None:
        raise ValidationError(
            {
                "promo_code": ValidationError(
                    _("Promo code is invalid."), code=CheckoutErrorCode.INVALID.value
                )
            }
        )
    not_applicable = (
        (
            voucher.discount_value_type == DiscountValueType.FIXED
            and voucher.currency != checkout.currency
        )
        or checkout_subtotal(info) < voucher.minimum_spent_amount
        or (voucher.apply_once_per_customer and _used_by_customer(voucher, checkout, user))
    )
    if not_applicable:
        raise ValidationError(
            {
                "promo_code": ValidationError(
                    _("Voucher is not applicable to this checkout."),
                    code=CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value,
                )
            }
        )
    return voucher
