"""Daily certification housekeeping (scheduled by CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction

from backend.ocop import services
from backend.ocop.emails import send_expiry_reminder
from backend.ocop.models import (
    AuditAction,
    AuditEvent,
    Certification,
    CertificationStatus,
    VerificationStatus,
)

# Days before expiry -> the event that records the reminder (each is sent once).
REMINDERS = {90: AuditAction.REMINDER_90, 30: AuditAction.REMINDER_30}


@shared_task
def expire_certifications() -> int:
    """Mark certifications past their last day as expired and take their badges down."""
    return len(services.expire_certifications())


def _reminder_due(days_left: int) -> int | None:
    """The reminder window `days_left` falls in (30 or 90), or None."""
    for threshold in sorted(REMINDERS):
        if 0 < days_left <= threshold:
            return threshold
    return None


@shared_task
def send_expiry_reminders() -> int:
    """Email producers 90 and 30 days before a certification expires; returns emails sent.

    A day missed by the scheduler is caught up the next day; a reminder is never repeated."""
    today = services.today()
    horizon = today + timedelta(days=max(REMINDERS))
    certifications = list(
        Certification.objects.filter(
            status=CertificationStatus.VALID,
            verification_status=VerificationStatus.VERIFIED,
            valid_until__gt=today,
            valid_until__lte=horizon,
        )
        .select_related("product", "producer")
        .prefetch_related("producer__members")
    )
    sent_before = set(
        AuditEvent.objects.filter(
            certification__in=certifications, action__in=REMINDERS.values()
        ).values_list("certification_id", "action")
    )
    sent = 0
    for certification in certifications:
        days_left = (certification.valid_until - today).days
        threshold = _reminder_due(days_left)
        action = REMINDERS[threshold]
        if (certification.pk, action) in sent_before:
            continue
        with transaction.atomic():
            if send_expiry_reminder(certification, days_left):
                services.record(action, certification=certification)
                sent += 1
    return sent
