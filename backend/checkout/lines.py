"""A checkout's lines — adding units, setting a line's quantity, deleting lines — with the
quantity limits and the stock held for the buyer, the same for the shop's cart and the API's
checkoutCreate / checkoutLines… mutations.

A quantity is refused before anything is written: below 1 (0 only where it deletes a line) or
above MAX_CHECKOUT_LINE_QUANTITY; once written, every variant's total in the checkout must stay
within that limit and the variant's per-customer limit (counting what the signed-in `user` ordered
before), its product must be purchasable in the checkout's channel, and every line's stock is held
(backend.warehouse.services.reserve_stocks). Functions raise ValidationError with Saleor's
CheckoutErrorCode values and run inside the caller's transaction with the checkout row locked, so
a refused change leaves the checkout as it was."""

from dataclasses import dataclass, field

from backend.checkout.fetch import CheckoutInfo, fetch_checkout_info
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.validation import (
    checkout_quantities,
    insufficient_stock_error,
    line_not_found_error,
    max_line_quantity,
    over_limit_error,
    validate_line_infos_purchasable,
    validate_quantity,
    validate_quantity_limits,
)
from backend.product.models import ProductVariant


@dataclass
class LineInput:
    """Units of a variant to add: to the checkout's line of that variant, or to a line of their
    own with `force_new_line`."""

    variant: ProductVariant
    quantity: int
    force_new_line: bool = False
    metadata: dict = field(default_factory=dict)


@dataclass
class LineChange:
    """A new quantity (None keeps it, 0 deletes the line) and metadata to merge, for the line
    `line_id` or for the checkout's line of `variant` (created when there is none)."""

    line_id: object = None
    variant: ProductVariant | None = None
    quantity: int | None = None
    metadata: dict = field(default_factory=dict)


def reserve_checkout_stock(
    checkout: Checkout, *, field: str = "quantity", lines: list[CheckoutLine] | None = None
) -> None:
    """Check every line can still be sold from where the checkout will take it (the chosen
    pick-up point or the channel's warehouses) and hold it for the buyer. `lines` (with their
    variants) saves loading them again."""
    from backend.warehouse.services import InsufficientStock, reserve_stocks

    if lines is None:
        lines = list(checkout.lines.select_related("variant", "live_offer__event"))
    if not lines:
        return
    try:
        reserve_stocks(lines, checkout.channel, collection_point=checkout.collection_point)
    except InsufficientStock as error:
        raise insufficient_stock_error(error, field=field) from error


def validate_lines(checkout: Checkout, user=None, *, variant_ids=None) -> CheckoutInfo:
    """The lines of `variant_ids` (all by default) may be bought, every variant's total stays
    within its limits, and the stock is held."""
    info = fetch_checkout_info(checkout)
    touched = [line for line in info.lines if variant_ids is None or line.variant.pk in variant_ids]
    validate_line_infos_purchasable(touched)
    validate_quantity_limits(checkout_quantities(info.lines), user=user, field="quantity")
    reserve_checkout_stock(checkout, lines=[line_info.line for line_info in info.lines])
    return info


def validate_line_inputs(items: list[LineInput]) -> None:
    """Each quantity to add is at least 1 and within the per-line limit."""
    for item in items:
        validate_quantity(item.quantity, item.variant)


def add_lines(checkout: Checkout, items: list[LineInput], *, user=None) -> None:
    """Add units (checkoutLinesAdd, the shop's "add to cart"): to an existing line of the same
    variant unless `force_new_line`."""
    validate_line_inputs(items)
    write_new_lines(checkout, items, user=user)
    checkout.save(update_fields=["last_change"])


def write_new_lines(checkout: Checkout, items: list[LineInput], *, user=None) -> None:
    """add_lines on inputs already validated (checkoutCreate checks them before anything
    else). A sum past the line limit is refused before it is written."""
    existing = {}
    # Units added from the shop never join a line bought through a livestream (live price).
    for line in checkout.lines.filter(live_offer__isnull=True):
        existing.setdefault(line.variant_id, line)
    for item in items:
        line = None if item.force_new_line else existing.get(item.variant.pk)
        if line is None:
            line = CheckoutLine.objects.create(
                checkout=checkout,
                variant=item.variant,
                quantity=item.quantity,
                metadata=item.metadata or {},
            )
            existing.setdefault(item.variant.pk, line)
            continue
        line.quantity += item.quantity
        if line.quantity > max_line_quantity():
            raise over_limit_error("quantity", item.variant, max_line_quantity())
        if item.metadata:
            line.metadata = {**line.metadata, **item.metadata}
        line.save(update_fields=["quantity", "metadata"])
    validate_lines(checkout, user, variant_ids={item.variant.pk for item in items})


def update_lines(checkout: Checkout, changes: list[LineChange], *, user=None) -> None:
    """Set quantities (checkoutLinesUpdate, the shop's cart form): the quantity is the line's
    new total, not units added; 0 deletes the line. A line that is not the checkout's is
    NOT_FOUND."""
    lines = {str(line.pk): line for line in checkout.lines.select_related("variant")}
    by_variant = {}
    for line in lines.values():
        if line.live_offer_id is None:
            by_variant.setdefault(line.variant_id, line)
    touched = set()
    for change in changes:
        if change.line_id is not None:
            line = lines.get(str(change.line_id))
            if line is None:
                raise line_not_found_error(change.line_id)
        else:
            line = by_variant.get(change.variant.pk)
        variant = line.variant if line is not None else change.variant
        if change.quantity is not None:
            validate_quantity(change.quantity, variant, allow_zero=True)
        if line is None:
            if change.quantity:
                line = CheckoutLine.objects.create(
                    checkout=checkout,
                    variant=variant,
                    quantity=change.quantity,
                    metadata=change.metadata or {},
                )
                lines[str(line.pk)] = by_variant[variant.pk] = line
                touched.add(variant.pk)
            continue
        if change.metadata:
            line.metadata = {**line.metadata, **change.metadata}
        if change.quantity == 0:
            del lines[str(line.pk)]
            line.delete()
            if by_variant.get(variant.pk) is line:
                del by_variant[variant.pk]
            continue
        if change.quantity is not None:
            line.quantity = change.quantity
            touched.add(variant.pk)
        line.save(update_fields=["quantity", "metadata"])
    checkout.save(update_fields=["last_change"])
    validate_lines(checkout, user, variant_ids=touched)


def delete_lines(checkout: Checkout, line_ids) -> None:
    """Delete lines of the checkout (their stock holds go with them)."""
    checkout.lines.filter(pk__in=line_ids).delete()
    checkout.save(update_fields=["last_change"])
