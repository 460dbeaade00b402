"""Nothing is lost and nothing stale wins: a worker killed in the middle of a push, a burst of
1,000 changes racing a pushing worker, a trigger that never arrived. These commit for real
(PostgreSQL), as workers in other threads and processes see only committed data."""

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from backend.warehouse.changes import stock_changes_recorded
from backend.warehouse.models import StockChange
from backend.warehouse.services import set_stock_quantities
from integrations.marketplaces import tasks
from integrations.marketplaces.models import MarketplaceAccount, VariantMapping
from tests.marketplace_servers.world import MARKETPLACES

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@contextmanager
def trigger_lost():
    """Changes recorded meanwhile send no message to the sync (a broker that was down)."""
    stock_changes_recorded.disconnect(dispatch_uid="marketplaces-stock-changes")
    try:
        yield
    finally:
        stock_changes_recorded.connect(
            tasks.queue_collect_stock_changes, dispatch_uid="marketplaces-stock-changes"
        )


def test_a_worker_killed_mid_push_loses_nothing(connected_shops, producer_a, settings):
    settings.MARKETPLACE_LEASE_SECONDS = 2
    lazada = connected_shops.world.servers["lazada"]
    account = connected_shops.accounts["lazada"]
    lazada.delay = 5  # the marketplace takes the stock, then answers slowly
    with trigger_lost():  # only the worker below hears of it
        set_stock_quantities(producer_a.variant, [(producer_a.warehouse, 11)])
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "MARKETPLACE_LEASE_SECONDS": "2",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from integrations.marketplaces import sync; "
            "from integrations.marketplaces.models import MarketplaceAccount; "
            "sync.collect_stock_changes(); "
            f"sync.push_stock(MarketplaceAccount.objects.get(pk={account.pk}))",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "backend.settings"},
    )
    deadline = time.monotonic() + 30
    while not lazada.calls_to("/product/price_quantity/update"):
        assert time.monotonic() < deadline and worker.poll() is None, "the worker never pushed"
        time.sleep(0.02)
    os.kill(worker.pid, signal.SIGKILL)  # dead between the marketplace taking it and our record
    worker.wait()
    lazada.delay = 0

    mapping = VariantMapping.objects.get(account=account)
    assert mapping.stock_version > mapping.pushed_version  # still due: nothing was marked done
    assert MarketplaceAccount.objects.get(pk=account.pk).lease_owner  # the dead worker's lease
    set_stock_quantities(producer_a.variant, [(producer_a.warehouse, 7)])  # life goes on

    tasks.sweep()  # the lease has not run out: this worker must leave the shop alone
    assert connected_shops.world.stock("lazada", connected_shops.listed["lazada"]) == 11
    time.sleep(2.1)
    tasks.sweep()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 7)
    assert not VariantMapping.objects.filter(pushed_quantity=11).exists()


def test_a_burst_of_1000_changes_racing_a_worker_ends_with_the_final_value_everywhere(
    connected_shops, producer_a
):
    stop = threading.Event()
    errors = []

    def worker():
        try:
            while not stop.is_set():
                tasks.sweep()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        with trigger_lost():  # the worker alone takes them, as they come
            for quantity in range(1000):
                set_stock_quantities(
                    producer_a.variant, [(producer_a.warehouse, 3 + quantity % 97)]
                )
    finally:
        stop.set()
        thread.join()
    assert not errors
    final = 3 + 999 % 97
    tasks.sweep()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, final)
    calls = connected_shops.world.servers["shopee"].stock_calls
    assert len(calls) < 1000  # coalesced: far fewer pushes than changes


def test_changes_whose_trigger_was_lost_are_found_by_the_sweep(connected_shops, producer_a):
    with trigger_lost():
        set_stock_quantities(producer_a.variant, [(producer_a.warehouse, 4)])
    assert StockChange.objects.filter(marketplaces_taken_at__isnull=True).exists()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 20)
    tasks.sweep()
    assert connected_shops.stock_everywhere() == dict.fromkeys(MARKETPLACES, 4)
    assert not StockChange.objects.filter(marketplaces_taken_at__isnull=True).exists()
    assert settings.CELERY_BEAT_SCHEDULE["marketplaces-sweep"]["task"] == tasks.sweep.name
