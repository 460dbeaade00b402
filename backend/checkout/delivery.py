"""Choosing how a checkout is delivered — a shipping method or a pick-up point — the same for
the shop's checkout form and the API's checkoutDeliveryMethodUpdate.

Neither the shop nor the API chooses for the buyer: the API leaves the delivery unset until the
storefront sets it, and the shop's form only preselects the cheapest shipping method on screen
(never a pick-up point); what is saved is what the buyer submits, through `set_delivery`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.checkout.calculations import is_shipping_required
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.fetch import checkout_info
from backend.checkout.lines import reserve_checkout_stock
from backend.checkout.models import Checkout

FIELD = "delivery_method_id"


def _refuse(message: str, code: CheckoutErrorCode) -> ValidationError:
    return ValidationError({FIELD: ValidationError(message, code=code.value)})


def set_delivery(checkout: Checkout, *, shipping_method=None, collection_point=None) -> None:
    """Choose one delivery, or none (both None clears the choice): a shipping method that
    serves the checkout's address, weight and value, or a pick-up point that has the goods.
    Refused when nothing in the checkout needs shipping. The stock is then held where the goods
    will come from."""
    from backend.shipping.services import (
        collection_point_is_applicable,
        shipping_method_is_applicable,
    )

    info = checkout_info(checkout)
    if (shipping_method or collection_point) and not is_shipping_required(info):
        raise _refuse(
            _("This checkout doesn't need shipping."), CheckoutErrorCode.SHIPPING_NOT_REQUIRED
        )
    if shipping_method is not None:
        if checkout.shipping_address_id is None:
            raise _refuse(
                _("Cannot choose a shipping method for a checkout without the shipping address."),
                CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET,
            )
        if not shipping_method_is_applicable(info, shipping_method.pk):
            raise _refuse(
                _("This shipping method is not applicable."),
                CheckoutErrorCode.SHIPPING_METHOD_NOT_APPLICABLE,
            )
    if collection_point is not None and not collection_point_is_applicable(
        info, collection_point.pk
    ):
        raise _refuse(
            _("This pick-up point is not applicable."),
            CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
        )
    checkout.shipping_method = shipping_method
    checkout.collection_point = collection_point
    checkout.save(update_fields=["shipping_method", "collection_point", "last_change"])
    reserve_checkout_stock(checkout, field=FIELD)
