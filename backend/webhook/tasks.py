"""Periodic and on-commit webhook work: STOCK_CHANGED from the stock-change outbox, and the
sweep that makes sure nothing waits forever on a lost message (see backend.webhook.delivery)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from backend.webhook.delivery import queue_deliveries
from backend.webhook.models import DeliveryStatus, EventDelivery
from backend.webhook.stock import publish_stock_changes

logger = logging.getLogger(__name__)


@shared_task
def publish_stock_changes_task() -> int:
    return publish_stock_changes()


def queue_stock_changes(sender, change_ids, **kwargs) -> None:
    """Receiver of `stock_changes_recorded`: publish at once on a worker; with the broker down
    the sweep does it."""
    try:
        publish_stock_changes_task.delay()
    except OperationalError:
        logger.exception("Could not queue stock changes %s", change_ids)


@shared_task
def sweep_webhooks() -> dict:
    """Queue again the pending deliveries whose worker or message was lost, and publish stock
    changes no signal reached."""
    overdue = timezone.now() - timedelta(seconds=settings.WEBHOOK_SWEEP_GRACE_SECONDS)
    lost = list(
        EventDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lt=overdue
        ).values_list("pk", flat=True)
    )
    queue_deliveries(lost)
    return {"requeued": len(lost), "stock_changes": publish_stock_changes()}
