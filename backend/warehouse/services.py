"""The one stock service every sales channel uses: the shop's checkouts, livestream quotas and
marketplace orders all hold, allocate and release stock here, so nothing is sold twice.

What can be sold is `backend.warehouse.availability`'s rule. Every write locks the stock rows it
reads (`SELECT … FOR UPDATE`), always in primary-key order so two writers locking the same rows
cannot deadlock; the database's check constraints (`quantity_allocated <= quantity`, both >= 0)
are the last line of defence. Every write also records, in its transaction, one `StockChange`
per stock row it moved (the outbox webhooks and the marketplace sync read).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from backend.warehouse.availability import (
    free_units,
    held_by_others,
    holds_for_allocation,
    selling_stocks,
)
from backend.warehouse.changes import record_stock_changes
from backend.warehouse.models import (
    Allocation,
    HolderKind,
    Reservation,
    Stock,
    StockChangeReason,
    holder_key,
    live_holds,
)


@dataclass(frozen=True)
class InsufficientStockItem:
    variant_id: int
    requested: int
    available: int


class InsufficientStock(Exception):
    def __init__(self, items: list[InsufficientStockItem]):
        self.items = items
        super().__init__(f"Insufficient stock for variants {[i.variant_id for i in items]}")


class StockBelowAllocated(Exception):
    """A stock quantity set below what orders already hold (`index` into the request)."""

    def __init__(self, index: int, stock: Stock):
        self.index, self.stock = index, stock
        super().__init__(f"Stock {stock.pk} has {stock.quantity_allocated} allocated")


def _locked_stocks(variant_ids, channel, collection_point=None) -> list[Stock]:
    """Lock the rows in primary-key order: every writer takes locks in the same order, so no two
    deadlock."""
    return list(
        selling_stocks(channel, collection_point=collection_point)
        .filter(product_variant_id__in=variant_ids)
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def _lock(stock_ids) -> dict[int, Stock]:
    return {
        stock.pk: stock
        for stock in Stock.objects.select_for_update()
        .filter(pk__in=sorted(stock_ids))
        .order_by("pk")
    }


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


def _replace_holds(holder, requests, channel, collection_point, until, previous) -> None:
    """Lock, check and hold `(checkout line or None, variant id, quantity)` requests for
    `holder` until `until` (only check when None), replacing the `previous` holds."""
    old = sorted(previous.values_list("stock_id", "quantity_reserved"))
    variant_ids = {variant_id for _line, variant_id, _quantity in requests}
    stocks = _locked_stocks(variant_ids, channel, collection_point)
    previous.delete()
    plan, missing = _plan(requests, stocks, free_units(stocks, exclude_holder=holder))
    if missing:
        raise InsufficientStock(missing)
    if until is not None:
        Reservation.objects.bulk_create(
            Reservation(
                holder=holder,
                checkout_line=line,
                stock=stock,
                quantity_reserved=quantity,
                reserved_until=until,
            )
            for line, stock, quantity in plan
        )
    new = sorted((stock.pk, quantity) for _, stock, quantity in plan) if until else []
    if new != old:  # a renewed hold of the same units changes nothing anyone can buy
        changed = {stock_id for stock_id, _ in old} | {stock_id for stock_id, _ in new}
        record_stock_changes(changed, StockChangeReason.HELD, known=stocks)


def _hold_until(minutes: int | None = None) -> datetime | None:
    minutes = reservation_minutes() if minutes is None else minutes
    return timezone.now() + timedelta(minutes=minutes) if minutes > 0 else None


@transaction.atomic
def reserve_stocks(
    checkout_lines, channel, *, collection_point=None, until: datetime | None = None
) -> None:
    """Check that the lines' quantities can be sold and hold them for their checkout until
    `until` (a payment's lifetime), by default for RESERVE_STOCK_MINUTES (0 turns the default
    holding off: the check alone remains).

    Replaces the lines' earlier holds. Raises InsufficientStock, holding nothing new. Lines a
    livestream's quota hold covers (`CheckoutLine.held_by_event`) are left to that hold.
    """
    lines = [
        line for line in checkout_lines if line.variant.track_inventory and not line.held_by_event
    ]
    if not lines:
        return
    _replace_holds(
        holder_key(HolderKind.CHECKOUT, lines[0].checkout_id),
        [(line, line.variant_id, line.quantity) for line in lines],
        channel,
        collection_point,
        until or _hold_until(),
        Reservation.objects.filter(checkout_line__in=[line.pk for line in lines]),
    )


@transaction.atomic
def hold_stock(holder: str, quantities: dict[int, int], channel, *, until: datetime) -> None:
    """Hold `{variant id: quantity}` of shippable stock for a holder other than a checkout (a
    livestream quota, a marketplace order awaiting payment) until `until`, replacing its
    earlier holds. Raises InsufficientStock, holding nothing new."""
    _replace_holds(
        holder,
        [(None, variant_id, quantity) for variant_id, quantity in quantities.items()],
        channel,
        None,
        until,
        Reservation.objects.filter(holder=holder),
    )


def _delete_holds(holds, reason: StockChangeReason) -> int:
    stock_ids = set(holds.values_list("stock_id", flat=True))
    deleted, _ = holds.delete()
    if deleted:
        record_stock_changes(stock_ids, reason)
    return deleted


@transaction.atomic
def release_holds(holder: str) -> int:
    return _delete_holds(Reservation.objects.filter(holder=holder), StockChangeReason.HOLD_RELEASED)


@transaction.atomic
def ship_held_stock(holder: str) -> int:
    """The goods a holder held have left the warehouse (a marketplace order shipped by the
    marketplace's own flow): each hold's units come off the stock's quantity and the holds go.
    Units the shelf no longer has (counted down by hand meanwhile) are not taken twice. Returns
    the units taken."""
    holds = list(Reservation.objects.filter(holder=holder).order_by("stock_id"))
    if not holds:
        return 0
    stocks = _lock({hold.stock_id for hold in holds})
    taken = defaultdict(int)
    for hold in holds:
        stock = stocks[hold.stock_id]
        take = min(hold.quantity_reserved, stock.quantity - stock.quantity_allocated)
        if take > 0:
            stock.quantity -= take
            taken[stock.pk] += take
    for stock_id, quantity in taken.items():
        Stock.objects.filter(pk=stock_id).update(quantity=F("quantity") - quantity)
    Reservation.objects.filter(pk__in=[hold.pk for hold in holds]).delete()
    record_stock_changes(
        {hold.stock_id for hold in holds}, StockChangeReason.FULFILLED, known=stocks.values()
    )
    return sum(taken.values())


def release_checkout_reservations(checkout) -> int:
    return release_holds(holder_key(HolderKind.CHECKOUT, checkout.pk))


@transaction.atomic
def delete_expired_reservations() -> int:
    """Remove expired holds (they already count for nothing) and record the stock they free."""
    expired = Reservation.objects.filter(reserved_until__lte=timezone.now())
    return _delete_holds(
        Reservation.objects.filter(pk__in=list(expired.values_list("pk", flat=True))),
        StockChangeReason.HOLD_EXPIRED,
    )


def allocate_stocks(
    order_lines, channel, *, collection_point=None, holder=None, consume_holds=False
) -> None:
    """Set stock aside for `order_lines` (OrderLine objects with `variant` and `quantity`).

    Runs inside the caller's transaction with the stock rows locked until it commits; the
    holder's own holds count as available to it, and are released (all of them, with one
    StockChange per stock they were on). With `consume_holds` the lines are allocated out of
    the holder's live holds only (a livestream's quota), which shrink by what is allocated and
    are otherwise kept. Raises InsufficientStock, allocating nothing.
    """
    if consume_holds and holder is None:
        raise ValueError("consume_holds needs a holder")
    lines = [line for line in order_lines if line.variant and line.variant.track_inventory]
    if not lines and (holder is None or consume_holds):
        return
    # No savepoint of its own (a caller completing a checkout rolls everything back on any
    # error): InsufficientStock is raised after the block, having written nothing, so a caller
    # may still catch it and go on in its transaction.
    with transaction.atomic(savepoint=False):
        if consume_holds:
            missing = _allocate_from_holds(lines, channel, collection_point, holder)
        else:
            missing = _allocate(lines, channel, collection_point, holder)
    if missing:
        raise InsufficientStock(missing)


def _allocate(lines, channel, collection_point, holder) -> list[InsufficientStockItem]:
    """A fixed number of statements whatever the number of lines and stocks: lock, read the
    holds, insert the allocations, update the stocks, release the holder's holds, record."""
    stocks = (
        _locked_stocks({line.variant_id for line in lines}, channel, collection_point)
        if lines
        else []
    )
    stock_ids = [stock.pk for stock in stocks]
    if holder is None:
        held, holding = held_by_others(stock_ids), set()
    else:
        held, holding = holds_for_allocation(stock_ids, holder)
    plan, missing = _plan(
        [(line, line.variant_id, line.quantity) for line in lines],
        stocks,
        free_units(stocks, held=held),
    )
    if missing:
        return missing
    per_stock = _write_allocations(plan, stocks)
    if holding:
        Reservation.objects.filter(holder=holder).delete()
    record_stock_changes(set(per_stock) | holding, StockChangeReason.ALLOCATED, known=stocks)
    return []


