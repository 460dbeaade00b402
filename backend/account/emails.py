"""Account emails (confirmation, password reset, deletion) and the one-time tokens in their
links. Each email is sent once the database transaction commits, so a rolled-back mutation
sends nothing."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from backend.account.models import User


class AccountConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until the account is confirmed."""

    key_salt = "backend.account.AccountConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_confirmed}"


class AccountDeletionTokenGenerator(PasswordResetTokenGenerator):
    """Separate from password reset tokens: a reset link must never delete an account."""

    key_salt = "backend.account.AccountDeletionTokenGenerator"


confirmation_token_generator = AccountConfirmationTokenGenerator()
deletion_token_generator = AccountDeletionTokenGenerator()
password_reset_token_generator = default_token_generator


def url_with_params(base_url: str, **params) -> str:
    """`base_url` with `params` added to its query string."""
    parts = urlsplit(base_url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _send(template: str, user: User, url: str):
    context = {"user": user, "url": url}
    subject = render_to_string(f"account/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"account/emails/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


def send_account_confirmation(user: User, redirect_url: str):
    token = confirmation_token_generator.make_token(user)
    _send("confirm_account", user, url_with_params(redirect_url, email=user.email, token=token))


def send_password_reset(user: User, redirect_url: str):
    token = password_reset_token_generator.make_token(user)
    _send("password_reset", user, url_with_params(redirect_url, email=user.email, token=token))


def send_account_deletion(user: User, redirect_url: str):
    token = deletion_token_generator.make_token(user)
    _send("account_delete", user, url_with_params(redirect_url, token=token))
