"""Livestream: 1,000 viewers on one event's live feed, and a flash sale on a live quota.

Run: `python bench/livestream.py` (DATABASE_URL defaults to .../ocop_live_bench, created and
migrated when missing; REDIS_URL to Redis db 15).

1. Live feed: uvicorn (ASGI_WORKERS processes, default 2) serves backend.asgi with Redis pub/sub;
   VIEWERS server-sent-event connections (raw asyncio streams, HTTP/1.0) open on one live event,
   then the host pins a product PINS times (each pin taken down before the next). Prints the
   delay from the pin's commit to its arrival, p50/p95/max over every viewer and pin, and any
   viewer that missed a pin.
2. Flash sale: BUYERS buyers at once (THREADS threads) claim one unit each of an offer with a
   quota of QUOTA through backend.livestream.services.claim. Prints claims granted (must equal the
   quota), oversold (must be 0), refusals, and p50/p95 claim latency.
"""

import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_live_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from catalog_api import ROOT, ensure_database, percentile  # noqa: E402

VIEWERS = int(os.environ.get("VIEWERS", 1000))
PINS = 20
ASGI_WORKERS = int(os.environ.get("ASGI_WORKERS", 2))
CONNECTING_AT_ONCE = 100
BUYERS = 200
QUOTA = 50
THREADS = 32
EVENT_SLUG = "bench-live"


def prepare_event():
    """A live event with a verified host and two offers (a flash-sale one with a quota)."""
    from django.core.management import call_command
    from django.utils import timezone

    from backend.account.models import User
    from backend.channel.models import Channel
    from backend.livestream import services
    from backend.livestream.models import (
        EventOffer,
        EventStatus,
        LiveEvent,
        LivestreamerIdentity,
    )
    from backend.product.models import (
        Category,
        Product,
        ProductType,
        ProductVariant,
        ProductVariantChannelListing,
    )

    call_command("migrate", verbosity=0, interactive=False)
    channel, _ = Channel.objects.get_or_create(
        slug="bench-live-vn", defaults={"name": "Bench live", "currency_code": "VND"}
    )
    product_type, _ = ProductType.objects.get_or_create(
        slug="bench-live", defaults={"name": "Bench live"}
    )
    category, _ = Category.objects.get_or_create(slug="bench-live", defaults={"name": "Bench"})
    product, _ = Product.objects.get_or_create(
        slug="bench-live-tra",
        defaults={"name": "Trà bench", "product_type": product_type, "category": category},
    )
    variants = []
    for index in range(2):
        variant, _ = ProductVariant.objects.get_or_create(
            sku=f"bench-live-{index}", defaults={"product": product, "name": f"Hộp {index}"}
        )
        ProductVariantChannelListing.objects.get_or_create(
            variant=variant, channel=channel, defaults={"currency": "VND", "price_amount": 120_000}
        )
        variants.append(variant)
    host, _ = User.objects.get_or_create(email="host@bench-live.vn")
    LivestreamerIdentity.objects.update_or_create(
        user=host,
        defaults={"full_name": "Host", "id_number": "0", "verified_at": timezone.now()},
    )
    LiveEvent.objects.filter(slug=EVENT_SLUG).delete()
    now = timezone.now()
    event = LiveEvent.objects.create(
        title="Bench live",
        slug=EVENT_SLUG,
        channel=channel,
        platform="youtube",
        stream_url="https://www.youtube.com/embed/bench",
        scheduled_start=now,
        scheduled_end=now + timedelta(hours=1),
        status=EventStatus.SCHEDULED,
    )
    event.hosts.add(host)
    pinned = EventOffer.objects.create(event=event, variant=variants[0], live_price=99_000)
    flash = EventOffer.objects.create(
        event=event, variant=variants[1], live_price=49_000, quota=QUOTA, per_buyer_limit=1
    )
    return services.go_live(event), pinned, flash


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_uvicorn(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "backend.asgi:application", "--port", str(port)]
    command += ["--workers", str(ASGI_WORKERS), "--log-level", "warning", "--no-access-log"]
    command += ["--timeout-graceful-shutdown", "2", "--backlog", "4096"]
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("uvicorn did not start")


