"""Checkout validation with Saleor's error codes: what lines may be bought and in what quantity
(lines add/update, checkoutCreate) and whether a checkout is ready to become an order.

Errors name the variants concerned in `params["variants"]` (global ids), which the API returns
as `CheckoutError.variants`.
"""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from backend.checkout.calculations import is_shipping_required
from backend.checkout.error_codes import CheckoutErrorCode
from backend.core.ids import global_id


def _variant_ids(variants) -> list[str]:
    return [global_id("ProductVariant", variant.pk) for variant in variants]


def with_params(message: str, code: str, params: dict | None) -> ValidationError:
    """A ValidationError carrying API extras (`variants`, `lines`...) in `params`. Django
    %-formats a message that has params, so an already formatted message is escaped first."""
    if params:
        message = message.replace("%", "%%")
    return ValidationError(message, code=code, params=params or None)


def _error(field: str, message: str, code: CheckoutErrorCode, variants=None) -> ValidationError:
    params = {"variants": _variant_ids(variants)} if variants else None
    return ValidationError({field: with_params(message, code.value, params)})


def validate_line_infos_purchasable(line_infos, field: str = "lines") -> None:
    """Every line's product is priced in the channel, published and available for purchase;
    the first check failed names all its variants."""
    checks = (
        (
            "unit_price_is_set",
            _("Cannot add lines with unavailable variants."),
            CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL,
        ),
        (
            "is_published",
            _("Cannot add lines for unpublished variants."),
            CheckoutErrorCode.PRODUCT_NOT_PUBLISHED,
        ),
        (
            "is_available_for_purchase",
            _("Cannot add lines for unavailable for purchase variants."),
            CheckoutErrorCode.PRODUCT_UNAVAILABLE_FOR_PURCHASE,
        ),
    )
    for attribute, message, code in checks:
        failing = [info.variant for info in line_infos if not getattr(info, attribute)]
        if failing:
            raise _error(field, message, code, failing)


# The quantity column's own ceiling: the limit when the shop sets none.
QUANTITY_COLUMN_MAX = 2_147_483_647


def max_line_quantity() -> int:
    """Most units of one variant a checkout may hold."""
    return settings.MAX_CHECKOUT_LINE_QUANTITY or QUANTITY_COLUMN_MAX


def validate_quantity(
    quantity: int, variant, *, allow_zero: bool = False, field: str = "quantity"
) -> None:
    """A quantity a buyer asks for `variant`: not negative (nor zero unless `allow_zero`) and
    within the shop's limit, checked before anything is written."""
    if quantity > max_line_quantity():
        raise over_limit_error(field, variant, max_line_quantity())
    if quantity < 0 or (quantity == 0 and not allow_zero):
        message = (
            _("The quantity should be higher or equal zero.")
            if allow_zero
            else _("The quantity should be higher than zero.")
        )
        raise _error(field, message, CheckoutErrorCode.ZERO_QUANTITY)


def validate_quantity_limits(variant_quantities, *, user=None, field: str = "quantity") -> None:
    """`variant_quantities`: [(variant, total quantity in the checkout)]. Refuses more than
    MAX_CHECKOUT_LINE_QUANTITY of one variant, and more than the variant's per-customer limit
    counting what the signed-in buyer has ordered before."""
    limit = max_line_quantity()
    for variant, quantity in variant_quantities:
        if quantity > limit:
            raise over_limit_error(field, variant, limit)
    limited = [(v, q) for v, q in variant_quantities if v.quantity_limit_per_customer]
    if not limited:
        return
    ordered = _ordered_quantities(user, [variant.pk for variant, _ in limited])
    for variant, quantity in limited:
        if quantity + ordered.get(variant.pk, 0) > variant.quantity_limit_per_customer:
            raise over_limit_error(field, variant, variant.quantity_limit_per_customer)


