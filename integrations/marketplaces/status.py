"""Where the sync stands, for the producer portal, the office console and the API: per account
(last push, what waits, what is parked, the oldest wait) and per mapped SKU. Every reader asks
here, in a fixed number of queries whatever the number of accounts or SKUs."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from integrations.marketplaces.models import (
    MarketplaceAccount,
    ReconciliationRun,
    SyncStatus,
    VariantMapping,
)


@dataclass(frozen=True)
class AccountStatus:
    account: MarketplaceAccount
    mapped: int
    synced: int
    waiting: int  # changes not yet on the marketplace (pending or retrying)
    parked: int
    last_push_at: datetime | None
    oldest_waiting_since: datetime | None
    last_reconciliation: ReconciliationRun | None

    @property
    def lag(self) -> timedelta | None:
        """How long the oldest change has waited to reach the marketplace (None: none waits)."""
        if self.oldest_waiting_since is None:
            return None
        return timezone.now() - self.oldest_waiting_since


def account_statuses(accounts) -> list[AccountStatus]:
    """The status of each account of the `accounts` queryset: three queries."""
    accounts = list(accounts.select_related("producer", "channel"))
    due = Q(mappings__stock_version__gt=F("mappings__pushed_version"))
    counts = {
        row["pk"]: row
        for row in MarketplaceAccount.objects.filter(pk__in=[a.pk for a in accounts])
        .values("pk")
        .annotate(
            mapped=Count("mappings"),
            synced=Count("mappings", filter=Q(mappings__stock_status=SyncStatus.SYNCED)),
            waiting=Count("mappings", filter=due & ~Q(mappings__stock_status=SyncStatus.PARKED)),
            parked=Count(
                "mappings",
                filter=Q(mappings__stock_status=SyncStatus.PARKED)
                | Q(mappings__price_status=SyncStatus.PARKED),
            ),
            last_push_at=Max("mappings__pushed_at"),
            oldest_waiting_since=Min(
                "mappings__changed_at", filter=due & ~Q(mappings__stock_status=SyncStatus.PARKED)
            ),
        )
    }
    latest = (
        ReconciliationRun.objects.filter(account__in=accounts)
        .values("account")
        .annotate(last=Max("pk"))
        .values("last")
    )
    runs = {run.account_id: run for run in ReconciliationRun.objects.filter(pk__in=latest)}
    statuses = []
    for account in accounts:
        row = counts.get(account.pk, {})
        statuses.append(
            AccountStatus(
                account=account,
                mapped=row.get("mapped", 0),
                synced=row.get("synced", 0),
                waiting=row.get("waiting", 0),
                parked=row.get("parked", 0),
                last_push_at=row.get("last_push_at"),
                oldest_waiting_since=row.get("oldest_waiting_since"),
                last_reconciliation=runs.get(account.pk),
            )
        )
    return statuses


def mapping_statuses(mappings):
    """Mapped SKUs with what a status table shows: the account, the variant and its product."""
    return mappings.select_related("account", "variant__product").order_by(
        "variant__product__name", "variant__sku", "account_id"
    )


def problems(mappings):
    """Parked SKUs first, then those retrying: what needs someone's eyes."""
    return mapping_statuses(
        mappings.filter(
            Q(stock_status__in=(SyncStatus.PARKED, SyncStatus.RETRYING))
            | Q(price_status=SyncStatus.PARKED)
        )
    )


def lag_of(mapping: VariantMapping) -> timedelta | None:
    """How long the mapping's latest change has waited, or waited before it went out."""
    if mapping.changed_at is None:
        return None
    if mapping.stock_version > mapping.pushed_version:
        return timezone.now() - mapping.changed_at
    if mapping.pushed_at is None:
        return None
    return max(mapping.pushed_at - mapping.changed_at, timedelta(0))
