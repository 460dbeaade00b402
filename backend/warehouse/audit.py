"""Checking the stock invariants, as an inventory audit would (`manage.py audit_stock`): every
row within bounds, allocations adding up to `quantity_allocated`, every hold owned, and the
change outbox drained by its consumers."""

from collections.abc import Callable
from datetime import timedelta

from django.db.models import F, Q, Sum
from django.utils import timezone

from backend.warehouse.models import Allocation, HolderKind, Reservation, Stock, StockChange

# How long a recorded change may wait for the webhook sender before it counts as stuck.
OUTBOX_GRACE = timedelta(minutes=10)

# `kind -> function(identifiers) -> the identifiers whose owner exists`, registered by the apps
# that own holds of that kind (a checkout's holds are owned through their line's foreign key).
_holder_checks: dict[str, Callable[[set[str]], set[str]]] = {}


def register_holder_kind(kind: HolderKind, existing: Callable[[set[str]], set[str]]) -> None:
    _holder_checks[kind.value] = existing


def _bounds_problems() -> list[str]:
    bad = Stock.objects.filter(
        Q(quantity__lt=0) | Q(quantity_allocated__lt=0) | Q(quantity_allocated__gt=F("quantity"))
    )
    return [f"stock {s.pk}: quantity {s.quantity}, allocated {s.quantity_allocated}" for s in bad]


def _allocation_problems() -> list[str]:
    totals = dict(
        Allocation.objects.values_list("stock_id")
        .annotate(total=Sum("quantity_allocated"))
        .order_by()
    )
    return [
        f"stock {stock.pk}: allocated {stock.quantity_allocated}, "
        f"allocations add up to {totals.get(stock.pk, 0)}"
        for stock in Stock.objects.only("pk", "quantity_allocated").order_by("pk")
        if stock.quantity_allocated != totals.get(stock.pk, 0)
    ]


def _hold_problems() -> list[str]:
    problems = [
        f"hold {pk} of {holder}: a checkout hold without its line"
        for pk, holder in Reservation.objects.filter(
            holder__startswith=f"{HolderKind.CHECKOUT.value}:", checkout_line__isnull=True
        ).values_list("pk", "holder")
    ]
    others = Reservation.objects.exclude(holder__startswith=f"{HolderKind.CHECKOUT.value}:")
    by_kind: dict[str, set[str]] = {}
    for holder in others.values_list("holder", flat=True).distinct():
        kind, _, identifier = holder.partition(":")
        by_kind.setdefault(kind, set()).add(identifier)
    for kind, identifiers in sorted(by_kind.items()):
        check = _holder_checks.get(kind)
        owned = check(identifiers) if check else set()
        problems += [
            f"holds of {kind}:{identifier}: no such owner"
            for identifier in sorted(identifiers - owned)
        ]
    return problems


def _outbox_problems() -> list[str]:
    stuck = StockChange.objects.filter(
        webhook_sent_at__isnull=True, created_at__lt=timezone.now() - OUTBOX_GRACE
    ).count()
    return [f"{stuck} stock changes not taken by the webhook sender"] if stuck else []


def audit_stock() -> list[str]:
    """Every inconsistency found, as a line of text; empty when all holds."""
    return _bounds_problems() + _allocation_problems() + _hold_problems() + _outbox_problems()


def stock_levels_are_consistent() -> bool:
    """No stock row out of bounds and every allocation total matching."""
    return not _bounds_problems() and not _allocation_problems()