class Viewer:
    """One SSE connection: notes when each pin arrived (wall clock, as the commit is noted)."""

    def __init__(self):
        self.pins: dict[int, float] = {}
        self.ready = asyncio.Event()

    async def watch(self, port: int, slots: asyncio.Semaphore) -> None:
        async with slots:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            request = f"GET /live/{EVENT_SLUG}/events/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
            writer.write(request.encode())
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                raise RuntimeError(status)
            while (await reader.readline()) not in (b"\r\n", b""):
                pass  # headers
        try:
            while line := await reader.readline():
                if not line.startswith(b"data: "):
                    continue
                message = json.loads(line[6:])
                if message["type"] == "snapshot":
                    self.ready.set()
                elif message["type"] == "pin":
                    self.pins[message["pin_id"]] = time.time()
        finally:
            writer.close()


def pin_and_unpin(event, offer) -> tuple[int, float]:
    """Pin, noting the commit time, then take the pin down."""
    from django.db import transaction

    from backend.livestream import services

    committed = []
    with transaction.atomic():
        # Registered before the pin's own publish hook, so it runs first at the commit.
        transaction.on_commit(lambda: committed.append(time.time()))
        pin = services.pin(event, offer)
    services.unpin(event, offer)
    return pin.pk, committed[0]


async def live_feed_round(event, offer, port: int) -> None:
    viewers = [Viewer() for _ in range(VIEWERS)]
    slots = asyncio.Semaphore(CONNECTING_AT_ONCE)
    started = time.perf_counter()
    tasks = [asyncio.create_task(viewer.watch(port, slots)) for viewer in viewers]
    await asyncio.wait_for(asyncio.gather(*(viewer.ready.wait() for viewer in viewers)), 120)
    print(f"{VIEWERS} viewers connected in {time.perf_counter() - started:.1f} s")

    commits: dict[int, float] = {}
    for _ in range(PINS):
        pin_id, committed = await asyncio.to_thread(pin_and_unpin, event, offer)
        commits[pin_id] = committed
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    delays = [
        (viewer.pins[pin_id] - committed) * 1000
        for viewer in viewers
        for pin_id, committed in commits.items()
        if pin_id in viewer.pins
    ]
    missed = VIEWERS * PINS - len(delays)
    print(
        f"pins: {PINS} × {VIEWERS} viewers = {VIEWERS * PINS} deliveries, missed {missed}; "
        f"delay from commit: p50 {percentile(delays, 0.5):.0f} ms, "
        f"p95 {percentile(delays, 0.95):.0f} ms, max {max(delays):.0f} ms"
    )


def flash_sale(flash) -> None:
    from django.db import connection, transaction

    from backend.livestream import services
    from backend.livestream.models import EventOffer, OfferPurchase

    barrier = threading.Barrier(THREADS)
    outcomes: list[tuple[str, float]] = []

    def buy(number: int) -> None:
        if number < THREADS:
            barrier.wait()  # the first wave starts together
        started = time.perf_counter()
        try:
            with transaction.atomic():
                services.claim(
                    [services.Claim(flash, 1)], f"buyer-{number}@example.com", f"bench-{number}"
                )
            outcome = "granted"
        except services.LivestreamError as error:
            outcome = error.code
        finally:
            connection.close()
        outcomes.append((outcome, (time.perf_counter() - started) * 1000))

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(buy, range(BUYERS)))
    elapsed = time.perf_counter() - started

    granted = sum(1 for outcome, _ in outcomes if outcome == "granted")
    refused = {}
    for outcome, _ in outcomes:
        if outcome != "granted":
            refused[outcome] = refused.get(outcome, 0) + 1
    flash = EventOffer.objects.get(pk=flash.pk)
    counted = sum(OfferPurchase.objects.filter(offer=flash).values_list("quantity", flat=True))
    latencies = [latency for _, latency in outcomes]
    print(
        f"flash sale: {BUYERS} buyers, quota {QUOTA}: granted {granted}, "
        f"oversold {max(counted - QUOTA, 0)} (sold {flash.sold}, purchases {counted}), "
        f"refused {refused}; {elapsed:.2f} s, claim p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms"
    )


def main() -> int:
    import django

    ensure_database(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    event, pinned, flash = prepare_event()
    port = free_port()
    server = start_uvicorn(port)
    try:
        print(f"live feed: uvicorn × {ASGI_WORKERS} workers, Redis {os.environ['REDIS_URL']}")
        asyncio.run(live_feed_round(event, pinned, port))
    finally:
        server.terminate()
        server.wait(timeout=30)
    flash_sale(flash)
    return 0


if __name__ == "__main__":
    sys.exit(main())
