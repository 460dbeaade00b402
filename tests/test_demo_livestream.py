"""The demo's livestream sales: an ended event with its replay, one live now with two pinned
products, two upcoming ones in other provinces, verified hosts, subscribers and a complaint;
running `populatedb` again keeps them as they are."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from backend.livestream.models import EventStatus, LiveEvent, LivestreamerIdentity
from backend.livestream.quotas import event_holder
from backend.warehouse.models import Reservation

pytestmark = pytest.mark.django_db


def _livestream_rows() -> dict:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("livestream").get_models()
    }


def test_the_demo_has_past_live_and_upcoming_events_once():
    call_command("populatedb", stdout=StringIO())
    first = _livestream_rows()
    call_command("populatedb", stdout=StringIO())
    assert _livestream_rows() == first

    by_status = {}
    for event in LiveEvent.objects.all():
        by_status.setdefault(event.status, []).append(event)
        assert event.cover and event.offers.filter(live_price__isnull=False).exists()
        assert not LivestreamerIdentity.objects.filter(
            user__in=event.hosts.all(), verified_at__isnull=True
        ).exists()
        assert event.hosts.count() == 2
    assert {status: len(events) for status, events in by_status.items()} == {
        EventStatus.ENDED: 1,
        EventStatus.LIVE: 1,
        EventStatus.SCHEDULED: 2,
    }
    now = timezone.now()

    [past] = by_status[EventStatus.ENDED]
    assert past.replay_url.startswith("https://www.youtube.com/")
    assert past.ended_at < now - timedelta(days=2)
    assert past.pins.filter(unpinned_at__isnull=False).count() == 2
    assert past.activity.count() == 12 and past.complaints.count() == 1
    assert not Reservation.objects.filter(holder=event_holder(past.pk)).exists()

    [live] = by_status[EventStatus.LIVE]
    assert now - timedelta(minutes=25) < live.started_at < now - timedelta(minutes=15)
    assert live.pins.filter(unpinned_at__isnull=True).count() == 2

    upcoming = sorted(by_status[EventStatus.SCHEDULED], key=lambda event: event.scheduled_start)
    today = timezone.localdate()
    assert [timezone.localdate(event.scheduled_start) - today for event in upcoming] == [
        timedelta(days=1),
        timedelta(days=7),
    ]
    assert upcoming[0].province_id != upcoming[1].province_id
    assert upcoming[0].subscriptions.count() == 2
    for event in (live, *upcoming):
        assert Reservation.objects.filter(holder=event_holder(event.pk)).exists()
