"""Limits on guessing: growing delays after failed sign-ins (Saleor 3.23's scheme) and caps on
password-reset and registration requests, kept in the shared cache so every process sees them.

Sign-in: a wrong password delays the next try for that account from that client address
1, 2, 4 … seconds (up to an hour); every 10 failures from one address, whatever the accounts,
double a delay that then holds all its sign-ins. The account is keyed with the address, so
nobody can lock a customer out from elsewhere; a successful sign-in clears the account's count.
The client address is REMOTE_ADDR, which backend.core.middleware.TrustedProxyMiddleware sets
from the trusted proxies' X-Forwarded-For.
"""

import hashlib
import math
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.account.services import normalize_email

FIRST_DELAY_SECONDS = 1
MAX_DELAY_SECONDS = 3600
FAILURES_EXPIRE_SECONDS = 7200
ADDRESS_FAILURES_PER_STEP = 10
# The API's and the admin's codes for a wrong email or password.
WRONG_CREDENTIALS_CODES = {"invalid_credentials", "invalid_login"}
# (requests, seconds) per client address and per email address.
REQUEST_LIMITS = {
    "password-reset": {"address": (5, 900), "email": (3, 3600)},
    "register": {"address": (5, 3600), "email": (3, 3600)},
    "sign-in-code": {"address": (10, 900), "email": (3, 900)},
}


class Delayed(Exception):
    """Too many attempts: the next one is allowed at `retry_at`."""

    def __init__(self, retry_at):
        super().__init__(retry_at)
        self.retry_at = retry_at

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))

    @property
    def message(self) -> str:
        local = timezone.localtime(self.retry_at).strftime("%H:%M:%S")
        return _("Bạn đã thử quá nhiều lần. Hãy thử lại sau %(seconds)s giây (lúc %(time)s).") % {
            "seconds": self.seconds,
            "time": local,
        }

    def validation_error(self, field: str = "email") -> ValidationError:
        """Saleor's answer: LOGIN_ATTEMPT_DELAYED on the field, saying when to retry."""
        return ValidationError({field: ValidationError(self.message, code="login_attempt_delayed")})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _keys(address: str, email: str) -> dict:
    pair = f"{address}:{_digest(normalize_email(email))}"
    return {
        "address_failures": f"throttle:login:fail:{address}",
        "address_block": f"throttle:login:block:{address}",
        "pair_failures": f"throttle:login:fail:{pair}",
        "pair_block": f"throttle:login:block:{pair}",
    }


def _blocked_until(key: str):
    retry_at = cache.get(key)
    return retry_at if retry_at and retry_at > timezone.now() else None


def _block(key: str, seconds: float, *, only_if_free: bool = False) -> bool:
    retry_at = timezone.now() + timedelta(seconds=seconds)
    if only_if_free:
        return cache.add(key, retry_at, timeout=seconds)
    cache.set(key, retry_at, timeout=seconds)
    return True


def _count(key: str, window: float = FAILURES_EXPIRE_SECONDS) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    return cache.incr(key)


def check_sign_in(address: str, email: str) -> dict:
    """Raise Delayed while this address, or this account from it, must wait; otherwise hold
    the account for the length of one attempt (so parallel guesses wait too) and return the
    keys to report the outcome with."""
    keys = _keys(address, email)
    for key in ("address_block", "pair_block"):
        if retry_at := _blocked_until(keys[key]):
            raise Delayed(retry_at)
    if not _block(keys["pair_block"], FIRST_DELAY_SECONDS, only_if_free=True):
        raise Delayed(_blocked_until(keys["pair_block"]) or timezone.now())
    return keys


def _delay(failures: int) -> float:
    """1, 2, 4 … seconds, at most an hour."""
    return min(FIRST_DELAY_SECONDS * 2 ** min(failures - 1, 12), MAX_DELAY_SECONDS)


def sign_in_failed(keys: dict):
    pair_failures = _count(keys["pair_failures"])
    address_failures = _count(keys["address_failures"])
    _block(keys["pair_block"], _delay(pair_failures))
    if steps := address_failures // ADDRESS_FAILURES_PER_STEP:
        _block(keys["address_block"], _delay(steps))


def sign_in_succeeded(keys: dict):
    cache.delete_many([keys["pair_failures"], keys["pair_block"]])


def authenticate(address: str, email: str, password: str, check_credentials):
    """Run `check_credentials(email, password)` under the sign-in limits: Delayed while they
    hold; wrong credentials (a ValidationError with one of WRONG_CREDENTIALS_CODES) count
    towards the next delay, the right password (even of an unconfirmed account) clears it."""
    keys = check_sign_in(address, email)
    try:
        user = check_credentials(email, password)
    except ValidationError as error:
        if _codes(error) & WRONG_CREDENTIALS_CODES:
            sign_in_failed(keys)
        else:
            sign_in_succeeded(keys)
        raise
    sign_in_succeeded(keys)
    return user


def _codes(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def count_request(action: str, address: str, email: str):
    """Count a password-reset, registration or sign-in code request; Delayed once the client
    address or the email address made more than REQUEST_LIMITS allows in its window."""
    for scope, subject in (("address", address), ("email", normalize_email(email))):
        limit, window = REQUEST_LIMITS[action][scope]
        key = f"throttle:{action}:{scope}:{_digest(subject)}"
        cache.add(f"{key}:since", timezone.now(), timeout=window)
        if _count(f"{key}:count", window) > limit:
            since = cache.get(f"{key}:since") or timezone.now()
            raise Delayed(since + timedelta(seconds=window))
