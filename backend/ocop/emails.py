"""Emails to producers about their certifications (Vietnamese first, English below)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def producer_recipients(producer) -> list[str]:
    """The producer's contact address and its members' addresses, without duplicates."""
    emails = [producer.email] + [member.email for member in producer.members.all()]
    return list(dict.fromkeys(email for email in emails if email))


def send_expiry_reminder(certification, days_left: int) -> bool:
    """Tell the producer that `certification` expires in `days_left` days; False when the
    producer has no address to write to. Sent once the transaction commits."""
    recipients = producer_recipients(certification.producer)
    if not recipients:
        return False
    page = reverse("ocop:verify", kwargs={"code": certification.code})
    context = {
        "certification": certification,
        "days_left": days_left,
        "verify_url": f"{settings.PUBLIC_URL.rstrip('/')}{page}",
    }
    with translation.override("vi"):
        subject = render_to_string("ocop/emails/expiry_reminder_subject.txt", context).strip()
        body = render_to_string("ocop/emails/expiry_reminder.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return True


def send_invitation(invitation, token: str) -> None:
    """The link to accept `invitation` (to join its producer with its role), sent to the
    invited address once the transaction commits."""
    page = reverse("portal:invitation", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "producer": invitation.producer,
        "url": f"{settings.PUBLIC_URL.rstrip('/')}{page}",
        "inviter": invitation.invited_by,
    }
    with translation.override("vi"):
        subject = render_to_string("ocop/emails/invitation_subject.txt", context).strip()
        body = render_to_string("ocop/emails/invitation.txt", context)
    recipient = invitation.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
