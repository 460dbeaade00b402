"""Livestream events for the office's tests (reminders, report, admin)."""

from datetime import timedelta

from django.utils import timezone

from backend.livestream.models import EventStatus, LiveEvent, Platform


def make_event(channel, slug="phien-live-mat-ong", start=None, status=EventStatus.SCHEDULED):
    start = start or timezone.now() + timedelta(days=2)
    return LiveEvent.objects.create(
        title="Phiên live mật ong Hải Hậu",
        slug=slug,
        channel=channel,
        platform=Platform.YOUTUBE,
        stream_url="https://www.youtube.com/embed/abc123",
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=2),
        status=status,
    )
