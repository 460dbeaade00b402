"""Stock and prices out to the marketplaces: from the stock-change outbox to absolute pushes.

1. `collect_stock_changes()` takes the stock changes the sync has not seen (the outbox rows of
   backend.warehouse.changes) and bumps `stock_version` of every mapping of their variants: the
   rows of one (account, variant) coalesce into one pending push however many there were.
2. `push_stock(account)` sends each due mapping the variant's available quantity (the one
   availability rule, in the account's channel) minus the account's safety buffer, never below
   0. A failed SKU backs off with jitter and is parked after MARKETPLACE_MAX_ATTEMPTS tries, or
   at once when retrying cannot help; parked SKUs wait for `retry_parked`.
3. `push_prices(account)` sends prices that differ from what the marketplace was last told.

Nothing is marked done before the marketplace took it, so a worker or broker that dies loses
nothing: the beat sweep (`tasks.sweep`) finds what is still due.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from backend.product.models import ProductVariantChannelListing
from backend.warehouse.availability import available_quantities
from backend.warehouse.models import StockChange
from integrations.marketplaces.base import PricePush, PushResult, StockPush
from integrations.marketplaces.connection import session
from integrations.marketplaces.models import (
    FILE_MARKETPLACES,
    MarketplaceAccount,
    SyncStatus,
    VariantMapping,
)

OUTBOX_BATCH = 2000
PUSH_CHUNK = 500


# --- 1. outbox → mappings ----------------------------------------------------------------------
def collect_stock_changes() -> set[int]:
    """Take waiting stock changes; returns the ids of the accounts that now have pushes due."""
    accounts: set[int] = set()
    while True:
        with transaction.atomic():
            changes = list(
                StockChange.objects.filter(marketplaces_taken_at__isnull=True)
                # Not skip_locked: the webhook publisher locks the same rows, and a change
                # skipped here would wait for the minute's sweep. Waiting is short, and rows
                # another collector took meanwhile drop out when the lock is granted.
                .select_for_update()
                .order_by("pk")
                .values_list("pk", "variant_id")[:OUTBOX_BATCH]
            )
            if not changes:
                return accounts
            variant_ids = {variant_id for _pk, variant_id in changes}
            mappings = VariantMapping.objects.filter(
                variant_id__in=variant_ids, account__enabled=True
            ).exclude(account__marketplace__in=FILE_MARKETPLACES)
            accounts.update(mappings.values_list("account_id", flat=True).distinct())
            mark_stock_changed(mappings)
            StockChange.objects.filter(pk__in=[pk for pk, _variant in changes]).update(
                marketplaces_taken_at=timezone.now()
            )


def mark_stock_changed(mappings) -> int:
    """Make the mappings due for a push (parked and retrying ones keep their state: a parked
    SKU waits for someone to retry it, a retrying one for its next attempt)."""
    return mappings.update(
        stock_version=F("stock_version") + 1,
        changed_at=timezone.now(),
        stock_status=Case(
            When(stock_status=SyncStatus.SYNCED, then=Value(SyncStatus.PENDING)),
            default=F("stock_status"),
        ),
    )


# --- 2. stock pushes --------------------------------------------------------------------------
def due_stock(account: MarketplaceAccount):
    now = timezone.now()
    return (
        VariantMapping.objects.filter(account=account, stock_version__gt=F("pushed_version"))
        .exclude(stock_status=SyncStatus.PARKED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def push_stock(account: MarketplaceAccount) -> int:
    """Push every due mapping of the account; returns how many the marketplace took. Raises
    connection.ShopBusy when another worker is pushing this shop (it will see these too)."""
    if not account.enabled or not account.pushes:
        return 0
    taken = 0
    with session(account) as shop:
        while True:
            mappings = list(
                due_stock(account)
                .select_related("variant")
                .order_by("changed_at", "pk")[:PUSH_CHUNK]
            )
            if not mappings:
                return taken
            versions = {mapping.pk: mapping.stock_version for mapping in mappings}
            # Read after noting the versions: a change recorded meanwhile bumps the version
            # again, so this value is never the last word when it is stale.
            available = available_quantities(
                {mapping.variant_id for mapping in mappings}, account.channel_id
            )
            pushes = {}
            for mapping in mappings:
                quantity = sellable(mapping.variant, available, account.safety_buffer)
                pushes[mapping.pk] = StockPush(
                    item_id=mapping.item_id,
                    sku_id=mapping.sku_id,
                    seller_sku=mapping.seller_sku,
                    quantity=quantity,
                    warehouse_id=mapping.warehouse_id or account.extra.get("warehouse_id", ""),
                )
            by_push = {push: pk for pk, push in pushes.items()}
            results = shop.adapter.push_stock(list(pushes.values()))
            taken += _record_stock_results(
                [(by_push[result.push], result) for result in results], versions
            )
            shop.renew()


def sellable(variant, available: dict[int, int], buffer: int) -> int:
    """What a shop with `buffer` shows of `variant` (`available`: the availability rule's
    units per variant id): never below 0, a fixed figure for goods that track no stock."""
    if not variant.track_inventory:
        return max(settings.MARKETPLACE_UNTRACKED_QUANTITY - buffer, 0)
    return max(available.get(variant.pk, 0) - buffer, 0)


def _record_stock_results(results: list[tuple[int, PushResult]], versions) -> int:
    taken = [
        # only up to the version read: later changes stay due
        (pk, versions[pk], result.push.quantity)
        for pk, result in results
        if result.ok
    ]
    _set_pushed(taken)
    now = timezone.now()
    VariantMapping.objects.filter(pk__in=[pk for pk, _version, _quantity in taken]).update(
        pushed_at=now,
        attempts=0,
        next_attempt_at=None,
        last_error="",
        stock_status=Case(
            When(stock_version=F("pushed_version"), then=Value(SyncStatus.SYNCED)),
            default=Value(SyncStatus.PENDING),
        ),
    )
    for pk, result in results:
        if not result.ok:
            _record_failure(pk, result, now)
    return len(taken)


def _set_pushed(rows: list[tuple[int, int, int]]) -> None:
    """pushed_version and pushed_quantity of each (pk, version, quantity), in one statement.
    (bulk_update builds a CASE branch per row and field: about a second of CPU for a chunk of
    500, the bulk of a full push's time.) VALUES columns are column1… on PostgreSQL and SQLite."""
    if not rows:
        return
    table = VariantMapping._meta.db_table
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET pushed_version = v.column2, pushed_quantity = v.column3 "
            f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
            [value for row in rows for value in row],
        )


