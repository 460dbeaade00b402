"""Marketplace credentials encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

Keys come from the environment: `MARKETPLACE_CREDENTIALS_KEYS`, comma-separated Fernet keys, the
first encrypting and all decrypting (so a key can be rotated). Without it the key is derived from
SECRET_KEY, itself from the environment in production."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(b"ocop-marketplace-credentials:" + secret_key.encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.MARKETPLACE_CREDENTIALS_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("marketplace credentials cannot be decrypted with the keys set") from error


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value is not None else value
