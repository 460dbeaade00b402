"""A checkout's promo code (voucher), the same for the shop's checkout form and the API's
checkoutAddPromoCode / checkoutRemovePromoCode."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.fetch import checkout_info
from backend.checkout.models import Checkout


def apply_promo_code(checkout: Checkout, code: str | None, user=None) -> None:
    """Use the voucher `code` names if it applies to the checkout now (for `user`'s per-customer
    limits); it replaces any code already there."""
    from backend.discount.services import validate_voucher_for_checkout

    code = (code or "").strip()
    if not code:
        raise ValidationError(
            {
                "promo_code": ValidationError(
                    _("Promo code is required."), code=CheckoutErrorCode.REQUIRED.value
                )
            }
        )
    voucher = validate_voucher_for_checkout(code, checkout_info(checkout), user=user)
    checkout.voucher_code = voucher.code
    checkout.save(update_fields=["voucher_code", "last_change"])


def remove_promo_code(checkout: Checkout, code: str | None) -> None:
    """Take `code` off the checkout (letter case aside); another code, or none, is left alone."""
    current = checkout.voucher_code or ""
    if code and current.lower() == code.strip().lower():
        checkout.voucher_code = None
        checkout.save(update_fields=["voucher_code", "last_change"])
