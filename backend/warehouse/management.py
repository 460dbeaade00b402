"""The one stock service every sales channel uses: the shop's checkouts, livestream quotas and
marketplace orders all reserve, allocate and release stock here, so nothing is sold twice.

Available = quantity − allocated − reserved by other checkouts (reservations that have not
expired). Every write locks the stock rows it reads (`SELECT … FOR UPDATE`), always in primary-key
order so two buyers locking the same rows cannot deadlock; the database's check constraints
(`quantity_allocated <= quantity`, both >= 0) are the last line of defence.

Where stock comes from: goods that ship come from the channel's warehouses except pick-up-only
showrooms (`LOCAL_STOCK`), whose shelves serve their own pick-ups; a pick-up at a showroom takes
its own stock, or every channel warehouse's for an `ALL_WAREHOUSES` collection point.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from backend.warehouse.models import Allocation, ClickAndCollectOption, Reservation, Stock


@dataclass(frozen=True)
class InsufficientStockItem:
    variant_id: int
    requested: int
    available: int


class InsufficientStock(Exception):
    def __init__(self, items: list[InsufficientStockItem]):
        self.items = items
        super().__init__(f"Insufficient stock for variants {[i.variant_id for i in items]}")


def _eligible_stocks(variant_ids, channel, collection_point=None):
    stocks = Stock.objects.filter(product_variant_id__in=variant_ids)
    if collection_point is not None:
        if collection_point.click_and_collect_option == ClickAndCollectOption.ALL_WAREHOUSES:
            return stocks.filter(warehouse__channels=channel)
        return stocks.filter(warehouse=collection_point)
    return stocks.filter(warehouse__channels=channel).exclude(
        warehouse__click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK
    )


def _reserved_by_others(stock_ids, exclude_checkout=None) -> dict[int, int]:
    """Units held by live reservations of other checkouts, per stock id.

    Run as its own statement after the rows are locked: under READ COMMITTED it then sees every
    reservation committed while this transaction waited for the lock (a subquery in the locking
    statement would read the snapshot taken before the wait)."""
    reservations = Reservation.objects.filter(
        stock_id__in=stock_ids, reserved_until__gt=timezone.now()
    )
    if exclude_checkout is not None:
        reservations = reservations.exclude(checkout_line__checkout=exclude_checkout)
    return dict(
        reservations.values_list("stock_id").annotate(total=Sum("quantity_reserved")).order_by()
    )


def _free(stocks, exclude_checkout=None) -> dict[int, int]:
    """Free units per stock id: quantity − allocated − reserved by other checkouts."""
    reserved = _reserved_by_others([stock.pk for stock in stocks], exclude_checkout)
    return {
        stock.pk: max(stock.quantity - stock.quantity_allocated - reserved.get(stock.pk, 0), 0)
        for stock in stocks
    }


def _locked_stocks(variant_ids, channel, collection_point=None) -> list[Stock]:
    """Lock the rows in primary-key order: every writer takes locks in the same order, so no two
    deadlock."""
    return list(
        _eligible_stocks(variant_ids, channel, collection_point)
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def available_quantities(
    variant_ids, channel, *, collection_point=None, exclude_checkout=None
) -> dict[int, int]:
    """Units each variant can still be sold in `channel` (0 for a variant without stock)."""
    stocks = list(_eligible_stocks(variant_ids, channel, collection_point))
    free = _free(stocks, exclude_checkout)
    totals = dict.fromkeys(variant_ids, 0)
    for stock in stocks:
        totals[stock.product_variant_id] += free[stock.pk]
    return totals


def _plan(requests, stocks, free) -> tuple[list[tuple], list[InsufficientStockItem]]:
    """Spread each (key, variant_id, quantity) request over the variant's stocks, fullest first.
    Returns [(key, stock, quantity)] and the requests that cannot be met."""
    by_variant = defaultdict(list)
    for stock in stocks:
        by_variant[stock.product_variant_id].append(stock)
    plan, missing = [], []
    needed_per_variant = defaultdict(int)
    for _key, variant_id, quantity in requests:
        needed_per_variant[variant_id] += quantity
    for variant_id, needed in needed_per_variant.items():
        available = sum(free[stock.pk] for stock in by_variant[variant_id])
        if available < needed:
            missing.append(InsufficientStockItem(variant_id, needed, available))
    if missing:
        return [], missing
    for key, variant_id, quantity in requests:
        remaining = quantity
        for stock in sorted(by_variant[variant_id], key=lambda s: (-free[s.pk], s.pk)):
            take = min(remaining, free[stock.pk])
            if take:
                plan.append((key, stock, take))
                free[stock.pk] -= take
                remaining -= take
            if not remaining:
                break
    return plan, []


def reservation_minutes() -> int:
    return settings.RESERVE_STOCK_MINUTES


@transaction.atomic
def reserve_stocks(checkout_lines, channel, *, collection_point=None) -> None:
    """Check that the lines' quantities can be sold and hold them for the checkout for
    RESERVE_STOCK_MINUTES (0 turns holding off: the check alone remains).

    Replaces the lines' earlier reservations. Raises InsufficientStock, holding nothing new.
    """
    lines = [line for line in checkout_lines if line.variant.track_inventory]
    if not lines:
        return
    checkout_id = lines[0].checkout_id
    Reservation.objects.filter(checkout_line__in=[line.pk for line in lines]).delete()
    stocks = _locked_stocks({line.variant_id for line in lines}, channel, collection_point)
    free = _free(stocks, exclude_checkout=checkout_id)
    requests = [(line, line.variant_id, line.quantity) for line in lines]
    plan, missing = _plan(requests, stocks, free)
    if missing:
        raise InsufficientStock(missing)
    minutes = reservation_minutes()
    if minutes <= 0:
        return
    until = timezone.now() + timedelta(minutes=minutes)
    Reservation.objects.bulk_create(
        Reservation(
            checkout_line=line, stock=stock, quantity_reserved=quantity, reserved_until=until
        )
        for line, stock, quantity in plan
    )


def release_checkout_reservations(checkout) -> None:
    Reservation.objects.filter(checkout_line__checkout=checkout).delete()


def delete_expired_reservations() -> int:
    deleted, _ = Reservation.objects.filter(reserved_until__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def allocate_stocks(order_lines, channel, *, collection_point=None, checkout=None) -> None:
    """Set stock aside for `order_lines` (OrderLine objects with `variant` and `quantity`).

    Runs inside the caller's transaction with the stock rows locked until it commits; the
    checkout's own reservations count as available to it. Raises InsufficientStock, allocating
    nothing.
    """
    lines = [line for line in order_lines if line.variant and line.variant.track_inventory]
    if not lines:
        return
    stocks = _locked_stocks({line.variant_id for line in lines}, channel, collection_point)
    free = _free(stocks, exclude_checkout=checkout)
    plan, missing = _plan([(line, line.variant_id, line.quantity) for line in lines], stocks, free)
    if missing:
        raise InsufficientStock(missing)
    Allocation.objects.bulk_create(
        Allocation(order_line=line, stock=stock, quantity_allocated=quantity)
        for line, stock, quantity in plan
    )
    per_stock = defaultdict(int)
    for _line, stock, quantity in plan:
        per_stock[stock.pk] += quantity
    for stock_id, quantity in per_stock.items():
        Stock.objects.filter(pk=stock_id).update(
            quantity_allocated=F("quantity_allocated") + quantity
        )
    if checkout is not None:
        release_checkout_reservations(checkout)
    stock_changed(per_stock)


@transaction.atomic
def deallocate_order_stocks(order) -> None:
    """Give back what an order's lines hold (a cancelled order)."""
    allocations = list(
        Allocation.objects.filter(order_line__order=order).select_related("stock").order_by("pk")
    )
    if not allocations:
        return
    stock_ids = sorted({allocation.stock_id for allocation in allocations})
    list(Stock.objects.select_for_update().filter(pk__in=stock_ids).order_by("pk"))
    per_stock = defaultdict(int)
    for allocation in allocations:
        per_stock[allocation.stock_id] += allocation.quantity_allocated
    for stock_id, quantity in per_stock.items():
        Stock.objects.filter(pk=stock_id).update(
            quantity_allocated=F("quantity_allocated") - quantity
        )
    Allocation.objects.filter(pk__in=[allocation.pk for allocation in allocations]).delete()
    stock_changed(per_stock)


