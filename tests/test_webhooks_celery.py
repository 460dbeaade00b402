"""Webhook delivery through a real Celery worker consuming from Redis: the first attempt fails,
Celery retries after the countdown and the second attempt is delivered."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from backend.celery import app as celery_app
from backend.webhook import delivery as tasks
from backend.webhook.events import trigger_webhook_event
from backend.webhook.models import DeliveryStatus, EventDelivery, Webhook
from tests.webhook_receiver import WebhookReceiver, wait_for

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL) as the Celery broker"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_retries_with_countdown_until_delivered(monkeypatch):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks, "RETRY_BASE_SECONDS", 1)
    receiver = WebhookReceiver(secret="s", fail_next=1).start()
    celery_app.control.purge()
    try:
        Webhook.objects.create(
            name="ERP", target_url=receiver.url, secret_key="s", events=["stock_changed"]
        )
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            started = time.monotonic()
            trigger_webhook_event("STOCK_CHANGED", lambda: {"stocks": []})
            assert wait_for(
                lambda: EventDelivery.objects.filter(status=DeliveryStatus.SUCCESS).exists(), 30
            )
            elapsed = time.monotonic() - started
    finally:
        receiver.stop()

    delivery = EventDelivery.objects.get()
    assert delivery.attempts == 2
    assert receiver.attempts == 2
    assert [r.payload for r in receiver.accepted] == [{"stocks": []}]
    assert elapsed >= 1  # the retry waited for its countdown