def _record_failure(pk: int, result: PushResult, now) -> None:
    mapping = VariantMapping.objects.only("attempts").get(pk=pk)
    attempts = mapping.attempts + 1
    parked = not result.retryable or attempts >= settings.MARKETPLACE_MAX_ATTEMPTS
    VariantMapping.objects.filter(pk=pk).update(
        attempts=attempts,
        last_error=result.error[:1000],
        stock_status=SyncStatus.PARKED if parked else SyncStatus.RETRYING,
        next_attempt_at=None if parked else now + backoff(attempts),
    )


def backoff(attempts: int) -> timedelta:
    """Exponential with full jitter: somewhere in [base, base·2^(n−1)], capped."""
    ceiling = min(
        settings.MARKETPLACE_BACKOFF_SECONDS * 2 ** (attempts - 1),
        settings.MARKETPLACE_BACKOFF_MAX_SECONDS,
    )
    return timedelta(seconds=random.uniform(settings.MARKETPLACE_BACKOFF_SECONDS, ceiling))


def retry_parked(mappings) -> int:
    """The office's or producer's "retry": parked SKUs are due again now, their count reset
    (a parked price goes again with the next price push). Returns how many SKUs go again."""
    prices = mappings.filter(price_status=SyncStatus.PARKED).update(
        price_status=SyncStatus.PENDING, price_error=""
    )
    return prices + mappings.filter(stock_status=SyncStatus.PARKED).update(
        stock_status=SyncStatus.PENDING,
        attempts=0,
        next_attempt_at=None,
        stock_version=F("stock_version") + 1,
        changed_at=timezone.now(),
    )


# --- 3. prices --------------------------------------------------------------------------------
def price_drift(account: MarketplaceAccount) -> list[tuple[VariantMapping, int]]:
    """Mappings whose channel price differs from the last price the marketplace took."""
    prices = dict(
        ProductVariantChannelListing.objects.filter(
            channel_id=account.channel_id,
            variant__marketplace_mappings__account=account,
            price_amount__isnull=False,
        ).values_list("variant_id", "price_amount")
    )
    mappings = VariantMapping.objects.filter(account=account, variant_id__in=prices).exclude(
        price_status=SyncStatus.PARKED
    )
    return [
        (mapping, prices[mapping.variant_id])
        for mapping in mappings
        if mapping.pushed_price != prices[mapping.variant_id]
    ]


def push_prices(account: MarketplaceAccount) -> int:
    if not account.enabled or not account.pushes:
        return 0
    drift = price_drift(account)
    if not drift:
        return 0
    with session(account) as shop:
        pushes = {
            mapping.pk: PricePush(mapping.item_id, mapping.sku_id, mapping.seller_sku, price)
            for mapping, price in drift
        }
        by_push = {push: pk for pk, push in pushes.items()}
        results = shop.adapter.push_prices(list(pushes.values()))
    now = timezone.now()
    for result in results:
        pk = by_push[result.push]
        if result.ok:
            VariantMapping.objects.filter(pk=pk).update(
                pushed_price=result.push.price,
                price_pushed_at=now,
                price_status=SyncStatus.SYNCED,
                price_error="",
            )
        else:
            VariantMapping.objects.filter(pk=pk).update(
                price_status=SyncStatus.RETRYING if result.retryable else SyncStatus.PARKED,
                price_error=result.error[:1000],
            )
    return sum(result.ok for result in results)