def _allocate_from_holds(lines, channel, collection_point, holder) -> list[InsufficientStockItem]:
    """Allocate out of `holder`'s live holds only, shrinking them by what is allocated (a hold
    that reaches zero goes); a fixed number of statements."""
    stocks = _locked_stocks({line.variant_id for line in lines}, channel, collection_point)
    stock_ids = [stock.pk for stock in stocks]
    own_holds = list(
        live_holds()
        .filter(holder=holder, stock_id__in=stock_ids)
        .order_by("pk")
        .values_list("pk", "stock_id", "quantity_reserved")
    )
    own = defaultdict(int)
    for _pk, stock_id, quantity in own_holds:
        own[stock_id] += quantity
    free = free_units(stocks, held=held_by_others(stock_ids, exclude_holder=holder))
    plan, missing = _plan(
        [(line, line.variant_id, line.quantity) for line in lines],
        stocks,
        {stock_id: min(units, own[stock_id]) for stock_id, units in free.items()},
    )
    if missing:
        return missing
    per_stock = _write_allocations(plan, stocks)
    left = dict(per_stock)
    shrunk, emptied = {}, []
    for pk, stock_id, quantity in own_holds:
        take = min(left.get(stock_id, 0), quantity)
        if not take:
            continue
        left[stock_id] -= take
        if take == quantity:
            emptied.append(pk)
        else:
            shrunk[pk] = quantity - take
    if emptied:
        Reservation.objects.filter(pk__in=emptied).delete()
    if shrunk:
        Reservation.objects.filter(pk__in=sorted(shrunk)).update(
            quantity_reserved=Case(
                *(When(pk=pk, then=Value(quantity)) for pk, quantity in shrunk.items()),
                output_field=IntegerField(),
            )
        )
    record_stock_changes(set(per_stock), StockChangeReason.ALLOCATED, known=stocks)
    return []


