"""Raising webhook events: what the domain services call when something an app may care about
happened (an order placed or paid, a product edited, stock moved).

Nothing is sent inside the caller's transaction: once it commits, one EventDelivery row is
written per active webhook subscribed to the event and a Celery task delivers each (retried
with backoff, see backend.webhook.delivery). A rolled-back change therefore never reaches an app,
and the payload describes the committed state.
"""

import json
import logging
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from backend.webhook.delivery import queue_deliveries
from backend.webhook.models import EventDelivery, Webhook, WebhookEventType

logger = logging.getLogger(__name__)


def normalize_event_type(event_type: str) -> WebhookEventType:
    """`order_created`, `ORDER_CREATED` or the enum member itself."""
    return WebhookEventType(str(event_type).lower())


def subscribed_webhooks(event_type: WebhookEventType) -> list[Webhook]:
    # Few webhooks exist; filtering the JSON list in Python works on SQLite and PostgreSQL alike.
    return [
        webhook
        for webhook in Webhook.objects.filter(is_active=True)
        if event_type.value in (webhook.events or [])
    ]


def trigger_webhook_event(event_type: str, build_payload: Callable[[], dict]) -> None:
    """Deliver `build_payload()` to every active webhook subscribed to `event_type` once the
    current transaction commits (at once outside a transaction). The payload is built only when
    someone is subscribed."""
    event = normalize_event_type(event_type)
    transaction.on_commit(lambda: create_deliveries(event, build_payload))


def create_deliveries(event_type: WebhookEventType, build_payload) -> list[EventDelivery]:
    webhooks = subscribed_webhooks(event_type)
    if not webhooks:
        return []
    payload = json.dumps(build_payload(), cls=DjangoJSONEncoder, ensure_ascii=False)
    deliveries = EventDelivery.objects.bulk_create(
        EventDelivery(webhook=webhook, event_type=event_type.value, payload=payload)
        for webhook in webhooks
    )
    transaction.on_commit(lambda: queue_deliveries([delivery.pk for delivery in deliveries]))
    return deliveries


def product_updated(product_id: int) -> None:
    """PRODUCT_UPDATED, with the product as committed."""
    from backend.product.models import Product
    from backend.webhook.payloads import product_payload

    def build_payload():
        return product_payload(Product.objects.get(pk=product_id))

    trigger_webhook_event(WebhookEventType.PRODUCT_UPDATED, build_payload)
