"""Reminder emails to an event's subscribers: 24 hours before, 15 minutes before, at the start,
and when the event is moved — each one once per subscriber and per start time.

Once, even when a worker dies mid-run:
1. claim: the run inserts a ReminderSent row per due subscriber (`sent_at` empty); the unique
   constraint (subscription, kind, about_start) makes a second claim impossible;
2. send: each unsent row is locked (SELECT … FOR UPDATE SKIP LOCKED), emailed and marked sent in
   the same transaction. A concurrent run skips rows being sent; a worker that dies before its
   commit releases the lock and leaves `sent_at` empty, so the next run (a minute later) sends it.
The only duplicate left possible is a worker dying in the instant between the mail server taking
the email and the commit; a lost reminder is not possible.

A reminder is sent only while it is still current (the 15-minute one supersedes the 24-hour one;
a claim left over for an event moved or cancelled since is not sent)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from backend.livestream.models import (
    EventStatus,
    LiveEvent,
    ReminderKind,
    ReminderSent,
    Subscription,
)

logger = logging.getLogger(__name__)

DAY_BEFORE = timedelta(hours=24)
QUARTER_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class Due:
    """A reminder due to every subscriber of `event` for its current start."""

    event: LiveEvent
    kind: str

    @property
    def about_start(self) -> datetime:
        return self.event.scheduled_start


def due_kind(event: LiveEvent, now: datetime) -> str | None:
    """The reminder `event` calls for at `now`, if any."""
    if event.stream_hidden:
        return None
    if event.status == EventStatus.LIVE:
        return ReminderKind.STARTED
    if event.status != EventStatus.SCHEDULED:
        return None
    before_start = event.scheduled_start - now
    if QUARTER_BEFORE >= before_start > timedelta(0):
        return ReminderKind.QUARTER_BEFORE
    if DAY_BEFORE >= before_start > QUARTER_BEFORE:
        return ReminderKind.DAY_BEFORE
    return None


def due_reminders(now: datetime) -> list[Due]:
    events = LiveEvent.objects.filter(stream_hidden=False).filter(
        Q(status=EventStatus.LIVE)
        | Q(
            status=EventStatus.SCHEDULED,
            scheduled_start__gt=now,
            scheduled_start__lte=now + DAY_BEFORE,
        )
    )
    return [Due(event, kind) for event in events if (kind := due_kind(event, now))]


def send_due_reminders(now: datetime | None = None) -> int:
    """Claim and send every reminder due now (the beat task's body); returns emails sent."""
    now = now or timezone.now()
    return sum(deliver(due) for due in due_reminders(now))


def announce_reschedule(event_id: int) -> int:
    """Tell the subscribers of a moved event its new time, once per new start."""
    event = LiveEvent.objects.filter(pk=event_id).first()
    if event is None or event.stream_hidden or event.status != EventStatus.SCHEDULED:
        return 0
    return deliver(Due(event, ReminderKind.RESCHEDULED))


def deliver(due: Due) -> int:
    claim(due)
    sent = 0
    for reminder_id in pending_ids(due):
        try:
            sent += send_one(reminder_id, due)
        except Exception:  # the mail server refused: the claim stays for the next run
            logger.exception("Livestream reminder %s not sent", reminder_id)
    return sent


def claim(due: Due) -> None:
    subscriptions = Subscription.objects.filter(
        event=due.event, unsubscribed_at__isnull=True
    ).values_list("pk", flat=True)
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(subscription_id=pk, kind=due.kind, about_start=due.about_start)
            for pk in subscriptions
        ],
        ignore_conflicts=True,
    )


def pending_ids(due: Due) -> list[int]:
    return list(
        ReminderSent.objects.filter(
            subscription__event=due.event,
            subscription__unsubscribed_at__isnull=True,
            kind=due.kind,
            about_start=due.about_start,
            sent_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_one(reminder_id: int, due: Due) -> int:
    with transaction.atomic():
        reminder = (
            ReminderSent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:  # another worker is sending it, or has sent it
            return 0
        subject, body = render(due, reminder.subscription)
        send_mail(subject, body, None, [reminder.subscription.email])
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return 1


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


def links(event: LiveEvent, subscription: Subscription) -> dict:
    """The event page, its calendar file and the unsubscribe page (storefront/livestream)."""
    return {
        "event_url": absolute(f"/live/{event.slug}/"),
        "ics_url": absolute(f"/live/{event.slug}/lich.ics"),
        "unsubscribe_url": absolute(f"/live/huy-nhac/{subscription.token}/"),
    }


def render(due: Due, subscription: Subscription) -> tuple[str, str]:
    context = {"event": due.event, "kind": due.kind, **links(due.event, subscription)}
    with translation.override("vi"), timezone.override(settings.TIME_ZONE):
        subject = render_to_string("livestream/emails/reminder_subject.txt", context)
        body = render_to_string("livestream/emails/reminder.txt", context)
    return " ".join(subject.split()), body