def _write_allocations(plan, stocks) -> dict[int, int]:
    """Insert the plan's allocations and raise the stocks' allocated quantities (also on the
    loaded `stocks`). Returns the units allocated per stock id."""
    Allocation.objects.bulk_create(
        Allocation(order_line=line, stock=stock, quantity_allocated=quantity)
        for line, stock, quantity in plan
    )
    per_stock = defaultdict(int)
    for _line, stock, quantity in plan:
        per_stock[stock.pk] += quantity
    if per_stock:
        Stock.objects.filter(pk__in=sorted(per_stock)).update(
            quantity_allocated=F("quantity_allocated")
            + Case(
                *(When(pk=pk, then=Value(quantity)) for pk, quantity in per_stock.items()),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    by_pk = {stock.pk: stock for stock in stocks}
    for stock_id, quantity in per_stock.items():
        by_pk[stock_id].quantity_allocated += quantity
    return per_stock


@transaction.atomic
def deallocate_order_stocks(order) -> None:
    """Give back what an order's lines hold (a cancelled order)."""
    allocations = list(Allocation.objects.filter(order_line__order=order).order_by("pk"))
    if not allocations:
        return
    stocks = _lock({allocation.stock_id for allocation in allocations})
    per_stock = defaultdict(int)
    for allocation in allocations:
        per_stock[allocation.stock_id] += allocation.quantity_allocated
    for stock_id, quantity in per_stock.items():
        Stock.objects.filter(pk=stock_id).update(
            quantity_allocated=F("quantity_allocated") - quantity
        )
        stocks[stock_id].quantity_allocated -= quantity
    Allocation.objects.filter(pk__in=[allocation.pk for allocation in allocations]).delete()
    record_stock_changes(per_stock, StockChangeReason.DEALLOCATED, known=stocks.values())


@transaction.atomic
def fulfill_order_stocks(order, lines_quantities) -> list[tuple]:
    """Ship `(order_line, quantity)` pairs: the goods leave the warehouse, so both the stock's
    quantity and its allocation go down. Returns `(order_line, stock, quantity)` per stock used.
    Raises InsufficientStock when a line has fewer units allocated than asked for."""
    line_ids = [line.pk for line, _quantity in lines_quantities]
    allocations = defaultdict(list)
    for allocation in Allocation.objects.filter(order_line_id__in=line_ids).order_by("pk"):
        allocations[allocation.order_line_id].append(allocation)
    stocks = _lock({a.stock_id for items in allocations.values() for a in items})
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
        stocks[stock_id].quantity -= quantity
        stocks[stock_id].quantity_allocated -= quantity
    Allocation.objects.filter(order_line_id__in=line_ids, quantity_allocated=0).delete()
    record_stock_changes(per_stock, StockChangeReason.FULFILLED, known=stocks.values())
    return used


@transaction.atomic
def set_stock_quantities(variant, quantities, *, changed_by=None) -> list[Stock]:
    """Set absolute quantities `[(warehouse, quantity)]` of a variant (a producer counting its
    shelves, the office correcting a figure). A quantity below what orders already hold is
    refused with StockBelowAllocated, changing nothing."""
    existing = {
        stock.warehouse_id: stock
        for stock in Stock.objects.select_for_update()
        .filter(product_variant=variant, warehouse_id__in=[w.pk for w, _ in quantities])
        .order_by("pk")
    }
    result, changed = [], []
    for index, (warehouse, quantity) in enumerate(quantities):
        stock = existing.get(warehouse.pk) or Stock(warehouse=warehouse, product_variant=variant)
        if quantity < stock.quantity_allocated:
            raise StockBelowAllocated(index, stock)
        if stock.pk is None or stock.quantity != quantity:
            stock.quantity = quantity
            stock.save()
            changed.append(stock)
        result.append(stock)
    record_stock_changes(
        [stock.pk for stock in changed],
        StockChangeReason.QUANTITY_SET,
        known=changed,
        changed_by=changed_by,
    )
    return result
