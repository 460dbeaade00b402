"""Livestream reminders (scheduled every minute by CELERY_BEAT_SCHEDULE) and reschedule notices."""

from celery import shared_task

from backend.livestream import reminders


@shared_task
def send_reminders() -> int:
    """Reminders due now: 24 hours and 15 minutes before the start, and at the start."""
    return reminders.send_due_reminders()


@shared_task
def announce_reschedule(event_id: int) -> int:
    """The new time of a moved event, to each subscriber once (services.reschedule)."""
    return reminders.announce_reschedule(event_id)
