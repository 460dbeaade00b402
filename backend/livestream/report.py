"""An event's figures for the office: unique viewers, peak concurrent viewers, add-to-carts,
orders, revenue and revenue per producer, and their CSV export. A fixed number of queries.

Viewers come from the event page's heartbeats (ViewerActivity of kind "view", one per visitor
every few tens of seconds while the page is open): a visitor is counted as watching in a minute
when one of their heartbeats falls in it, so the peak is the most distinct visitors in any one
calendar minute.

Orders are the ones attributed to the event (Order.live_event), except drafts, cancelled and
expired ones; revenue is the total of their lines (goods after discounts, without shipping),
and each line counts for its product's producer."""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMinute
from django.utils.translation import gettext as _

from backend.livestream.models import ActivityKind, LiveEvent, ViewerActivity
from backend.order.models import Order, OrderLine, OrderStatus

NOT_SOLD = (OrderStatus.DRAFT, OrderStatus.CANCELED, OrderStatus.EXPIRED)


@dataclass(frozen=True)
class ProducerRevenue:
    producer_id: int | None
    name: str
    orders: int
    quantity: int
    revenue: int


@dataclass(frozen=True)
class OrderFigures:
    orders: int = 0
    revenue: int = 0
    producers: list[ProducerRevenue] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    event: LiveEvent
    unique_viewers: int
    peak_viewers: int
    add_to_carts: int
    orders: int
    revenue: int
    producers: list[ProducerRevenue]


def viewer_figures(event: LiveEvent) -> dict:
    activity = ViewerActivity.objects.filter(event=event)
    totals = activity.aggregate(
        unique_viewers=Count("visitor", distinct=True, filter=Q(kind=ActivityKind.VIEW)),
        add_to_carts=Count("pk", filter=Q(kind=ActivityKind.ADD_TO_CART)),
    )
    peak = (
        activity.filter(kind=ActivityKind.VIEW)
        .annotate(minute=TruncMinute("at"))
        .values("minute")
        .annotate(viewers=Count("visitor", distinct=True))
        .order_by("-viewers")
        .values_list("viewers", flat=True)
        .first()
    )
    return {**totals, "peak_viewers": peak or 0}


def attributed_orders(event: LiveEvent) -> QuerySet:
    """The orders placed from the event page or at its live prices."""
    return Order.objects.filter(live_event=event)


def order_figures(orders: QuerySet) -> OrderFigures:
    sold = orders.exclude(status__in=NOT_SOLD)
    lines = OrderLine.objects.filter(order__in=sold.values("pk"))
    per_producer = (
        lines.values("variant__product__producer_id", "variant__product__producer__name")
        .annotate(
            orders=Count("order_id", distinct=True),
            quantity=Sum("quantity"),
            revenue=Sum("total_price_amount"),
        )
        .order_by("-revenue", "variant__product__producer__name")
    )
    producers = [
        ProducerRevenue(
            producer_id=row["variant__product__producer_id"],
            name=row["variant__product__producer__name"] or "—",
            orders=row["orders"],
            quantity=row["quantity"],
            revenue=row["revenue"],
        )
        for row in per_producer
    ]
    return OrderFigures(
        orders=sold.count(),
        revenue=sum(producer.revenue for producer in producers),
        producers=producers,
    )


def report(event: LiveEvent) -> Report:
    viewers = viewer_figures(event)
    orders = order_figures(attributed_orders(event))
    return Report(
        event=event,
        unique_viewers=viewers["unique_viewers"],
        peak_viewers=viewers["peak_viewers"],
        add_to_carts=viewers["add_to_carts"],
        orders=orders.orders,
        revenue=orders.revenue,
        producers=orders.producers,
    )


def figures(result: Report) -> list[tuple[str, int, bool]]:
    """The headline figures, labelled in the current language: (label, value, is money)."""
    return [
        (_("Unique viewers"), result.unique_viewers, False),
        (_("Peak concurrent viewers"), result.peak_viewers, False),
        (_("Add-to-carts"), result.add_to_carts, False),
        (_("Orders"), result.orders, False),
        (_("Revenue (VND)"), result.revenue, True),
    ]


def as_csv(result: Report) -> str:
    """The figures, then the revenue per producer; a BOM so spreadsheets read it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Livestream event"), result.event.title])
    writer.writerows((label, value) for label, value, _money in figures(result))
    writer.writerow([])
    writer.writerow([_("Producer"), _("Orders"), _("Quantity"), _("Revenue (VND)")])
    for producer in result.producers:
        writer.writerow([producer.name, producer.orders, producer.quantity, producer.revenue])
    return out.getvalue()
