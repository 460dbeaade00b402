"""A producer's figures for its portal home: today's orders, the variants running low, this
month's sales and best sellers, and how many orders wait to be packed.

Sales are the producer's order lines of placed orders (drafts, cancelled and expired orders left
out, as in the office's dashboard, backend.ocop.dashboard) in VND; stock is the availability
rule's (`backend.warehouse.availability`). Eight queries whatever the number of orders.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Sum
from django.utils import timezone

from backend.ocop.access import ProducerScope
from backend.ocop.dashboard import CURRENCY, NOT_SALES
from backend.order.producer_orders import (
    ProducerOrderState,
    producer_lines,
    producer_order_rows,
    producer_orders,
)
from backend.product.models import ProductVariant
from backend.warehouse.availability import selling_stocks

LOW_STOCK_THRESHOLD = 5
NEWEST_ORDERS = 5
BEST_SELLERS = 5
LOW_STOCK_SHOWN = 10


@dataclass(frozen=True)
class LowStock:
    variant_id: int
    product_id: int
    product_name: str
    variant_name: str
    sku: str
    available: int


@dataclass(frozen=True)
class BestSeller:
    product_name: str
    variant_name: str
    units: int
    revenue: int  # VND


@dataclass(frozen=True)
class ProducerDashboard:
    day: date
    orders_today: int
    newest_today: list  # ProducerOrder rows
    to_pack: int
    low_stock: list[LowStock]
    low_stock_threshold: int
    sales_this_month: int  # VND
    best_sellers: list[BestSeller]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def low_stock(scope: ProducerScope, threshold: int = LOW_STOCK_THRESHOLD) -> list[LowStock]:
    """The producer's variants that track stock with at most `threshold` units that can ship,
    fewest first; two queries."""
    variants = scope.filter(
        ProductVariant.objects.filter(track_inventory=True), "product__producer_id"
    ).values_list("pk", "product_id", "product__name", "name", "sku")
    rows = {row[0]: row for row in variants}
    available = dict.fromkeys(rows, 0)
    stocks = (
        selling_stocks()
        .filter(product_variant_id__in=list(rows))
        .annotate_available()
        .values_list("product_variant_id", "available")
    )
    for variant_id, units in stocks:
        available[variant_id] += units
    low = [
        LowStock(pk, product_id, product_name, name or "", sku or "", available[pk])
        for pk, product_id, product_name, name, sku in rows.values()
        if available[pk] <= threshold
    ]
    return sorted(low, key=lambda row: (row.available, row.product_name, row.variant_name))


def producer_dashboard(
    scope: ProducerScope, *, today: date | None = None, threshold: int = LOW_STOCK_THRESHOLD
) -> ProducerDashboard:
    today = today or timezone.localdate()
    today_orders = producer_orders(scope).filter(created_at__gte=_start_of(today))
    month_sales = (
        producer_lines(scope)
        .filter(
            order__created_at__gte=_start_of(today.replace(day=1)),
            order__currency=CURRENCY,
        )
        .exclude(order__status__in=NOT_SALES)
    )
    best = (
        month_sales.values("variant_id", "variant__product__name", "variant__name")
        .annotate(units=Sum("quantity"), revenue=Sum("total_price_amount"))
        .order_by("-units", "-revenue", "variant__product__name")[:BEST_SELLERS]
    )
    return ProducerDashboard(
        day=today,
        orders_today=today_orders.count(),
        newest_today=producer_order_rows(scope, today_orders[:NEWEST_ORDERS]),
        to_pack=producer_orders(scope, ProducerOrderState.TO_PACK).count(),
        low_stock=low_stock(scope, threshold)[:LOW_STOCK_SHOWN],
        low_stock_threshold=threshold,
        sales_this_month=month_sales.aggregate(total=Sum("total_price_amount"))["total"] or 0,
        best_sellers=[
            BestSeller(
                row["variant__product__name"],
                row["variant__name"] or "",
                row["units"],
                row["revenue"],
            )
            for row in best
        ],
    )
