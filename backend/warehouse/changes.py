"""The stock-change outbox: one `StockChange` row per stock row a write moved, in the write's
transaction, and a signal once it commits so consumers (webhooks; next, the marketplace sync)
can pick the rows up at once. A consumer that misses the signal — broker down, worker killed —
finds the rows on its periodic sweep, so no change is lost."""

import django.dispatch
from django.db import transaction

from backend.warehouse.models import Stock, StockChange

# Sent after the recording transaction commits, with `change_ids`.
stock_changes_recorded = django.dispatch.Signal()


def record_stock_changes(stock_ids, reason, *, known=(), changed_by=None) -> list[StockChange]:
    """Record a change of each stock in `stock_ids` with its current levels (taken from the
    `known` Stock objects the caller already holds, else read)."""
    stock_ids = sorted(set(stock_ids))
    if not stock_ids:
        return []
    stocks = {stock.pk: stock for stock in known if stock.pk in stock_ids}
    missing = [stock_id for stock_id in stock_ids if stock_id not in stocks]
    if missing:
        stocks.update(Stock.objects.in_bulk(missing))
    changes = StockChange.objects.bulk_create(
        StockChange(
            stock_id=stock.pk,
            variant_id=stock.product_variant_id,
            warehouse_id=stock.warehouse_id,
            reason=reason,
            quantity=stock.quantity,
            quantity_allocated=stock.quantity_allocated,
            changed_by=changed_by,
        )
        for stock in (stocks[stock_id] for stock_id in stock_ids if stock_id in stocks)
    )
    ids = [change.pk for change in changes]
    transaction.on_commit(lambda: stock_changes_recorded.send(sender=StockChange, change_ids=ids))
    return changes