@transaction.atomic
def fulfill_order_stocks(order, lines_quantities) -> list[tuple]:
    """Ship `(order_line, quantity)` pairs: the goods leave the warehouse, so both the stock's
    quantity and its allocation go down. Returns `(order_line, stock, quantity)` per stock used.
    Raises InsufficientStock when a line has fewer units allocated than asked for."""
    line_ids = [line.pk for line, _quantity in lines_quantities]
    allocations = defaultdict(list)
    for allocation in Allocation.objects.filter(order_line_id__in=line_ids).order_by("pk"):
        allocations[allocation.order_line_id].append(allocation)
    stock_ids = sorted({a.stock_id for items in allocations.values() for a in items})
    stocks = {
        stock.pk: stock
        for stock in Stock.objects.select_for_update().filter(pk__in=stock_ids).order_by("pk")
    }
    missing = []
    for line, quantity in lines_quantities:
        held = sum(a.quantity_allocated for a in allocations[line.pk])
        if line.variant_id and line.variant and line.variant.track_inventory and held < quantity:
            missing.append(InsufficientStockItem(line.variant_id, quantity, held))
    if missing:
        raise InsufficientStock(missing)
    used, per_stock = [], defaultdict(int)
    for line, quantity in lines_quantities:
        remaining = quantity
        for allocation in allocations[line.pk]:
            take = min(remaining, allocation.quantity_allocated)
            if not take:
                continue
            Allocation.objects.filter(pk=allocation.pk).update(
                quantity_allocated=F("quantity_allocated") - take
            )
            allocation.quantity_allocated -= take
            per_stock[allocation.stock_id] += take
            used.append((line, stocks[allocation.stock_id], take))
            remaining -= take
            if not remaining:
                break
    for stock_id, quantity in per_stock.items():
        Stock.objects.filter(pk=stock_id).update(
            quantity=F("quantity") - quantity, quantity_allocated=F("quantity_allocated") - quantity
        )
    Allocation.objects.filter(order_line_id__in=line_ids, quantity_allocated=0).delete()
    stock_changed(per_stock)
    return used


def stock_changed(changed_stock_ids) -> None:
    """Tell subscribed apps (STOCK_CHANGED) once the transaction commits."""
    stock_ids = sorted(changed_stock_ids)
    if not stock_ids:
        return
    from backend.webhook.events import trigger_webhook_event
    from backend.webhook.models import WebhookEventType
    from backend.webhook.payloads import stock_changed_payload

    trigger_webhook_event(
        WebhookEventType.STOCK_CHANGED,
        lambda: stock_changed_payload(Stock.objects.filter(pk__in=stock_ids)),
    )


def stock_levels_are_consistent() -> bool:
    """True when no stock is over-allocated or negative and every allocation total matches."""
    bad_rows = Stock.objects.filter(
        Q(quantity__lt=0) | Q(quantity_allocated__lt=0) | Q(quantity_allocated__gt=F("quantity"))
    ).exists()
    totals = dict(
        Allocation.objects.values_list("stock_id")
        .annotate(total=Sum("quantity_allocated"))
        .order_by()
    )
    mismatched = any(
        stock.quantity_allocated != totals.get(stock.pk, 0)
        for stock in Stock.objects.only("pk", "quantity_allocated")
    )
    return not bad_rows and not mismatched
