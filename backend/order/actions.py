"""What staff do to an order: fulfil (ship) lines, cancel, mark as paid. Each runs in one
transaction with the order row locked, records an OrderEvent, and moves stock through the one
stock service (backend.warehouse.services). Problems raise ValidationError with
OrderErrorCode codes, leaving everything as it was."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from backend.core.ids import global_id
from backend.order.error_codes import OrderErrorCode
from backend.order.models import (
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderEvent,
    OrderEvents,
    OrderLine,
    OrderStatus,
)

FULFILLABLE_STATUSES = (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED)
CANCELABLE_STATUSES = (OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED)


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order.pk)


def fulfill_order(
    order: Order,
    lines_quantities: list[tuple[OrderLine, int]],
    *,
    user,
    tracking_number="",
    carrier="",
) -> Fulfillment:
    """Ship `(order_line, quantity)` pairs as one fulfillment: stock leaves the warehouses the
    lines were allocated from, the lines count as fulfilled and the order status follows.
    Quantities are checked against the lines as they are once the order is locked, so two
    requests shipping the same lines cannot both succeed."""
    from backend.warehouse.services import InsufficientStock, fulfill_order_stocks

    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in FULFILLABLE_STATUSES:
            raise ValidationError(
                {
                    "order": ValidationError(
                        _("Only unfulfilled orders can be fulfilled."),
                        code=OrderErrorCode.INVALID.value,
                    )
                }
            )
        lines = {
            line.pk: line
            for line in OrderLine.objects.select_for_update(of=("self",))
            .select_related("variant")
            .filter(pk__in=[line.pk for line, _quantity in lines_quantities])
        }
        requested = [(lines.get(line.pk, line), quantity) for line, quantity in lines_quantities]
        _check_quantities(locked, requested)
        try:
            used = fulfill_order_stocks(locked, requested)
        except InsufficientStock as error:
            raise ValidationError(
                {
                    "lines": ValidationError(
                        _("Not enough stock is allocated to fulfill these lines."),
                        code=OrderErrorCode.INSUFFICIENT_STOCK.value,
                        params={
                            "variants": [
                                global_id("ProductVariant", item.variant_id) for item in error.items
                            ]
                        },
                    )
                }
            ) from error
        number = (locked.fulfillments.aggregate(last=Max("fulfillment_order"))["last"] or 0) + 1
        fulfillment = Fulfillment.objects.create(
            order=locked,
            fulfillment_order=number,
            tracking_number=tracking_number or "",
            carrier=carrier or "",
        )
        from_stock = {}
        for line, stock, quantity in used:
            from_stock.setdefault(line.pk, []).append((stock, quantity))
        fulfillment_lines = []
        for line, quantity in requested:
            # Lines whose variant does not track inventory ship without a stock row.
            for stock, stock_quantity in from_stock.get(line.pk) or [(None, quantity)]:
                fulfillment_lines.append(
                    FulfillmentLine(
                        fulfillment=fulfillment,
                        order_line=line,
                        stock=stock,
                        quantity=stock_quantity,
                    )
                )
            line.quantity_fulfilled += quantity
            line.save(update_fields=["quantity_fulfilled"])
        FulfillmentLine.objects.bulk_create(fulfillment_lines)
        all_shipped = not any(line.quantity_unfulfilled for line in locked.lines.all())
        locked.status = OrderStatus.FULFILLED if all_shipped else OrderStatus.PARTIALLY_FULFILLED
        locked.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=locked,
            type=OrderEvents.FULFILLMENT_FULFILLED_ITEMS,
            user=user,
            parameters={
                "composed_id": f"{locked.number}-{number}",
                "quantity": sum(quantity for _line, quantity in requested),
                "fulfilled_items": [str(line.pk) for line, _quantity in requested],
            },
        )
    order.refresh_from_db()
    return fulfillment


def _check_quantities(order: Order, lines_quantities) -> None:
    seen = set()
    for line, quantity in lines_quantities:
        if line.order_id != order.pk:
            raise ValidationError(
                {
                    "order_line_id": ValidationError(
                        _("The line does not belong to this order."),
                        code=OrderErrorCode.NOT_FOUND.value,
                    )
                }
            )
        if line.pk in seen:
            raise ValidationError(
                {
                    "order_line_id": ValidationError(
                        _("Each order line may be given once."),
                        code=OrderErrorCode.DUPLICATED_INPUT_ITEM.value,
                    )
                }
            )
        seen.add(line.pk)
        if quantity <= 0:
            raise ValidationError(
                {
                    "quantity": ValidationError(
                        _("The quantity to fulfill must be greater than zero."),
                        code=OrderErrorCode.ZERO_QUANTITY.value,
                    )
                }
            )
        if quantity > line.quantity_unfulfilled:
            raise ValidationError(
                {
                    "order_line_id": ValidationError(
                        _("Only %(count)s items of %(name)s are left to fulfill.")
                        % {"count": line.quantity_unfulfilled, "name": line.product_name},
                        code=OrderErrorCode.FULFILL_ORDER_LINE.value,
                    )
                }
            )
    if not seen:
        raise ValidationError(
            {
                "lines": ValidationError(
                    _("Give at least one line to fulfill."), code=OrderErrorCode.REQUIRED.value
                )
            }
        )


def cancel_order(order: Order, *, user) -> Order:
    """Cancel an order nothing has shipped from yet: its stock goes back on sale and
    payments still awaited (cash, transfer) are closed."""
    from backend.warehouse.services import deallocate_order_stocks

    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in CANCELABLE_STATUSES or locked.fulfillments.exists():
            raise ValidationError(
                {
                    "id": ValidationError(
                        _("This order can no longer be canceled."),
                        code=OrderErrorCode.CANNOT_CANCEL_ORDER.value,
                    )
                }
            )
        deallocate_order_stocks(locked)
        _close_awaited_payments(locked)
        locked.status = OrderStatus.CANCELED
        locked.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(order=locked, type=OrderEvents.CANCELED, user=user)
    order.refresh_from_db()
    return order


def _close_awaited_payments(order: Order) -> None:
    from backend.payment.services import cancel_unpaid_transactions

    cancel_unpaid_transactions(
        list(order.payment_transactions.all()), str(_("The order was canceled."))
    )


def mark_order_as_paid(order: Order, *, user, transaction_reference: str = "") -> Order:
    """Staff record the money as received (cash handed over by the carrier, a transfer seen on
    the bank statement). ORDER_PAID goes out through the payment service."""
    from backend.payment.services import mark_order_as_paid as record_payment

    if order.status in (OrderStatus.CANCELED, OrderStatus.DRAFT, OrderStatus.EXPIRED):
        raise ValidationError(
            {
                "id": ValidationError(
                    _("A canceled order cannot be marked as paid."),
                    code=OrderErrorCode.INVALID.value,
                )
            }
        )
    record_payment(order, user, psp_reference=transaction_reference or "")
    order.refresh_from_db()
    return order
