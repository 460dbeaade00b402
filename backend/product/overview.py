"""What a producer reads about their own products: price ranges, stock per warehouse and its
history. Every function runs a fixed number of queries whatever the number of products,
variants or warehouses."""

from dataclasses import dataclass, field

from django.db.models import F, Max, Min, Window
from django.db.models.functions import Lag

from backend.channel.models import Channel
from backend.product.models import ProductChannelListing, ProductVariantChannelListing
from backend.warehouse.models import Stock, StockChange


@dataclass
class ProductSummary:
    min_price: int | None = None
    max_price: int | None = None
    currency: str = ""
    available: int = 0


def product_summaries(product_ids, channel) -> dict[int, ProductSummary]:
    """{product id: price range in `channel` and units available in every warehouse}; two
    queries."""
    summaries = {pk: ProductSummary() for pk in product_ids}
    if not summaries:
        return summaries
    if channel is not None:
        prices = (
            ProductVariantChannelListing.objects.filter(
                variant__product_id__in=list(summaries),
                channel=channel,
                price_amount__isnull=False,
            )
            .values("variant__product_id")
            .annotate(low=Min("price_amount"), high=Max("price_amount"))
            .order_by()
        )
        for row in prices:
            summary = summaries[row["variant__product_id"]]
            summary.min_price, summary.max_price = row["low"], row["high"]
            summary.currency = channel.currency_code
    stocks = (
        Stock.objects.filter(product_variant__product_id__in=list(summaries))
        .annotate_available()
        .values_list("product_variant__product_id", "available")
    )
    for product_id, available in stocks:
        summaries[product_id].available += available
    return summaries


@dataclass
class StockCell:
    warehouse: object
    quantity: int = 0
    allocated: int = 0
    available: int = 0
    exists: bool = False


@dataclass
class VariantStock:
    variant: object
    cells: list = field(default_factory=list)


def stock_table(variants, warehouses) -> list[VariantStock]:
    """One row per variant, one cell per warehouse: quantity, allocated, available; one
    query."""
    variants, warehouses = list(variants), list(warehouses)
    found = {}
    if variants and warehouses:
        stocks = Stock.objects.filter(
            product_variant__in=[v.pk for v in variants], warehouse__in=[w.pk for w in warehouses]
        ).annotate_available()
        found = {(s.product_variant_id, s.warehouse_id): s for s in stocks}
    rows = []
    for variant in variants:
        row = VariantStock(variant)
        for warehouse in warehouses:
            stock = found.get((variant.pk, warehouse.pk))
            if stock is None:
                row.cells.append(StockCell(warehouse))
            else:
                row.cells.append(
                    StockCell(
                        warehouse,
                        stock.quantity,
                        stock.quantity_allocated,
                        stock.available,
                        exists=True,
                    )
                )
        rows.append(row)
    return rows


def stock_history(product, limit: int = 50, offset: int = 0) -> list[StockChange]:
    """The product's stock changes, newest first, each with `previous_quantity` (the quantity
    before it, None for a stock row's first change), `variant` and `warehouse` names and who
    made it; one query."""
    changes = (
        StockChange.objects.filter(variant_id__in=product.variants.values("pk"))
        .annotate(
            previous_quantity=Window(
                Lag("quantity"), partition_by=[F("stock_id")], order_by=F("pk").asc()
            ),
            variant_name=F("stock__product_variant__name"),
            variant_sku=F("stock__product_variant__sku"),
            warehouse_name=F("stock__warehouse__name"),
        )
        .select_related("changed_by")
        .order_by("-pk")[offset : offset + limit]
    )
    history = list(changes)
    for change in history:
        previous = change.previous_quantity
        change.delta = None if previous is None else change.quantity - previous
    return history


def unpublished_priced_channels(product) -> list:
    """Channels where a variant of `product` has a price but the product is not on sale
    (yet); one query."""
    published = ProductChannelListing.objects.filter(product=product, is_published=True)
    priced = ProductVariantChannelListing.objects.filter(
        variant__product=product, price_amount__isnull=False
    ).exclude(channel__in=published.values("channel"))
    return list(Channel.objects.filter(pk__in=priced.values("channel")).order_by("slug"))
