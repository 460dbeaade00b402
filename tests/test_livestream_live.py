"""The live feed and the host console: a pin reaches a viewer's open stream (a real uvicorn on
Redis), the polling fallback, heartbeats counted as viewers, and who may run the console."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from backend.account.models import User
from backend.livestream import services
from backend.livestream.models import (
    ActivityKind,
    EventOffer,
    EventStatus,
    LiveEvent,
    LivestreamerIdentity,
    ViewerActivity,
)
from tests.fixtures.producers import MEMBER_PASSWORD, add_member

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def host(producer_a):
    LivestreamerIdentity.objects.create(
        user=producer_a.owner,
        full_name="Nguyễn Thị Hoa",
        id_number="001190000001",
        verified_at=timezone.now(),
    )
    return producer_a.owner


@pytest.fixture
def live_event(channel_vn, producer_a, host):
    now = timezone.now()
    event = LiveEvent.objects.create(
        title="Phiên live Trà Tân Cương",
        slug="tra-tan-cuong-live",
        organiser=producer_a.producer,
        channel=channel_vn,
        platform="youtube",
        stream_url="https://www.youtube.com/embed/ocop",
        scheduled_start=now,
        scheduled_end=now + timedelta(hours=2),
        status=EventStatus.SCHEDULED,
    )
    event.hosts.add(host)
    EventOffer.objects.create(
        event=event, variant=producer_a.variant, live_price=99_000, quota=10, sold=3
    )
    return event


def started(event):
    return services.go_live(event)


# --- polling fallback and heartbeats -------------------------------------------------------------
def test_pins_json_lists_current_pins_with_live_price_and_quota_left(
    client, live_event, django_assert_max_num_queries
):
    offer = live_event.offers.get()
    services.pin(started(live_event), offer)

    with django_assert_max_num_queries(4):
        body = client.get(reverse("livestream:pins", args=[live_event.slug])).json()

    assert body["status"] == "live"
    [pin] = body["pins"]
    assert (pin["offer_id"], pin["live_price"], pin["regular_price"]) == (offer.pk, 99_000, 120_000)
    assert pin["remaining"] == 7
    assert pin["product"] == "Sản phẩm tra-tan-cuong"
    assert pin["pinned_at_ms"] == pytest.approx(time.time() * 1000, abs=60_000)

    services.unpin(live_event, offer)
    assert client.get(reverse("livestream:pins", args=[live_event.slug])).json()["pins"] == []


def test_draft_event_has_no_public_feed(client, live_event):
    LiveEvent.objects.filter(pk=live_event.pk).update(status=EventStatus.DRAFT)
    assert client.get(reverse("livestream:pins", args=[live_event.slug])).status_code == 404
    assert client.get(reverse("livestream:events", args=[live_event.slug])).status_code == 404


def test_heartbeats_count_each_open_page_once(client, live_event, django_user_model):
    started(live_event)
    url = reverse("livestream:heartbeat", args=[live_event.slug])
    other_viewer = type(client)()
    for _ in range(3):  # a page calling in often still adds one row per 30 s
        assert client.post(url).status_code == 204
    assert other_viewer.post(url).status_code == 204
    ViewerActivity.objects.create(
        event=live_event,
        visitor="left-a-minute-ago",
        kind=ActivityKind.VIEW,
        at=timezone.now() - timedelta(minutes=1),
    )
    ViewerActivity.objects.create(
        event=live_event, visitor="x", kind=ActivityKind.ADD_TO_CART, at=timezone.now()
    )
    assert ViewerActivity.objects.filter(kind=ActivityKind.VIEW).count() == 3

    client.force_login(live_event.hosts.get())
    counters = client.get(reverse("livestream:console_counters", args=[live_event.slug])).json()

    assert counters == {
        "status": "live",
        "viewers_now": 2,
        "add_to_carts": 1,
        "orders": 0,
        "revenue": 0,
        "revenue_display": "0 ₫",
    }


# --- the host console ---------------------------------------------------------------------------
def test_console_is_for_the_event_hosts_and_the_office(
    client, live_event, host, producer_a, staff_user, django_assert_max_num_queries
):
    url = reverse("livestream:console", args=[live_event.slug])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page

    colleague = add_member(producer_a.producer, "nhanvien@tra-tan-cuong.vn")
    client.force_login(colleague)
    assert client.get(url).status_code == 404

    client.force_login(host)
    with django_assert_max_num_queries(15):
        page = client.get(url)
    assert page.status_code == 200
    assert "99.000 ₫" in page.content.decode()

    staff_user.user_permissions.add(
        Permission.objects.get(codename="manage_livestreams", content_type__app_label="livestream")
    )
    client.force_login(User.objects.get(pk=staff_user.pk))
    assert client.get(url).status_code == 200


def test_console_refuses_to_start_with_an_unverified_host(client, live_event, host):
    newcomer = User.objects.create_user(email="host2@example.com", password=MEMBER_PASSWORD)
    live_event.hosts.add(newcomer)
    client.force_login(host)

    page = client.post(
        reverse("livestream:console_start", args=[live_event.slug]), follow=True
    ).content.decode()

    live_event.refresh_from_db()
    assert live_event.status == EventStatus.SCHEDULED
    assert "host2@example.com" in page
    assert "Danh tính của mọi người dẫn phải được văn phòng xác minh" in page


def test_console_starts_pins_and_ends(client, live_event, host):
    client.force_login(host)
    offer = live_event.offers.get()
    console = reverse("livestream:console", args=[live_event.slug])

    client.post(reverse("livestream:console_start", args=[live_event.slug]))
    client.post(reverse("livestream:console_pin", args=[live_event.slug, offer.pk]))
    assert 'class="live-offer is-pinned"' in client.get(console).content.decode()
    assert [pin.offer_id for pin in services.active_pins(live_event)] == [offer.pk]

    client.post(reverse("livestream:console_end", args=[live_event.slug]))
    live_event.refresh_from_db()
    assert live_event.status == EventStatus.ENDED
    assert not services.active_pins(live_event).exists()


# --- a pin reaches an open stream ---------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def asgi_server():
    """uvicorn serving backend.asgi on the test database and the test Redis."""
    database = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.asgi:application", "--port", str(port)]
        + ["--timeout-graceful-shutdown", "1"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/live/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


class StreamReader(threading.Thread):
    """Reads an SSE stream in the background, noting each message and when it arrived."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.response = requests.get(url, stream=True, timeout=30)
        self.messages: list[tuple[float, dict]] = []
        self.closing = False

    def run(self):
        try:
            for line in self.response.iter_lines(chunk_size=1, decode_unicode=True):
                if line and line.startswith("data: "):
                    self.messages.append((time.monotonic(), json.loads(line[len("data: ") :])))
        except Exception:
            if not self.closing:
                raise

    def close(self):
        self.closing = True
        self.response.close()

    def wait_for(self, kind, after=0.0, timeout=2.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for arrived, message in self.messages:
                if message["type"] == kind and arrived >= after:
                    return arrived, message
            time.sleep(0.01)
        raise AssertionError(f"no {kind} message within {timeout} s: {self.messages}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="needs PostgreSQL and Redis",
)
def test_a_pin_reaches_an_open_stream_within_two_seconds(asgi_server, live_event):
    started(live_event)
    offer = live_event.offers.get()
    reader = StreamReader(f"{asgi_server}/live/{live_event.slug}/events/")
    assert reader.response.headers["Content-Type"].startswith("text/event-stream")
    reader.start()
    reader.wait_for("snapshot", timeout=5)

    committed = time.monotonic()
    services.pin(live_event, offer)
    arrived, pin = reader.wait_for("pin", after=committed)
    assert arrived - committed < 2
    assert (pin["offer_id"], pin["live_price"], pin["remaining"]) == (offer.pk, 99_000, 7)

    committed = time.monotonic()
    services.unpin(live_event, offer)
    arrived, unpin = reader.wait_for("unpin", after=committed)
    assert unpin["offer_id"] == offer.pk
    reader.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_redis_runserver_streams_pins_in_process(live_server, live_event, settings):
    """`make run`: runserver (WSGI, a thread per request) and no Redis."""
    settings.REDIS_URL = ""
    started(live_event)
    offer = live_event.offers.get()
    reader = StreamReader(f"{live_server.url}/live/{live_event.slug}/events/")
    reader.start()
    reader.wait_for("snapshot", timeout=5)

    committed = time.monotonic()
    services.pin(live_event, offer)
    arrived, pin = reader.wait_for("pin", after=committed)
    assert pin["offer_id"] == offer.pk
    reader.close()


def test_pages_open_the_feed_on_the_asgi_service_when_it_has_its_own_origin(
    client, live_event, settings
):
    settings.LIVE_FEED_ORIGIN = "http://localhost:8001"
    settings.PUBLIC_URL = "https://cho.ocop.example"
    started(live_event)

    page = client.get(reverse("livestream:event", args=[live_event.slug]))
    feed = client.get(reverse("livestream:pins", args=[live_event.slug]))

    base = f"http://localhost:8001/live/{live_event.slug}/"
    assert f'data-feed-base="{base}"' in page.content.decode()
    connect_src = next(
        part for part in page["Content-Security-Policy"].split(";") if "connect-src" in part
    )
    assert "http://localhost:8001" in connect_src
    assert feed["Access-Control-Allow-Origin"] == "https://cho.ocop.example"
