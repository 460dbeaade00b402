"""The office's figures on the OCOP programme: products and producers by province and by stars,
sales by province and producer over a period, certifications that expire soon, producers without
a badge, and stock-outs.

Each figure is one grouped query (three for the catalogue counts), however many products there
are. Stars are the badge rule's (`Certification.objects.shown_as_badge`),
stock-outs the availability rule's (`backend.warehouse.availability`), sales the order lines of
placed orders (drafts, cancelled and expired orders left out).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from backend.ocop.models import (
    CERTIFIED_STARS,
    Certification,
    Producer,
    Province,
    VerificationStatus,
)
from backend.order.models import OrderLine, OrderStatus
from backend.product.models import Product, ProductVariant
from backend.warehouse.availability import product_in_stock_q

EXPIRY_WINDOW_DAYS = 90
DEFAULT_PERIOD_DAYS = 30
# Orders that were never placed or did not go through do not count as sales.
NOT_SALES = (OrderStatus.DRAFT, OrderStatus.CANCELED, OrderStatus.EXPIRED)
CURRENCY = "VND"


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included, in the shop's time zone."""

    start: date
    end: date

    @classmethod
    def last_days(cls, days: int = DEFAULT_PERIOD_DAYS, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) as aware datetimes."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )


@dataclass
class ProvinceRow:
    province: str
    producers: int = 0
    products: int = 0
    stars: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CERTIFIED_STARS, 0))


@dataclass(frozen=True)
class StarsRow:
    stars: int | None  # None: products without a badge
    products: int
    producers: int


@dataclass(frozen=True)
class SalesRow:
    name: str
    province: str
    orders: int
    units: int
    revenue: int  # VND


@dataclass(frozen=True)
class Catalogue:
    provinces: list[ProvinceRow]  # most products first
    stars: list[StarsRow]  # 5★, 4★, 3★, then the products without a badge


def catalogue(day: date) -> Catalogue:
    """Producers, products and products per badge stars on `day` in each province that has a
    producer, and products and their producers per stars. Products without a producer have no
    province: they count in the stars table only. Three queries: province names, producers per
    province, and products per (producer, badge stars) — the badge rule's subquery once."""
    names = dict(Province.objects.values_list("pk", "name"))
    provinces = {
        province_id: ProvinceRow(names[province_id], producers=producers)
        for province_id, producers in (
            Producer.objects.values_list("province_id").annotate(n=Count("pk")).order_by()
        )
    }
    star_products, star_producers = Counter(), defaultdict(set)
    for province_id, producer_id, stars, count in (
        Product.objects.annotate(badge=Certification.objects.badge_stars(day))
        .values_list("producer__province_id", "producer_id", "badge")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        star_products[stars] += count
        if producer_id is None:
            continue
        star_producers[stars].add(producer_id)
        row = provinces[province_id]
        row.products += count
        if stars is not None:
            row.stars[stars] += count
    return Catalogue(
        sorted(provinces.values(), key=lambda row: (-row.products, -row.producers, row.province)),
        [
            StarsRow(stars, star_products[stars], len(star_producers[stars]))
            for stars in (*sorted(CERTIFIED_STARS, reverse=True), None)
        ],
    )


def _sales(period: Period, *group_by: str):
    start, end = period.bounds()
    return (
        OrderLine.objects.filter(
            order__created_at__gte=start,
            order__created_at__lt=end,
            order__currency=CURRENCY,
            variant__product__producer__isnull=False,
        )
        .exclude(order__status__in=NOT_SALES)
        .values_list(*group_by)
        .annotate(
            orders=Count("order", distinct=True),
            units=Sum("quantity"),
            revenue=Sum("total_price_amount"),
        )
        .order_by("-revenue", *group_by)
    )


def sales_by_producer(period: Period) -> list[SalesRow]:
    """Order lines' totals (before order-wide vouchers, shipping left out) per producer over
    `period`; lines whose variant was deleted no longer name a producer and are left out."""
    rows = _sales(
        period,
        "variant__product__producer__name",
        "variant__product__producer__province__name",
        "variant__product__producer_id",
    )
    return [SalesRow(name, province, *totals) for name, province, _, *totals in rows]


def sales_by_province(period: Period) -> list[SalesRow]:
    """`sales_by_producer` summed per province."""
    rows = _sales(period, "variant__product__producer__province__name")
    return [SalesRow(province, province, *totals) for province, *totals in rows]


def expiring_certifications(day: date, days: int = EXPIRY_WINDOW_DAYS) -> list[Certification]:
    """Certifications showing a badge on `day` whose last day is within `days` days, soonest
    first."""
    return list(
        Certification.objects.shown_as_badge(day)
        .filter(valid_until__lte=day + timedelta(days=days))
        .select_related("product", "producer__province")
        .only(
            "stars",
            "decision_number",
            "valid_until",
            "product__name",
            "producer__name",
            "producer__province__name",
        )
        .order_by("valid_until", "pk")
    )


def producers_without_badge(day: date) -> list[Producer]:
    """Producers none of whose certifications shows a badge on `day` (none verified and in
    force), with `product_count` and `pending_count` (certifications awaiting verification)."""
    shown = Certification.objects.shown_as_badge(day).filter(producer=OuterRef("pk"))
    return list(
        Producer.objects.exclude(Exists(shown))
        .select_related("province")
        .annotate(
            product_count=Count("products", distinct=True),
            pending_count=Count(
                "certifications",
                filter=Q(certifications__verification_status=VerificationStatus.PENDING),
                distinct=True,
            ),
        )
        .order_by("province__name", "name")
    )


def stock_outs() -> list[Product]:
    """Products with variants none of which can be sold anywhere (the availability rule: no
    untracked variant and no stock with units available), with their producer and province."""
    return list(
        Product.objects.filter(Exists(ProductVariant.objects.filter(product=OuterRef("pk"))))
        .exclude(product_in_stock_q())
        .select_related("producer__province")
        .only("name", "producer__name", "producer__province__name")
        .order_by("producer__province__name", "producer__name", "name", "pk")
    )
