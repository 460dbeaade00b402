"""A producer packs its lines of an order and hands them to a carrier.

Packing marks the producer's lines still to ship as packed (`OrderLine.packed_at`). Shipping
creates one Fulfillment for them through the one fulfil path (`backend.order.actions.
fulfill_order`: stock leaves through the stock service, the order status follows, an OrderEvent
is recorded), with the carrier and its tracking code, and emails the buyer once the transaction
commits. Ownership is checked here, with the actor's `ProducerScope`: lines of other producers
answer NOT_FOUND, as unknown ones do. Doing either twice is refused with a clear error.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.ocop.access import ProducerScope, not_found
from backend.order import actions
from backend.order.error_codes import OrderErrorCode
from backend.order.models import (
    Carrier,
    Fulfillment,
    Order,
    OrderEvent,
    OrderEvents,
    OrderLine,
)
from backend.order.producer_orders import LINE_PRODUCER, producer_lines
from backend.order.tasks import send_shipping_notice

TRACKING_NUMBER_MAX = 64
TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def _error(field: str, message: str, code: OrderErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order.pk)


def _require_fulfillable(order: Order) -> None:
    if order.status not in actions.FULFILLABLE_STATUSES:
        raise _error(
            "order",
            _("This order cannot be packed or shipped now (status: %(status)s).")
            % {"status": order.get_status_display()},
            OrderErrorCode.INVALID,
        )


def _locked_producer_lines(scope: ProducerScope, order: Order) -> list[OrderLine]:
    """The producer's lines of the (locked) order, locked; NOT_FOUND when it has none."""
    lines = list(
        producer_lines(scope)
        .filter(order=order)
        .select_for_update(of=("self",))
        .order_by("created_at", "id")
    )
    if not lines:
        raise not_found("id")
    return lines


def clean_shipping(carrier: str, tracking_number: str) -> tuple[str, str]:
    """The carrier (one of `Carrier`) and tracking code a producer gives, or ValidationError."""
    carrier = (carrier or "").strip()
    tracking_number = re.sub(r"\s+", "", tracking_number or "")
    errors = {}
    if carrier not in Carrier.values:
        errors["carrier"] = ValidationError(
            _("Choose the carrier."), code=OrderErrorCode.REQUIRED.value
        )
    if not tracking_number:
        errors["tracking_number"] = ValidationError(
            _("Enter the carrier's tracking code."), code=OrderErrorCode.REQUIRED.value
        )
    elif len(tracking_number) > TRACKING_NUMBER_MAX or not TRACKING_NUMBER.match(tracking_number):
        errors["tracking_number"] = ValidationError(
            _("A tracking code has at most %(max)s letters, digits, dots, dashes or slashes.")
            % {"max": TRACKING_NUMBER_MAX},
            code=OrderErrorCode.INVALID.value,
        )
    if errors:
        raise ValidationError(errors)
    return carrier, tracking_number


def pack_producer_lines(order: Order, *, scope: ProducerScope, user) -> list[OrderLine]:
    """Mark the producer's lines of `order` still to ship as packed; returns them."""
    with transaction.atomic():
        locked = _lock(order)
        lines = _locked_producer_lines(scope, locked)
        _require_fulfillable(locked)
        to_pack = [line for line in lines if line.quantity_unfulfilled and line.packed_at is None]
        if not to_pack:
            raise _error(
                "id",
                _("Your items of this order are already packed or shipped."),
                OrderErrorCode.INVALID,
            )
        now = timezone.now()
        OrderLine.objects.filter(pk__in=[line.pk for line in to_pack]).update(packed_at=now)
        for line in to_pack:
            line.packed_at = now
        OrderEvent.objects.create(
            order=locked,
            type=OrderEvents.PACKED,
            user=user if user is not None and user.is_authenticated else None,
            parameters={
                "quantity": sum(line.quantity_unfulfilled for line in to_pack),
                "lines": [str(line.pk) for line in to_pack],
            },
        )
    return to_pack


def ship_producer_lines(
    order: Order, *, scope: ProducerScope, user, carrier: str, tracking_number: str
) -> Fulfillment:
    """Hand every line of the producer's still to ship in `order` to `carrier`."""
    carrier, tracking_number = clean_shipping(carrier, tracking_number)
    with transaction.atomic():
        locked = _lock(order)
        lines = _locked_producer_lines(scope, locked)
        _require_fulfillable(locked)
        waiting = [(line, line.quantity_unfulfilled) for line in lines if line.quantity_unfulfilled]
        if not waiting:
            raise _error(
                "id",
                _("Your items of this order have already been shipped."),
                OrderErrorCode.FULFILL_ORDER_LINE,
            )
        return fulfill_lines(
            locked,
            waiting,
            scope=scope,
            user=user,
            carrier=carrier,
            tracking_number=tracking_number,
        )


def fulfill_lines(
    order: Order,
    lines_quantities: list[tuple[OrderLine, int]],
    *,
    scope: ProducerScope,
    user,
    carrier: str = "",
    tracking_number: str = "",
    notify_customer: bool = True,
) -> Fulfillment:
    """Ship `(line, quantity)` pairs of `order` as one fulfillment, for an actor acting for the
    producers in `scope` (staff managing orders act for all): a line of another producer's
    product is NOT_FOUND. The buyer is emailed the carrier and tracking code."""
    producers = dict(
        OrderLine.objects.filter(pk__in=[line.pk for line, _quantity in lines_quantities])
        .values_list("pk", LINE_PRODUCER)
        .order_by()
    )
    for line, _quantity in lines_quantities:
        scope.require(producers.get(line.pk), "order_line_id")
    if carrier and carrier not in Carrier.values:
        raise _error("carrier", _("Unknown carrier."), OrderErrorCode.INVALID)
    fulfillment = actions.fulfill_order(
        order,
        lines_quantities,
        user=user if user is not None and user.is_authenticated else None,
        tracking_number=tracking_number,
        carrier=carrier,
    )
    if notify_customer and order.user_email:
        transaction.on_commit(lambda: send_shipping_notice.delay(fulfillment.pk))
    return fulfillment
