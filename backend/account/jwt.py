"""JSON Web Tokens for the API, Saleor style: short-lived access tokens, long-lived refresh
tokens, both signed with HS256 and tied to the user's `jwt_token_key` so they can be revoked."""

from datetime import timedelta
from urllib.parse import urljoin

import jwt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from backend.account.models import User

JWT_ALGORITHM = "HS256"
ACCESS_TYPE = "access"
REFRESH_TYPE = "refresh"


class InvalidToken(Exception):
    """A token that cannot be used. `code` is the top-level GraphQL error code Saleor answers,
    `account_error_code` the AccountErrorCode its auth mutations answer."""

    code = "InvalidTokenError"
    account_error_code = "JWT_INVALID_TOKEN"
    message = "Invalid token"

    def __init__(self, message=None):
        super().__init__(message or self.message)


class ExpiredToken(InvalidToken):
    code = "ExpiredSignatureError"
    account_error_code = "JWT_SIGNATURE_EXPIRED"
    message = "Signature has expired"


class UndecodableToken(InvalidToken):
    code = "DecodeError"
    account_error_code = "JWT_DECODE_ERROR"
    message = "Error decoding signature"


def jwt_issuer() -> str:
    """The `iss` of our tokens: the API's absolute URL under PUBLIC_URL, as Saleor issues them
    (@saleor/auth-sdk compares it with the API URL it called), unless JWT_ISSUER names another."""
    return settings.JWT_ISSUER or urljoin(settings.PUBLIC_URL, reverse("api"))


def _encode(user: User, token_type: str, ttl_seconds: int, **extra) -> str:
    now = timezone.now()
    payload = {
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "iss": jwt_issuer(),
        "token": str(user.jwt_token_key),
        "email": user.email,
        "type": token_type,
        "user_id": str(user.pk),
        "is_staff": user.is_staff,
        **extra,
    }
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=JWT_ALGORITHM)


def create_access_token(user: User, audience: str | None = None) -> str:
    extra = {"aud": audience} if audience else {}
    return _encode(user, ACCESS_TYPE, settings.JWT_ACCESS_TTL_SECONDS, **extra)


def create_refresh_token(
    user: User, csrf_token: str | None = None, audience: str | None = None
) -> str:
    extra = {"csrfToken": csrf_token} if csrf_token else {}
    if audience:
        extra["aud"] = audience
    return _encode(user, REFRESH_TYPE, settings.JWT_REFRESH_TTL_SECONDS, **extra)


def decode_token(token: str, expected_type: str) -> dict:
    try:
        payload = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[JWT_ALGORITHM],
            issuer=[jwt_issuer(), *settings.JWT_PREVIOUS_ISSUERS],
            options={"verify_aud": False, "require": ["exp", "iat", "type", "token"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise ExpiredToken() from exc
    except jwt.DecodeError as exc:
        raise UndecodableToken() from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken() from exc
    if payload.get("type") != expected_type:
        raise InvalidToken("Invalid token type")
    return payload


def get_user_from_payload(payload: dict) -> User:
    user = User.objects.filter(email=payload.get("email"), is_active=True).first()
    if user is None or user.jwt_token_key != payload.get("token"):
        raise InvalidToken()
    return user


def get_user_from_access_token(token: str) -> User:
    return get_user_from_payload(decode_token(token, ACCESS_TYPE))
