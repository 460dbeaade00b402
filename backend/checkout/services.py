"""Changing a checkout: lines (with stock held for the buyer), addresses, delivery, promo code.

Every function raises ValidationError with Saleor's CheckoutErrorCode values and is meant to run
inside the caller's transaction, so a refused change leaves the checkout as it was.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.account.addresses import clean_address
from backend.account.models import Address
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.fetch import CheckoutInfo, fetch_checkout_info
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.validation import (
    checkout_quantities,
    insufficient_stock_error,
    max_line_quantity,
    over_limit_error,
    validate_line_infos_purchasable,
    validate_quantity_limits,
)


def checkout_info(checkout: Checkout) -> CheckoutInfo:
    """The checkout's priced lines, computed once per instance (mutations reload the checkout
    after changing it)."""
    info = getattr(checkout, "_checkout_info", None)
    if info is None:
        info = fetch_checkout_info(checkout)
        checkout._checkout_info = info
    return info


def reserve_checkout_stock(
    checkout: Checkout, *, field: str = "quantity", lines: list[CheckoutLine] | None = None
) -> None:
    """Check every line can still be sold from where the checkout will take it (the chosen
    showroom or the channel's warehouses) and hold it for the buyer. `lines` (with their
    variants) saves loading them again."""
    from backend.warehouse.services import InsufficientStock, reserve_stocks

    if lines is None:
        lines = list(checkout.lines.select_related("variant"))
    if not lines:
        return
    try:
        reserve_stocks(lines, checkout.channel, collection_point=checkout.collection_point)
    except InsufficientStock as error:
        raise insufficient_stock_error(error, field=field) from error


def validate_lines(
    checkout: Checkout, user=None, *, variant_ids=None, field: str = "lines"
) -> CheckoutInfo:
    """The lines of `variant_ids` (all by default) may be bought, every variant's total stays
    within its limits, and the stock is held."""
    info = fetch_checkout_info(checkout)
    touched = [line for line in info.lines if variant_ids is None or line.variant.pk in variant_ids]
    validate_line_infos_purchasable(touched, field=field)
    validate_quantity_limits(checkout_quantities(info.lines), user=user, field="quantity")
    reserve_checkout_stock(checkout, lines=[line_info.line for line_info in info.lines])
    return info


def add_lines(checkout: Checkout, items, *, replace: bool = False) -> None:
    """`items`: [(variant, quantity, force_new_line, metadata)]. Adds to an existing line of the
    same variant unless `force_new_line`; with `replace` the quantity is set instead (0 deletes
    the line). A sum past the line limit is refused before it is written (validate_lines checks
    the rest once all is written)."""
    existing = {}
    for line in checkout.lines.all():
        existing.setdefault(line.variant_id, line)
    for variant, quantity, force_new, metadata in items:
        line = None if force_new else existing.get(variant.pk)
        if line is None:
            if quantity == 0:
                continue
            line = CheckoutLine.objects.create(
                checkout=checkout, variant=variant, quantity=quantity, metadata=metadata or {}
            )
            existing.setdefault(variant.pk, line)
            continue
        line.quantity = quantity if replace else line.quantity + quantity
        if line.quantity > max_line_quantity():
            raise over_limit_error("quantity", variant, max_line_quantity())
        if metadata:
            line.metadata = {**line.metadata, **metadata}
        if line.quantity == 0:
            line.delete()
            existing.pop(variant.pk, None)
        else:
            line.save(update_fields=["quantity", "metadata"])


def clean_checkout_address(data: dict, rules: dict | None) -> dict:
    """Validated address fields. `rules` (CheckoutAddressValidationRules) may switch off the
    required-fields or format checks, as Saleor allows for a partial address that only serves
    to estimate shipping."""
    rules = rules or {}
    check_required = rules.get("check_required_fields", True) is not False
    check_format = rules.get("check_fields_format", True) is not False
    try:
        return clean_address(data)
    except ValidationError as error:
        kept = {
            name: [
                err
                for err in errors
                if (err.code == "required" and check_required)
                or (err.code != "required" and check_format)
            ]
            for name, errors in error.error_dict.items()
        }
        kept = {name: errors for name, errors in kept.items() if errors}
        if kept:
            raise ValidationError(kept) from error
    return clean_address(data, skip_validation=True)


def save_address(current: Address | None, fields: dict) -> Address:
    """Store the address on the checkout's own row (orders later keep that row)."""
    metadata = fields.pop("metadata", None)
    if current is None:
        address = Address(**fields)
    else:
        address = current
        for name, value in fields.items():
            setattr(address, name, value)
    if metadata:
        address.metadata = {**address.metadata, **metadata}
    address.save()
    return address


def set_delivery(checkout: Checkout, *, shipping_method=None, collection_point=None) -> None:
    """Choose one delivery (or none): a shipping method or a pick-up point, never both.
    Stock is then held where the goods will come from."""
    from backend.shipping.services import (
        collection_point_is_applicable,
        shipping_method_is_applicable,
    )

    info = checkout_info(checkout)
    if shipping_method is not None:
        if checkout.shipping_address_id is None:
            raise ValidationError(
                {
                    "delivery_method_id": ValidationError(
                        _(
                            "Cannot choose a shipping method for a checkout without the "
                            "shipping address."
                        ),
                        code=CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET.value,
                    )
                }
            )
        if not shipping_method_is_applicable(info, shipping_method.pk):
            raise ValidationError(
                {
                    "delivery_method_id": ValidationError(
                        _("This shipping method is not applicable."),
                        code=CheckoutErrorCode.SHIPPING_METHOD_NOT_APPLICABLE.value,
                    )
                }
            )
    if collection_point is not None and not collection_point_is_applicable(
        info, collection_point.pk
    ):
        raise ValidationError(
            {
                "delivery_method_id": ValidationError(
                    _("This pick-up point is not applicable."),
                    code=CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE.value,
                )
            }
        )
    checkout.shipping_method = shipping_method
    checkout.collection_point = collection_point
    checkout.save(update_fields=["shipping_method", "collection_point", "last_change"])
    reserve_checkout_stock(checkout, field="delivery_method_id")


def apply_promo_code(checkout: Checkout, code: str, user=None) -> None:
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
