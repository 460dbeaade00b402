"""Orders as a producer sees them: the orders with lines of its products, only those lines of
each, and where its part of an order stands (to pack, to hand to the carrier, shipped).

The ownership rule is `ProducerScope`'s (backend.ocop.access): a line belongs to the producer of
its variant's product, and an order is a producer's when one of its lines is. Everything else
answers as if it did not exist. Lists read a bounded number of queries whatever their length.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from backend.ocop.access import ProducerScope
from backend.order.access import is_order_owner
from backend.order.actions import FULFILLABLE_STATUSES
from backend.order.emails import full_name
from backend.order.handover import order_handover
from backend.order.models import Fulfillment, Order, OrderLine, OrderStatus
from backend.order.permissions import OrderPermissions

# Where an order line's producer is, seen from the line.
LINE_PRODUCER = "variant__product__producer_id"
CLOSED_STATUSES = (OrderStatus.CANCELED, OrderStatus.EXPIRED)


class ProducerOrderState(models.TextChoices):
    """The producer's part of an order."""

    WAITING = "waiting", _("Awaiting confirmation")
    TO_PACK = "to-pack", _("To pack")
    TO_SHIP = "to-ship", _("Packed, to hand over")
    SHIPPED = "shipped", _("Handed to the carrier")
    CLOSED = "closed", _("Canceled")


# The states the order list filters by.
FILTER_STATES = (
    ProducerOrderState.TO_PACK,
    ProducerOrderState.TO_SHIP,
    ProducerOrderState.SHIPPED,
)


def producer_lines(scope: ProducerScope) -> models.QuerySet:
    """The order lines of the products in `scope`."""
    return scope.filter(OrderLine.objects.all(), LINE_PRODUCER)


def _open_lines(scope: ProducerScope) -> models.QuerySet:
    return producer_lines(scope).filter(quantity_fulfilled__lt=F("quantity"))


def producer_orders(scope: ProducerScope, state: str | None = None) -> models.QuerySet:
    """Placed orders with at least one line of the producers in `scope` (in the state `state`
    of their part of it, when given), newest first."""
    mine = producer_lines(scope).filter(order=OuterRef("pk"))
    orders = Order.objects.filter(Exists(mine)).exclude(status=OrderStatus.DRAFT)
    open_lines = _open_lines(scope).filter(order=OuterRef("pk"))
    unpacked = open_lines.filter(packed_at__isnull=True)
    if state == ProducerOrderState.TO_PACK:
        orders = orders.filter(Exists(unpacked), status__in=FULFILLABLE_STATUSES)
    elif state == ProducerOrderState.TO_SHIP:
        orders = orders.filter(
            Exists(open_lines), ~Exists(unpacked), status__in=FULFILLABLE_STATUSES
        )
    elif state == ProducerOrderState.SHIPPED:
        orders = orders.filter(~Exists(open_lines)).exclude(status__in=CLOSED_STATUSES)
    return orders.order_by("-created_at", "-number")


def contains_products_of(scope: ProducerScope, order: Order) -> bool:
    """True when `order` has a line of a product in `scope`."""
    if scope.everything:
        return True
    return producer_lines(scope).filter(order=order).exists()


def state_of(order: Order, lines) -> str:
    """Where the producer's `lines` of `order` stand."""
    if order.status in (*CLOSED_STATUSES, OrderStatus.DRAFT):
        return ProducerOrderState.CLOSED
    if order.status == OrderStatus.UNCONFIRMED:
        return ProducerOrderState.WAITING
    waiting = [line for line in lines if line.quantity_unfulfilled]
    if not waiting:
        return ProducerOrderState.SHIPPED
    if any(line.packed_at is None for line in waiting):
        return ProducerOrderState.TO_PACK
    return ProducerOrderState.TO_SHIP


@dataclass(frozen=True)
class ProducerOrder:
    """An order with only the producer's lines of it."""

    order: Order
    lines: list
    state: str

    @property
    def state_label(self) -> str:
        return str(ProducerOrderState(self.state).label)

    @property
    def items(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total_amount(self) -> int:
        return sum(line.total_price_amount for line in self.lines)

    @property
    def buyer_name(self) -> str:
        handover = order_handover(self.order)
        return full_name(handover.contact, "vi") or self.order.user_email

    @property
    def can_pack(self) -> bool:
        return self.state == ProducerOrderState.TO_PACK

    @property
    def can_ship(self) -> bool:
        return self.state in (ProducerOrderState.TO_PACK, ProducerOrderState.TO_SHIP)


def _with_lines(scope: ProducerScope, orders: models.QuerySet) -> models.QuerySet:
    lines = producer_lines(scope).order_by("created_at", "id")
    return orders.select_related("shipping_address", "billing_address").prefetch_related(
        Prefetch("lines", queryset=lines, to_attr="producer_lines")
    )


def producer_order_rows(scope: ProducerScope, orders) -> list[ProducerOrder]:
    """`orders` (a queryset, e.g. one page of `producer_orders`) with their producer lines and
    state; three queries however many orders."""
    return [
        ProducerOrder(order, order.producer_lines, state_of(order, order.producer_lines))
        for order in _with_lines(scope, orders)
    ]


def find_producer_order(scope: ProducerScope, number) -> ProducerOrder | None:
    """The order numbered `number` as the producer sees it; None when it is not theirs."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    orders = producer_orders(scope).filter(number=number)
    orders = orders.select_related("collection_point__province")
    rows = producer_order_rows(scope, orders)
    return rows[0] if rows else None


def _shipments(scope: ProducerScope, orders: list) -> models.QuerySet:
    lines = producer_lines(scope).filter(order__in=orders)
    return (
        Fulfillment.objects.filter(order__in=orders, lines__order_line__in=lines)
        .distinct()
        .order_by("fulfillment_order")
    )


def producer_shipments(scope: ProducerScope, order: Order) -> list[Fulfillment]:
    """The fulfillments of `order` that carried the producer's lines, oldest first."""
    return list(_shipments(scope, [order]))


def producer_shipments_by_order(scope: ProducerScope, order_ids) -> dict:
    """{order id: its fulfillments that carried the producer's lines}; one query."""
    grouped = {}
    for fulfillment in _shipments(scope, list(order_ids)):
        grouped.setdefault(fulfillment.order_id, []).append(fulfillment)
    return grouped


def member_scope(user) -> ProducerScope | None:
    """The producers `user` acts for when that is how they reach orders (members of producers
    without MANAGE_ORDERS); None for order managers and for users who act for no producer."""
    scope = ProducerScope.of(user, OrderPermissions.MANAGE_ORDERS)
    if scope.everything or not scope.can_act:
        return None
    return scope


def hidden_from_member(user, order: Order, scope: ProducerScope | None = None) -> bool:
    """True when `user` acts for producers (without managing orders, and did not place
    `order`) and `order` has no line of their products: the API then answers as if it did not
    exist. Other users are not concerned by this rule."""
    if is_order_owner(user, order):
        return False
    scope = scope or member_scope(user)
    return scope is not None and not contains_products_of(scope, order)


def lines_shown_to(user, order: Order, lines, scope: ProducerScope | None = None) -> list:
    """Of `order`'s `lines` (annotated with `line_producer_id`), those `user` may see: all of
    them for the buyer, order managers and everyone else; only their own products' lines for a
    producer's member, so a mixed order does not show what other producers sold."""
    if scope is None or is_order_owner(user, order):
        return list(lines)
    return [line for line in lines if scope.covers(line.line_producer_id)]
