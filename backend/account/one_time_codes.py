"""Signing in with a six-digit code sent by email, for members who forgot their password.

The code is kept only as an HMAC keyed with SECRET_KEY (a leaked table gives nothing to type),
is valid for CODE_VALID_MINUTES, works once, and is void after MAX_WRONG_TRIES wrong tries. A new
request replaces the previous code. Requests are limited per email and per client address
(backend.account.throttling). Whether the email has an account, the answer is the same: the
caller always says "if the address is registered, a code is on its way".
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.account import throttling
from backend.account.models import OneTimeCode, User
from backend.account.services import normalize_email

CODE_LENGTH = 6
CODE_VALID_MINUTES = 10
MAX_WRONG_TRIES = 5


def _hash(user_id: int, code: str) -> str:
    message = f"sign-in-code:{user_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def request_code(email: str, address: str) -> None:
    """Email a fresh code to the active account with this email, if there is one; raise
    throttling.Delayed once this email or this client address asked too often."""
    throttling.count_request("sign-in-code", address, email)
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        return
    code = new_code()
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.update_or_create(
            user=user,
            defaults={
                "code_hash": _hash(user.pk, code),
                "created_at": now,
                "expires_at": now + timedelta(minutes=CODE_VALID_MINUTES),
                "failed_attempts": 0,
                "used_at": None,
            },
        )
        _send_code(user, code)


def _send_code(user: User, code: str) -> None:
    context = {"user": user, "code": code, "minutes": CODE_VALID_MINUTES}
    with translation.override(user.language_code or settings.LANGUAGE_CODE):
        subject = render_to_string("account/emails/sign_in_code_subject.txt", context).strip()
        body = render_to_string("account/emails/sign_in_code.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


def _invalid() -> ValidationError:
    return ValidationError(
        {
            "code": ValidationError(
                _("The code is wrong or no longer valid. Ask for a new code."), code="invalid"
            )
        }
    )


def sign_in_with_code(email: str, code: str) -> User:
    """The user whose current code this is; the code is spent. A wrong code counts against
    the current one (void after MAX_WRONG_TRIES); an unknown email, an expired, used or void
    code all get the same `invalid` error."""
    user = _spend_code(normalize_email(email), "".join((code or "").split()))
    if user is None:
        raise _invalid()
    return user


@transaction.atomic
def _spend_code(email: str, code: str) -> User | None:
    """The user, with the code marked used; None for a wrong code (its count of wrong tries
    raised, and committed: hence no exception inside this transaction)."""
    record = (
        OneTimeCode.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user__email=email, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if (
        record is None
        or record.used_at is not None
        or record.expires_at <= now
        or record.failed_attempts >= MAX_WRONG_TRIES
    ):
        return None
    if not hmac.compare_digest(record.code_hash, _hash(record.user_id, code)):
        record.failed_attempts += 1
        record.save(update_fields=["failed_attempts"])
        return None
    record.used_at = now
    record.save(update_fields=["used_at"])
    user = record.user
    user.last_login = now
    user.save(update_fields=["last_login", "updated_at"])
    return user
