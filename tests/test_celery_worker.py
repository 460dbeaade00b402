"""After an order is placed, a real Celery worker on Redis (as in production, not eager) sends the
Vietnamese confirmation email and delivers the signed ORDER_CREATED webhook.

The worker is a separate process reading the test database, so the test commits for real."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from backend.celery import app as celery_app
from backend.checkout.complete_checkout import complete_checkout
from backend.webhook.models import Webhook, WebhookEventType
from tests.webhook_receiver import WebhookReceiver, wait_for

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL,
        reason="needs PostgreSQL and a Redis broker",
    ),
]


@pytest.fixture
def worker(tmp_path):
    """A Celery worker on the test broker and database, writing emails to files."""
    database = connection.settings_dict
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"filemail:///{mail_dir}",
    }
    celery = str(Path(sys.executable).parent / "celery")
    subprocess.run([celery, "-A", "backend", "purge", "-f"], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(
        [celery, "-A", "backend", "worker", "--pool", "solo", "--loglevel", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield mail_dir
    celery_app.conf.task_always_eager = previous
    process.terminate()
    process.wait(timeout=30)


def test_worker_sends_the_confirmation_and_the_signed_webhook(worker, checkout):
    receiver = WebhookReceiver(secret="bi-mat-cua-app").start()
    try:
        Webhook.objects.create(
            name="Kho vận",
            target_url=receiver.url,
            secret_key=receiver.secret,
            events=[WebhookEventType.ORDER_CREATED],
        )

        order = complete_checkout(checkout)

        assert wait_for(lambda: receiver.accepted), "the webhook was not delivered"
        delivery = receiver.accepted[0]
        assert delivery.event == "order_created"
        assert str(order.number) in delivery.body.decode()
        assert wait_for(lambda: any(worker.glob("*.log"))), "no email was sent"
        email = next(worker.glob("*.log")).read_text()
        assert "khach.le@example.com" in email
        assert f"#{order.number}" in email
    finally:
        receiver.stop()