def over_limit_error(field: str, variant, limit: int) -> ValidationError:
    return _error(
        field,
        _("Cannot add more than %(limit)d times this item: %(item)s.")
        % {"limit": limit, "item": variant},
        CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT,
        [variant],
    )


def line_not_found_error(line_id) -> ValidationError:
    """A line that is not the checkout's, named in `params["lines"]`."""
    from backend.core.ids import global_id

    value = global_id("CheckoutLine", line_id)
    return ValidationError(
        {
            "line_id": with_params(
                _("Couldn't resolve to a node: %(id)s") % {"id": value},
                CheckoutErrorCode.NOT_FOUND.value,
                {"lines": [value]},
            )
        }
    )


def _ordered_quantities(user, variant_ids) -> dict[int, int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    from backend.order.models import OrderLine, OrderStatus

    return dict(
        OrderLine.objects.filter(order__user=user, variant_id__in=variant_ids)
        .exclude(order__status__in=[OrderStatus.DRAFT, OrderStatus.CANCELED, OrderStatus.EXPIRED])
        .values_list("variant_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )


def insufficient_stock_error(error, field: str = "quantity") -> ValidationError:
    """The API error for the lead's InsufficientStock (one per variant, as Saleor does)."""
    return ValidationError(
        {
            field: [
                with_params(
                    _("Could not add items. Only %(available)d remaining in stock.")
                    % {"available": max(item.available, 0)},
                    CheckoutErrorCode.INSUFFICIENT_STOCK.value,
                    {"variants": [global_id("ProductVariant", item.variant_id)]},
                )
                for item in error.items
            ]
        }
    )


def checkout_quantities(line_infos) -> list[tuple]:
    totals = defaultdict(int)
    variants = {}
    for info in line_infos:
        totals[info.variant.pk] += info.line.quantity
        variants[info.variant.pk] = info.variant
    return [(variants[pk], quantity) for pk, quantity in totals.items()]


def validate_delivery(info) -> None:
    """The chosen delivery still fits: the shipping method serves the address, weight and order
    value, or the pick-up point still has the goods."""
    from backend.shipping.services import (
        applicable_shipping_listing,
        collection_point_is_applicable,
    )

    checkout = info.checkout
    if not is_shipping_required(info):
        return
    if checkout.collection_point_id is not None:
        if not collection_point_is_applicable(info, checkout.collection_point_id):
            raise _error(
                "delivery_method",
                _("This pick-up point cannot be used for this checkout."),
                CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
            )
        return
    if checkout.shipping_address_id is None:
        raise _error(
            "shipping_address",
            _("Shipping address is not set."),
            CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET,
        )
    if checkout.shipping_method_id is None:
        raise _error(
            "shipping_method",
            _("Shipping method is not set."),
            CheckoutErrorCode.SHIPPING_METHOD_NOT_SET,
        )
    listing = applicable_shipping_listing(info, checkout.shipping_method_id)
    if listing is None:
        raise _error(
            "shipping_method",
            _("Shipping method is not valid for your shipping address."),
            CheckoutErrorCode.SHIPPING_METHOD_NOT_APPLICABLE,
        )
    # The price is this same row: the prices need not read it again.
    info.shipping_method_listing = listing


def validate_checkout_for_completion(info) -> None:
    """Raise the first reason the checkout cannot be placed, with Saleor's code."""
    checkout = info.checkout
    if not info.lines:
        raise _error(
            "lines", _("Cannot complete checkout without lines."), CheckoutErrorCode.NO_LINES
        )
    if not checkout.email and not (checkout.user_id and checkout.user.email):
        raise _error("email", _("Email is not set."), CheckoutErrorCode.EMAIL_NOT_SET)
    validate_line_infos_purchasable(info.lines)
    validate_quantity_limits(checkout_quantities(info.lines), user=checkout.user, field="lines")
    validate_delivery(info)
    if checkout.billing_address_id is None:
        raise _error(
            "billing_address",
            _("Billing address is not set."),
            CheckoutErrorCode.BILLING_ADDRESS_NOT_SET,
        )
