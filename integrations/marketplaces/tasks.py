"""Celery tasks of the marketplace sync: thin wrappers over sync, orders and listings. Every
push is triggered at once on commit (`queue_collect_stock_changes`) and found again by the
minute's `sweep` if the trigger was lost."""

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from kombu.exceptions import OperationalError

from integrations.marketplaces import listings, orders, sync
from integrations.marketplaces.connection import ShopBusy
from integrations.marketplaces.models import FILE_MARKETPLACES, MarketplaceAccount, SyncStatus

logger = logging.getLogger(__name__)

PUSH_ROUNDS = 5


def _push_accounts():
    return MarketplaceAccount.objects.filter(enabled=True).exclude(
        marketplace__in=FILE_MARKETPLACES
    )


def queue(task, *args) -> None:
    try:
        task.delay(*args)
    except OperationalError:  # broker down: the sweep does it
        logger.exception("Could not queue %s%s", task.name, args)


def queue_collect_stock_changes(sender, change_ids, **kwargs) -> None:
    """Receiver of `stock_changes_recorded` (after commit)."""
    queue(collect_stock_changes)


def queue_price_push(sender, instance, **kwargs) -> None:
    """Receiver of a variant price saved: the shops that map the variant push prices after
    commit (bulk writes without signals are found by the sweep)."""
    accounts = list(
        _push_accounts()
        .filter(channel_id=instance.channel_id, mappings__variant_id=instance.variant_id)
        .values_list("pk", flat=True)
    )
    for account_id in accounts:
        transaction.on_commit(lambda account_id=account_id: queue(push_account_prices, account_id))


@shared_task
def collect_stock_changes() -> list[int]:
    accounts = sorted(sync.collect_stock_changes())
    for account_id in accounts:
        queue(push_account_stock, account_id)
    return accounts


@shared_task
def push_account_stock(account_id: int) -> int:
    account = _push_accounts().filter(pk=account_id).first()
    if account is None:
        return 0
    taken = 0
    # A change that came in as the lease was let go found the shop busy: take it in the next
    # round. Changes that keep coming are the next trigger's (or the sweep's) to take.
    for _round in range(PUSH_ROUNDS):
        try:
            taken += sync.push_stock(account)
        except ShopBusy:
            break  # the worker holding the shop pushes these too
        if not sync.due_stock(account).exists():
            break
    return taken


@shared_task
def push_account_prices(account_id: int) -> int:
    account = _push_accounts().filter(pk=account_id).first()
    if account is None:
        return 0
    try:
        return sync.push_prices(account)
    except ShopBusy:
        return 0  # the sweep comes back in a minute


@shared_task
def sweep() -> dict:
    """Stock changes no trigger took, pushes due again (backoff over, worker lost) and prices
    changed by writes that sent no signal."""
    collected = sync.collect_stock_changes()
    due = set(collected)
    for account in _push_accounts():
        if account.pk not in due and sync.due_stock(account).exists():
            due.add(account.pk)
        if sync.price_drift(account):
            queue(push_account_prices, account.pk)
    for account_id in sorted(due):
        queue(push_account_stock, account_id)
    return {"accounts": sorted(due)}


@shared_task
def receive_webhook_orders(account_id: int, order_ids: list[str]) -> int:
    account = _push_accounts().filter(pk=account_id).first()
    if account is None:
        return 0
    return len(orders.receive_orders(account, order_ids))


@shared_task
def poll_account_orders(account_id: int) -> int:
    account = _push_accounts().filter(pk=account_id).first()
    if account is None:
        return 0
    try:
        return len(orders.poll_orders(account))
    except ShopBusy:
        return 0


@shared_task
def poll_orders() -> None:
    for account_id in _push_accounts().values_list("pk", flat=True):
        queue(poll_account_orders, account_id)


@shared_task
def reconcile_account(account_id: int) -> int:
    account = _push_accounts().filter(pk=account_id).first()
    if account is None:
        return 0
    run = listings.reconcile(account)
    if run.drifted:
        queue(push_account_stock, account_id)
    return run.drifted


@shared_task
def reconcile_all() -> None:
    for account_id in _push_accounts().values_list("pk", flat=True):
        queue(reconcile_account, account_id)


def send_parked_again(mappings) -> int:
    """The "send again" of the portal and the console: parked SKUs due again and their shops
    pushed now rather than at the next sweep. Returns how many SKUs go again."""
    parked = Q(stock_status=SyncStatus.PARKED) | Q(price_status=SyncStatus.PARKED)
    accounts = set(mappings.filter(parked).values_list("account_id", flat=True))
    retried = sync.retry_parked(mappings)
    for account_id in sorted(accounts):
        queue(push_account_stock, account_id)
        queue(push_account_prices, account_id)
    return retried
