"""Marketplace orders in: each one holds our stock while open, takes it when shipped and frees
it when cancelled — through the same stock service as the shop's checkout, so no unit is sold
twice. News comes by signed webhook (then the order is read back from the API) or by polling;
it is applied once per order and in order (`remote_updated_at`), so duplicates and late news
change nothing. The stock changes it records go out to every other marketplace."""

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.warehouse.models import HolderKind, holder_key
from backend.warehouse.services import (
    InsufficientStock,
    hold_stock,
    release_holds,
    ship_held_stock,
)
from integrations.marketplaces.base import OrderState, RemoteOrder
from integrations.marketplaces.connection import session
from integrations.marketplaces.models import MarketplaceAccount, MarketplaceOrder, VariantMapping

# Orders are read again from a little before the last poll: an update landing while we read.
POLL_OVERLAP_SECONDS = 600
FIRST_POLL_DAYS = 15  # Shopee's widest time range


def order_holder(account_id: int, order_id: str) -> str:
    return holder_key(HolderKind.MARKETPLACE_ORDER, f"{account_id}.{order_id}")


def existing_order_holders(identifiers: set[str]) -> set[str]:
    """For the stock audit: which `<account>.<order>` holders are known orders."""
    wanted = {}
    for identifier in identifiers:
        account_id, _, order_id = identifier.partition(".")
        if account_id.isdigit():
            wanted.setdefault(int(account_id), set()).add(order_id)
    found = set()
    for account_id, order_ids in wanted.items():
        found.update(
            f"{account_id}.{order_id}"
            for order_id in MarketplaceOrder.objects.filter(
                account_id=account_id, order_id__in=order_ids
            ).values_list("order_id", flat=True)
        )
    return found


def _quantities(account, remote: RemoteOrder) -> tuple[dict[int, int], list[str]]:
    """{variant id: units} of the order's lines and the lines we have no mapping for."""
    mappings = VariantMapping.objects.filter(account=account)
    by_sku = {
        (item_id, sku_id): variant_id
        for item_id, sku_id, variant_id in mappings.filter(
            item_id__in={line.item_id for line in remote.lines}
        ).values_list("item_id", "sku_id", "variant_id")
    }
    quantities, unknown = {}, []
    for line in remote.lines:
        variant_id = by_sku.get((line.item_id, line.sku_id))
        if variant_id is None:
            unknown.append(line.seller_sku or f"{line.item_id}/{line.sku_id}")
            continue
        quantities[variant_id] = quantities.get(variant_id, 0) + line.quantity
    return quantities, unknown


def _hold(account, holder, quantities) -> str:
    """Hold the order's units; what we no longer have is held as far as it goes and named."""
    until = timezone.now() + timedelta(days=settings.MARKETPLACE_ORDER_HOLD_DAYS)
    try:
        hold_stock(holder, quantities, account.channel, until=until)
        return ""
    except InsufficientStock as short:
        available = {item.variant_id: item.available for item in short.items}
        clipped = {
            variant_id: min(quantity, available.get(variant_id, quantity))
            for variant_id, quantity in quantities.items()
        }
        try:  # what is left; a sale elsewhere in between leaves nothing held
            hold_stock(
                holder, {v: q for v, q in clipped.items() if q}, account.channel, until=until
            )
        except InsufficientStock:
            pass
        return "oversold: " + ", ".join(
            f"variant {item.variant_id} wanted {item.requested}, had {item.available}"
            for item in short.items
        )


@transaction.atomic
def apply_order(account: MarketplaceAccount, remote: RemoteOrder) -> MarketplaceOrder:
    order = (
        MarketplaceOrder.objects.select_for_update()
        .filter(account=account, order_id=remote.order_id)
        .first()
    )
    if order is not None and (
        order.remote_updated_at > remote.updated_at
        or order.state == OrderState.CANCELLED
        or (order.state == remote.state and order.status == remote.status)
    ):
        return order  # old, repeated or final news
    before = order.state if order is not None else None
    holder = order_holder(account.pk, remote.order_id)
    problems = [order.problem] if order is not None and order.problem else []
    if before is None and remote.state != OrderState.CANCELLED:
        quantities, unknown = _quantities(account, remote)
        if unknown:
            problems.append("not mapped: " + ", ".join(unknown))
        if quantities:
            problems.append(_hold(account, holder, quantities))
    if remote.state == OrderState.SHIPPED and before in (None, OrderState.OPEN):
        ship_held_stock(holder)
    elif remote.state == OrderState.CANCELLED and before == OrderState.OPEN:
        release_holds(holder)
    fields = {
        "status": remote.status,
        "state": remote.state if before != OrderState.SHIPPED else OrderState.SHIPPED,
        "remote_updated_at": remote.updated_at,
        "problem": "; ".join(problem for problem in problems if problem),
    }
    if order is None:
        return MarketplaceOrder.objects.create(
            account=account,
            order_id=remote.order_id,
            lines=[
                {
                    "item_id": line.item_id,
                    "sku_id": line.sku_id,
                    "seller_sku": line.seller_sku,
                    "quantity": line.quantity,
                }
                for line in remote.lines
            ],
            **fields,
        )
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=[*fields, "updated_at"])
    return order


def apply_orders(account, remotes) -> list[MarketplaceOrder]:
    return [
        apply_order(account, remote)
        for remote in sorted(remotes, key=lambda remote: remote.updated_at)
    ]


def receive_orders(account: MarketplaceAccount, order_ids: list[str]) -> list[MarketplaceOrder]:
    """What a webhook named, read back from the marketplace (the push itself carries too little
    to trust for stock) and applied."""
    with session(account, wait=30) as shop:
        remotes = shop.adapter.orders(order_ids)
    return apply_orders(account, remotes)


def poll_orders(account: MarketplaceAccount) -> list[MarketplaceOrder]:
    """The fallback for lost webhooks (and the only way in for Tiki): every order updated since
    the last poll."""
    started = int(time.time())
    since = account.orders_synced_until - POLL_OVERLAP_SECONDS
    since = max(since, started - FIRST_POLL_DAYS * 24 * 3600)
    with session(account, wait=30) as shop:
        remotes = shop.adapter.orders_updated_since(since)
    applied = apply_orders(account, remotes)
    MarketplaceAccount.objects.filter(pk=account.pk).update(orders_synced_until=started)
    return applied
