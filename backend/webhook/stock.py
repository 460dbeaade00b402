"""STOCK_CHANGED from the stock-change outbox (backend.warehouse.changes): the recorded changes
no webhook has taken yet become one delivery per subscribed webhook, in the same transaction
that marks them taken, so each change is sent once even with several workers sweeping."""

from django.db import transaction
from django.utils import timezone

from backend.warehouse.models import Stock, StockChange
from backend.webhook.events import create_deliveries
from backend.webhook.models import WebhookEventType
from backend.webhook.payloads import stock_changed_payload

BATCH = 500


def publish_stock_changes() -> int:
    """Turn waiting stock changes into STOCK_CHANGED deliveries; returns how many were taken."""
    taken = 0
    while True:
        with transaction.atomic():
            changes = list(
                StockChange.objects.filter(webhook_sent_at__isnull=True)
                # Wait, don't skip: the marketplace sync locks the same rows for a moment, and a
                # skipped row would wait for the next sweep. Rows another publisher took meanwhile
                # drop out once the lock is granted (PostgreSQL re-checks the condition).
                .select_for_update()
                .order_by("pk")[:BATCH]
            )
            if not changes:
                return taken
            stock_ids = sorted({change.stock_id for change in changes if change.stock_id})
            if stock_ids:
                create_deliveries(
                    WebhookEventType.STOCK_CHANGED,
                    lambda ids=stock_ids: stock_changed_payload(Stock.objects.filter(pk__in=ids)),
                )
            StockChange.objects.filter(pk__in=[change.pk for change in changes]).update(
                webhook_sent_at=timezone.now()
            )
            taken += len(changes)
