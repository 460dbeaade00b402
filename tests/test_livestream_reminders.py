"""Reminders of a livestream reach each subscriber once per reminder — 24 hours before, 15
minutes before, at the start, and once per new time when it is moved — even when a run is
repeated, a worker died after claiming, or another worker is sending at the same moment."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from backend.livestream import reminders, services
from backend.livestream.models import EventStatus, ReminderKind, ReminderSent, Subscription
from backend.livestream.tasks import send_reminders
from tests.livestream_office_factory import make_event

START = timezone.now().replace(microsecond=0) + timedelta(days=3)


@pytest.fixture
def event(channel_vn):
    return make_event(channel_vn, start=START)


@pytest.fixture
def subscribers(event):
    lan = Subscription.objects.create(event=event, email="lan@example.com")
    Subscription.objects.create(event=event, email="minh@example.com")
    Subscription.objects.create(
        event=event, email="da.huy@example.com", unsubscribed_at=timezone.now()
    )
    return lan


def recipients(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_day_reminder_goes_once_to_each_subscriber_with_its_links(
    event, subscribers, mailoutbox, settings
):
    settings.PUBLIC_URL = "https://ocop.example"
    assert reminders.send_due_reminders(START - timedelta(hours=24, minutes=1)) == 0
    assert reminders.send_due_reminders(START - timedelta(hours=23, minutes=59)) == 2
    assert reminders.send_due_reminders(START - timedelta(hours=23, minutes=58)) == 0
    assert recipients(mailoutbox) == ["lan@example.com", "minh@example.com"]
    mail = next(mail for mail in mailoutbox if mail.to == ["lan@example.com"])
    assert mail.subject.startswith("Ngày mai livestream: Phiên live mật ong Hải Hậu")
    local_start = timezone.localtime(START)
    assert f"sẽ bắt đầu lúc {local_start:%H:%M} ngày {local_start:%d/%m/%Y}" in mail.body
    assert "https://ocop.example/live/phien-live-mat-ong/" in mail.body
    assert "https://ocop.example/live/phien-live-mat-ong/lich.ics" in mail.body
    assert f"https://ocop.example/live/huy-nhac/{subscribers.token}/" in mail.body


def test_quarter_and_start_reminders_each_once(event, subscribers, mailoutbox):
    assert reminders.send_due_reminders(START - timedelta(minutes=16)) == 2  # the day one
    assert reminders.send_due_reminders(START - timedelta(minutes=15)) == 2
    assert reminders.send_due_reminders(START - timedelta(minutes=1)) == 0
    assert reminders.send_due_reminders(START + timedelta(minutes=2)) == 0  # late host: not live
    event.status, event.started_at = EventStatus.LIVE, START + timedelta(minutes=3)
    event.save()
    assert reminders.send_due_reminders(START + timedelta(minutes=4)) == 2
    assert send_reminders() == 0  # the beat task: nothing left
    subjects = [mail.subject for mail in mailoutbox if mail.to == ["lan@example.com"]]
    assert [subject.split(":")[0] for subject in subjects] == [
        "Ngày mai livestream",
        "15 phút nữa livestream",
        "Đang phát trực tiếp",
    ]


def test_a_late_subscriber_gets_the_current_reminder_only(event, mailoutbox):
    Subscription.objects.create(event=event, email="muon@example.com")
    assert reminders.send_due_reminders(START - timedelta(minutes=10)) == 1
    assert "15 phút nữa" in mailoutbox[0].subject


def test_a_worker_that_claimed_and_died_leaves_the_email_to_the_next_run(
    event, subscribers, mailoutbox
):
    # A worker claimed Lan's reminder, then died before sending it.
    ReminderSent.objects.create(
        subscription=subscribers,
        kind=ReminderKind.DAY_BEFORE,
        about_start=START,
        claimed_at=START - timedelta(hours=23, minutes=59),
    )
    assert reminders.send_due_reminders(START - timedelta(hours=23, minutes=58)) == 2
    assert recipients(mailoutbox) == ["lan@example.com", "minh@example.com"]
    assert not ReminderSent.objects.filter(sent_at__isnull=True).exists()


def test_a_refused_email_is_sent_by_the_next_run(event, subscribers, mailoutbox, monkeypatch):
    real_send = reminders.send_mail

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", refused)
    assert reminders.send_due_reminders(START - timedelta(minutes=10)) == 0
    monkeypatch.setattr(reminders, "send_mail", real_send)
    assert reminders.send_due_reminders(START - timedelta(minutes=9)) == 2
    assert reminders.send_due_reminders(START - timedelta(minutes=8)) == 0
    assert recipients(mailoutbox) == ["lan@example.com", "minh@example.com"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reminder_being_sent_by_another_worker_is_not_sent_twice(channel_vn, mailoutbox):
    event = make_event(channel_vn, start=START)
    lan = Subscription.objects.create(event=event, email="lan@example.com")
    claimed = ReminderSent.objects.create(
        subscription=lan, kind=ReminderKind.QUARTER_BEFORE, about_start=START
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker():  # holds the row as a worker does while its email goes out
        try:
            with transaction.atomic():
                ReminderSent.objects.select_for_update().get(pk=claimed.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert locked.wait(10)
    try:
        assert reminders.send_due_reminders(START - timedelta(minutes=10)) == 0
    finally:
        release.set()
        worker.join()
    assert mailoutbox == []
    assert reminders.send_due_reminders(START - timedelta(minutes=9)) == 1
    assert reminders.send_due_reminders(START - timedelta(minutes=8)) == 0
    assert len(mailoutbox) == 1


def test_unsubscribed_and_stopped_events_get_nothing(event, mailoutbox):
    Subscription.objects.create(event=event, email="da.huy@example.com", unsubscribed_at=START)
    assert reminders.send_due_reminders(START - timedelta(minutes=10)) == 0
    lan = Subscription.objects.create(event=event, email="lan@example.com")
    services.stop_and_hide(event, "Vi phạm quy định")
    assert reminders.send_due_reminders(START - timedelta(minutes=9)) == 0
    assert mailoutbox == [] and not lan.reminders.exists()


def test_reschedule_is_announced_once_per_new_start(
    event, subscribers, mailoutbox, django_capture_on_commit_callbacks
):
    later = START + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(event, later, later + timedelta(hours=2))
    assert recipients(mailoutbox) == ["lan@example.com", "minh@example.com"]
    assert "đã được dời sang" in mailoutbox[0].body
    local = timezone.localtime(later)
    assert f"{local:%H:%M} ngày {local:%d/%m/%Y}" in mailoutbox[0].body
    assert reminders.announce_reschedule(event.pk) == 0  # the same new time: already told

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(event, later, later + timedelta(hours=3))  # only the end moved
    assert len(mailoutbox) == 2

    even_later = later + timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(event, even_later, even_later + timedelta(hours=2))
    assert len(mailoutbox) == 4


def test_a_moved_event_gets_its_day_reminder_again(event, subscribers, mailoutbox):
    assert reminders.send_due_reminders(START - timedelta(hours=20)) == 2
    later = START + timedelta(days=2)
    services.reschedule(event, later, later + timedelta(hours=2))
    assert reminders.send_due_reminders(START - timedelta(hours=19)) == 0
    assert reminders.send_due_reminders(later - timedelta(hours=20)) == 2
