"""Every way stock moves — the API, the admin, an order placed, cancelled or shipped, a hold
that expires — leaves exactly one durable stock-change record, written with the move, and one
STOCK_CHANGED webhook; a lost signal or a worker killed mid-delivery loses nothing."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from backend.celery import app as celery_app
from backend.checkout.complete_checkout import complete_checkout
from backend.core.ids import global_id
from backend.order.actions import cancel_order, fulfill_order
from backend.warehouse.changes import stock_changes_recorded
from backend.warehouse.models import (
    HolderKind,
    Reservation,
    Stock,
    StockChange,
    StockChangeReason,
    holder_key,
)
from backend.warehouse.services import (
    delete_expired_reservations,
    hold_stock,
    reserve_stocks,
    set_stock_quantities,
)
from backend.webhook.models import DeliveryStatus, EventDelivery, Webhook
from backend.webhook.tasks import queue_stock_changes, sweep_webhooks
from tests.fixtures.webhooks import WEBHOOK_SECRET
from tests.webhook_receiver import wait_for

ROOT = Path(__file__).resolve().parent.parent
SECRET = WEBHOOK_SECRET


@pytest.fixture
def stock_webhook(db, receiver):
    return Webhook.objects.create(
        name="Sàn TMĐT", target_url=receiver.url, secret_key=SECRET, events=["stock_changed"]
    )


@pytest.fixture
def moves(stock_webhook, receiver, django_capture_on_commit_callbacks):
    """Run a stock move as a request would (callbacks on commit) and return the records and
    STOCK_CHANGED deliveries it produced."""

    def run(move):
        before = set(StockChange.objects.values_list("pk", flat=True))
        received = len(receiver.accepted)
        with django_capture_on_commit_callbacks(execute=True):
            move()
        changes = list(StockChange.objects.exclude(pk__in=before))
        return changes, [d.payload for d in receiver.accepted[received:]]

    return run


def _the_stock(variant):
    return Stock.objects.get(product_variant=variant)


def test_an_api_stock_update_is_recorded_once_and_sent(
    moves, variant, api_client, catalog_manager, catalog_manager_token
):
    stock = _the_stock(variant)
    mutation = """
    mutation ($id: ID!, $stocks: [StockInput!]!) {
      productVariantStocksUpdate(variantId: $id, stocks: $stocks) { errors { code } }
    }"""
    variables = {
        "id": global_id("ProductVariant", variant.pk),
        "stocks": [{"warehouse": global_id("Warehouse", stock.warehouse_id), "quantity": 25}],
    }

    changes, sent = moves(lambda: api_client.execute(mutation, variables, catalog_manager_token))

    [change] = changes
    assert (change.reason, change.quantity, change.changed_by) == (
        StockChangeReason.QUANTITY_SET,
        25,
        catalog_manager,
    )
    [payload] = sent
    assert [(s["quantity"], s["available"]) for s in payload["stocks"]] == [(25, 25)]


def test_the_admin_sets_stock_through_the_service(moves, variant, admin_client, admin_user):
    stock = _the_stock(variant)
    warehouse = stock.warehouse
    url = f"/admin/warehouse/warehouse/{warehouse.pk}/change/"
    form = {
        "name": warehouse.name,
        "slug": warehouse.slug,
        "click_and_collect_option": warehouse.click_and_collect_option,
        "is_private": "on",
        "channels": [channel.pk for channel in warehouse.channels.all()],
        "metadata": "{}",
        "private_metadata": "{}",
        "stocks-TOTAL_FORMS": "1",
        "stocks-INITIAL_FORMS": "1",
        "stocks-MIN_NUM_FORMS": "0",
        "stocks-MAX_NUM_FORMS": "1000",
        "stocks-0-id": stock.pk,
        "stocks-0-warehouse": warehouse.pk,
        "stocks-0-product_variant": variant.pk,
    }

    changes, sent = moves(
        lambda: admin_client.post(url, {**form, "stocks-0-quantity": "7"}, follow=True)
    )

    [change] = changes
    assert (change.reason, change.quantity, change.changed_by) == (
        StockChangeReason.QUANTITY_SET,
        7,
        admin_user,
    )
    assert len(sent) == 1
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=5)
    answer = admin_client.post(url, {**form, "stocks-0-quantity": "3"})
    assert f"Kho {warehouse.name} đã giữ 5 sản phẩm cho đơn hàng." in answer.content.decode()
    assert _the_stock(variant).quantity == 7


def test_order_placed_cancelled_and_shipped_each_leave_one_record(moves, checkout, variant):
    reserve_stocks(list(checkout.lines.select_related("variant")), checkout.channel)
    order = None

    def place():
        nonlocal order
        order = complete_checkout(checkout)

    changes, sent = moves(place)
    assert [(c.reason, c.quantity_allocated) for c in changes] == [(StockChangeReason.ALLOCATED, 2)]
    assert len(sent) == 1
    assert not Reservation.objects.exists()  # the checkout's holds went with it

    changes, sent = moves(lambda: cancel_order(order, user=None))
    assert [(c.reason, c.quantity_allocated) for c in changes] == [
        (StockChangeReason.DEALLOCATED, 0)
    ]
    assert len(sent) == 1


def test_a_hold_on_a_variant_no_longer_tracked_is_released_and_recorded(moves, checkout, variant):
    """Completion releases every hold of the checkout, even one whose variant stopped tracking
    inventory since (nothing is allocated for it), and records the stock it was on."""
    reserve_stocks(list(checkout.lines.select_related("variant")), checkout.channel)
    variant.track_inventory = False
    variant.save(update_fields=["track_inventory"])

    changes, sent = moves(lambda: complete_checkout(checkout))

    assert [(c.reason, c.quantity, c.quantity_allocated) for c in changes] == [
        (StockChangeReason.ALLOCATED, 10, 0)
    ]
    assert len(sent) == 1
    assert not Reservation.objects.exists()


def test_shipping_leaves_one_record(moves, checkout, variant):
    order = complete_checkout(checkout)
    line = order.lines.get()

    changes, sent = moves(lambda: fulfill_order(order, [(line, 2)], user=None))

    assert [(c.reason, c.quantity, c.quantity_allocated) for c in changes] == [
        (StockChangeReason.FULFILLED, 8, 0)
    ]
    assert [s["quantity"] for s in sent[0]["stocks"]] == [8]


def test_an_expired_hold_leaves_one_record(moves, variant, channel_vn):
    holder = holder_key(HolderKind.LIVESTREAM_QUOTA, "phien-1")
    changes, _sent = moves(
        lambda: hold_stock(
            holder, {variant.pk: 4}, channel_vn, until=timezone.now() + timedelta(minutes=5)
        )
    )
    assert [(c.reason, c.quantity) for c in changes] == [(StockChangeReason.HELD, 10)]
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))

    changes, sent = moves(delete_expired_reservations)

    assert [c.reason for c in changes] == [StockChangeReason.HOLD_EXPIRED]
    assert [s["available"] for s in sent[0]["stocks"]] == [10]


def test_a_renewed_hold_of_the_same_units_records_nothing(moves, checkout):
    lines = list(checkout.lines.select_related("variant"))
    reserve_stocks(lines, checkout.channel)

    changes, sent = moves(lambda: reserve_stocks(lines, checkout.channel))

    assert (changes, sent) == ([], [])


def test_changes_no_signal_reached_are_sent_by_the_sweep(
    stock_webhook, receiver, variant, django_capture_on_commit_callbacks
):
    stock_changes_recorded.disconnect(dispatch_uid="webhook-stock-changes")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            set_stock_quantities(variant, [(_the_stock(variant).warehouse, 4)])
    finally:
        stock_changes_recorded.connect(queue_stock_changes, dispatch_uid="webhook-stock-changes")
    assert receiver.accepted == []
    assert StockChange.objects.get().webhook_sent_at is None

    with django_capture_on_commit_callbacks(execute=True):
        sweep_webhooks()

    [delivery] = receiver.accepted
    assert [s["quantity"] for s in delivery.payload["stocks"]] == [4]
    assert StockChange.objects.get().webhook_sent_at is not None


def test_audit_lists_every_inconsistency(variant, channel_vn, capsys):
    call_command("audit_stock")
    assert "Stock is consistent." in capsys.readouterr().out

    stock = _the_stock(variant)
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=3)  # no allocation behind it
    Reservation.objects.create(
        holder=holder_key(HolderKind.MARKETPLACE_ORDER, "shopee-2412"),
        stock=stock,
        quantity_reserved=1,
        reserved_until=timezone.now() + timedelta(minutes=5),
    )
    set_stock_quantities(variant, [(stock.warehouse, 9)])
    StockChange.objects.update(created_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(CommandError, match="3 stock inconsistencies"):
        call_command("audit_stock")
    out = capsys.readouterr().out
    assert f"stock {stock.pk}: allocated 3, allocations add up to 0" in out
    assert "holds of marketplace:shopee-2412: no such owner" in out
    assert "1 stock changes not taken by the webhook sender" in out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL,
    reason="needs PostgreSQL and a Redis broker",
)
def test_a_worker_killed_mid_delivery_loses_nothing(variant, receiver, stock_webhook, tmp_path):
    """The first worker dies (SIGKILL) while the receiver holds its request; the sweep hands the
    delivery to a second worker, which delivers it."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "WEBHOOK_TIMEOUT_SECONDS": "2",
        "WEBHOOK_SWEEP_GRACE_SECONDS": "1",
    }
    celery = str(Path(sys.executable).parent / "celery")
    subprocess.run([celery, "-A", "backend", "purge", "-f"], cwd=ROOT, env=env, check=True)

    def start_worker():
        return subprocess.Popen(
            [celery, "-A", "backend", "worker", "--pool", "solo", "--loglevel", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )

    receiver.hang_next = 1
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    first = start_worker()
    second = None
    try:
        set_stock_quantities(variant, [(_the_stock(variant).warehouse, 6)])
        assert wait_for(lambda: receiver.attempts == 1), "the first worker never called"
        first.kill()
        first.wait(timeout=30)
        delivery = EventDelivery.objects.get()
        assert (delivery.status, receiver.accepted) == (DeliveryStatus.PENDING, [])

        second = start_worker()
        time.sleep(4)  # past the delivery's lease (2 s timeout + 1 s grace)
        sweep_webhooks.delay()
        assert wait_for(lambda: len(receiver.accepted) == 1), "the delivery was lost"
        assert wait_for(
            lambda: EventDelivery.objects.get().status == DeliveryStatus.SUCCESS, seconds=10
        )
    finally:
        celery_app.conf.task_always_eager = previous
        for process in (first, second):
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    [payload] = [delivery.payload for delivery in receiver.accepted]
    assert [s["quantity"] for s in payload["stocks"]] == [6]
    assert StockChange.objects.get().webhook_sent_at is not None
