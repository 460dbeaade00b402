"""What can be sold: the one availability rule every reader of stock uses.

A stock row can sell `quantity − quantity_allocated − live holds of other holders`, never less
than zero. Which rows count depends on the warehouse's role: goods that ship come from the
channel's warehouses except pick-up-only showrooms (`LOCAL_STOCK`, whose shelves serve their own
pick-ups); a pick-up at a showroom takes its own stock, or every channel warehouse's for an
`ALL_WAREHOUSES` collection point. A variant that does not track inventory can always be sold.

The rule as a SQL expression is `Stock.objects.annotate_available()` (on the Stock queryset, as
Saleor's `annotate_available_quantity`); the rest of it is here.

Readers: the stock service (after locking the rows), shipping's pick-up points, the API's
`quantityAvailable`, in-stock filter and staff `Stock.quantityReserved` (`held_by_others`),
the shop, and the listing index's SQL (migration product/0010 writes the same rule in SQL;
tests/test_stock_availability_agreement.py holds every reader to the same answers).
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from backend.product.models import ProductVariant
from backend.warehouse.models import ClickAndCollectOption, Reservation, Stock, live_holds


def selling_stocks(channel=None, *, collection_point=None):
    """The stock rows that serve `channel` (a Channel or its id; any channel when None): for
    shipping, or for a pick-up at `collection_point`."""
    stocks = Stock.objects.all()
    if collection_point is not None:
        if collection_point.click_and_collect_option == ClickAndCollectOption.ALL_WAREHOUSES:
            return stocks.filter(warehouse__channels=channel)
        return stocks.filter(warehouse=collection_point)
    if channel is not None:
        stocks = stocks.filter(warehouse__channels=channel)
    return stocks.exclude(warehouse__click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK)


def held_by_others(stock_ids, exclude_holder: str | None = None) -> dict[int, int]:
    """Units held by live holds of other holders, per stock id.

    The stock service runs this as its own statement after locking the rows: under READ
    COMMITTED it then sees every hold committed while it waited for the lock (a subquery in the
    locking statement would read the snapshot taken before the wait)."""
    holds = live_holds().filter(stock_id__in=stock_ids)
    if exclude_holder is not None:
        holds = holds.exclude(holder=exclude_holder)
    return dict(holds.values_list("stock_id").annotate(total=Sum("quantity_reserved")).order_by())


def holds_for_allocation(stock_ids, holder: str) -> tuple[dict[int, int], set[int]]:
    """`held_by_others(stock_ids, holder)` and the ids of the stocks `holder` itself holds
    units of (live or expired, on any stock), in one statement: what allocation reads before it
    sets stock aside for a holder and releases the holder's holds."""
    own = Q(holder=holder)
    rows = (
        Reservation.objects.filter(
            Q(stock_id__in=stock_ids, reserved_until__gt=timezone.now()) & ~own | own
        )
        .values("stock_id")
        .annotate(
            others=Sum("quantity_reserved", filter=~own),
            own=Count("pk", filter=own),
        )
        .order_by()
        .values_list("stock_id", "others", "own")
    )
    held, holding = {}, set()
    for stock_id, others, own_holds in rows:
        if others:
            held[stock_id] = others
        if own_holds:
            holding.add(stock_id)
    return held, holding


def free_units(
    stocks, exclude_holder: str | None = None, *, held: dict[int, int] | None = None
) -> dict[int, int]:
    """Available units per stock id of the (loaded) `stocks`; `held` is `held_by_others` of
    them when the caller has already read it."""
    if held is None:
        held = held_by_others([stock.pk for stock in stocks], exclude_holder)
    return {
        stock.pk: max(stock.quantity - stock.quantity_allocated - held.get(stock.pk, 0), 0)
        for stock in stocks
    }


def available_quantities(
    variant_ids, channel, *, collection_point=None, exclude_holder: str | None = None
) -> dict[int, int]:
    """Units each variant can be sold in `channel` (0 for a variant without stock)."""
    stocks = selling_stocks(channel, collection_point=collection_point).filter(
        product_variant_id__in=variant_ids
    )
    totals = dict.fromkeys(variant_ids, 0)
    for variant_id, available in stocks.annotate_available(exclude_holder).values_list(
        "product_variant_id", "available"
    ):
        totals[variant_id] += available
    return totals


def available_per_channel(variant_ids, channel_ids) -> dict[tuple[int, int], int]:
    """{(variant id, channel id): units that can ship} for every pair; one query."""
    rows = (
        selling_stocks()
        .filter(product_variant_id__in=variant_ids, warehouse__channels__id__in=channel_ids)
        .annotate_available()
        .values_list("product_variant_id", "warehouse__channels__id", "available")
    )
    totals = defaultdict(int)
    for variant_id, channel_id, available in rows:
        totals[(variant_id, channel_id)] += available
    return totals


def available_per_warehouse(
    variant_ids, warehouse_ids, exclude_holder: str | None = None
) -> dict[int, dict[int, int]]:
    """{warehouse id: {variant id: available units}} of the given warehouses' own stock."""
    rows = (
        Stock.objects.filter(warehouse_id__in=warehouse_ids, product_variant_id__in=variant_ids)
        .annotate_available(exclude_holder)
        .values_list("warehouse_id", "product_variant_id", "available")
    )
    result = defaultdict(dict)
    for warehouse_id, variant_id, available in rows:
        result[warehouse_id][variant_id] = available
    return result


def product_in_stock_q(channel=None, product_ref: str = "pk") -> Q:
    """Products (rows whose `product_ref` is a product id) with a variant that can be sold and
    shipped in `channel` — priced there, and either not tracking inventory or with stock
    available."""
    variants = ProductVariant.objects.filter(product_id=OuterRef(product_ref))
    stocks = selling_stocks(channel).filter(product_variant__product_id=OuterRef(product_ref))
    if channel is not None:
        priced = {
            "channel_listings__channel": channel,
            "channel_listings__price_amount__isnull": False,
        }
        variants = variants.filter(**priced)
        stocks = stocks.filter(**{f"product_variant__{k}": v for k, v in priced.items()})
    untracked = variants.filter(track_inventory=False)
    stocked = stocks.annotate_available().filter(available__gt=0)
    return Q(Exists(untracked)) | Q(Exists(stocked))
