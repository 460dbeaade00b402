"""Delivering webhook payloads over HTTP, with retries and exponential backoff.

A delivery succeeds on any 2xx answer. Otherwise (error status, timeout, refused connection)
the task retries after 10 s, 20 s, 40 s… up to settings.WEBHOOK_MAX_RETRIES retries, then the
delivery is marked failed. Each attempt is counted and its outcome kept on the EventDelivery.
Run eagerly (no broker) the retries follow one another at once.

Nothing waits on a single message: each delivery records when it should next be tried, and
`sweep_webhooks` (every minute) queues again the pending ones well past it — a worker killed
mid-delivery or a broker that lost the message — and takes stock changes no signal reached.
"""

import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from backend.webhook.models import DeliveryStatus, EventDelivery
from backend.webhook.signatures import sign_payload

RETRY_BASE_SECONDS = 10
RETRY_MAX_SECONDS = 3600
RESPONSE_KEPT_CHARS = 1000
logger = logging.getLogger(__name__)


def retry_countdown(attempts: int) -> int:
    return min(RETRY_BASE_SECONDS * 2 ** (attempts - 1), RETRY_MAX_SECONDS)


def delivery_headers(delivery: EventDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "Saleor-Event": delivery.event_type,
        "Saleor-Domain": urlsplit(settings.PUBLIC_URL).netloc,
        "Saleor-Api-Url": f"{settings.PUBLIC_URL.rstrip('/')}/graphql/",
        "Saleor-Signature": sign_payload(body, delivery.webhook.secret_key),
    }


def send_delivery(delivery: EventDelivery) -> tuple[bool, str]:
    """POST the payload once; (succeeded, what the receiver answered or what went wrong)."""
    body = delivery.payload.encode()
    request = urllib.request.Request(
        delivery.webhook.target_url,
        data=body,
        headers=delivery_headers(delivery, body),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            text = response.read(RESPONSE_KEPT_CHARS).decode(errors="replace")
            return 200 <= response.status < 300, f"HTTP {response.status}: {text}"
    except urllib.error.HTTPError as error:
        text = error.read(RESPONSE_KEPT_CHARS).decode(errors="replace")
        return False, f"HTTP {error.code}: {text}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return False, f"{type(error).__name__}: {error}"


def attempt_delivery(delivery: EventDelivery) -> str:
    """One HTTP attempt; records it and returns the delivery's new status (PENDING while
    retries remain)."""
    # Should this worker die mid-attempt, the sweep takes the delivery up after this.
    EventDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now()
        + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + settings.WEBHOOK_SWEEP_GRACE_SECONDS)
    )
    succeeded, response = send_delivery(delivery)
    delivery.attempts += 1
    delivery.last_response = response[:RESPONSE_KEPT_CHARS]
    if succeeded:
        delivery.status = DeliveryStatus.SUCCESS
    elif delivery.attempts - 1 >= settings.WEBHOOK_MAX_RETRIES:
        delivery.status = DeliveryStatus.FAILED
    delivery.next_attempt_at = timezone.now() + timedelta(
        seconds=retry_countdown(delivery.attempts)
    )
    delivery.save(
        update_fields=["status", "attempts", "last_response", "next_attempt_at", "updated_at"]
    )
    return delivery.status


@shared_task(
    name="backend.webhook.tasks.deliver_webhook", bind=True, max_retries=None, acks_late=True
)
def deliver_webhook(self, delivery_id: int) -> str:
    """Send one EventDelivery; returns its status.

    On a worker a failed attempt is retried by Celery after `retry_countdown`. Run eagerly
    (no broker) there is no queue to wait in, so the retries follow at once, still bounded by
    WEBHOOK_MAX_RETRIES."""
    delivery = EventDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"
    if not delivery.webhook.is_active:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_response = "Webhook deactivated."
        delivery.save(update_fields=["status", "last_response", "updated_at"])
        return delivery.status
    status = attempt_delivery(delivery)
    while status == DeliveryStatus.PENDING and self.request.is_eager:
        status = attempt_delivery(delivery)
    if status == DeliveryStatus.PENDING:
        raise self.retry(countdown=retry_countdown(delivery.attempts))
    return status


def queue_deliveries(delivery_ids) -> None:
    """Hand deliveries to the workers; one the broker refuses waits for the sweep
    (`backend.webhook.tasks.sweep_webhooks`)."""
    for delivery_id in delivery_ids:
        try:
            deliver_webhook.delay(delivery_id)
        except OperationalError:  # a broker outage must not fail the request behind the event
            logger.exception("Could not queue webhook delivery %s", delivery_id)
