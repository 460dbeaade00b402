"""Account rules: sign-in, registration and confirmation, passwords, profile, the address book
and account deletion. The GraphQL API and the storefront views both call these.

Every function validates first and raises a ValidationError keyed by field (codes are Saleor's
AccountErrorCode values in lower case) before it changes anything.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http.request import validate_host
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.account import emails
from backend.account.addresses import ADDRESS_FIELDS, clean_address
from backend.account.models import Address, User
from backend.channel.models import Channel
from backend.order.models import Order

BILLING = "billing"
SHIPPING = "shipping"
# How long a password reset request blocks the next one for the same account.
PASSWORD_RESET_LOCK_SECONDS = 15 * 60


def _error(field: str | None, message: str, code: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# --- Redirect URLs and channels ------------------------------------------------------------


def allowed_client_hosts() -> list[str]:
    """Host patterns our emails may link to: the shop's own (PUBLIC_URL) and
    ALLOWED_CLIENT_HOSTS, written as Django's ALLOWED_HOSTS (`.example.vn` for its subdomains)."""
    hosts = [urlsplit(settings.PUBLIC_URL).hostname, *settings.ALLOWED_CLIENT_HOSTS]
    return [host.lower() for host in hosts if host]


def validate_redirect_url(url: str, field: str = "redirect_url"):
    """Links in our emails point only at known storefronts (no open redirect, no phishing);
    Saleor's validate_storefront_url with its ALLOWED_CLIENT_HOSTS."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _error(field, _("Enter a valid URL."), "invalid")
    if not validate_host(parts.hostname.lower(), allowed_client_hosts()):
        raise _error(
            field,
            _("%(host)s is not an allowed address.") % {"host": parts.hostname},
            "invalid",
        )


def validate_channel(slug: str | None, field: str = "channel") -> Channel | None:
    if not slug:
        return None
    channel = Channel.objects.filter(slug=slug).first()
    if channel is None:
        message = _("No sales channel “%(slug)s”.") % {"slug": slug}
        raise _error(field, message, "not_found")
    if not channel.is_active:
        message = _("The sales channel “%(slug)s” is inactive.") % {"slug": slug}
        raise _error(field, message, "channel_inactive")
    return channel


def _validate_password(password: str, user: User, field: str):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error


# --- Sign-in -------------------------------------------------------------------------------


def confirmation_required() -> bool:
    return settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL


def authenticate(email: str, password: str) -> User:
    """The active user with these credentials; Saleor's error codes otherwise."""
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None or not user.check_password(password):
        raise _error("email", _("Please, enter valid credentials."), "invalid_credentials")
    if not user.is_confirmed and confirmation_required():
        raise _error(
            "email", _("Account needs to be confirmed via email."), "account_not_confirmed"
        )
    if not user.is_active:
        raise _error("email", _("Account inactive."), "inactive")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login", "updated_at"])
    return user


# --- Registration and confirmation --------------------------------------------------------


def register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    language_code: str = settings.LANGUAGE_CODE,
    redirect_url: str | None = None,
    channel: str | None = None,
    metadata: dict | None = None,
) -> tuple[User, bool]:
    """Create an account and send its confirmation email, linking to `redirect_url` (a known
    storefront) or else to the shop's confirmation page. Returns the user and whether it was
    created: an email already registered gives no error (as in Saleor, so nobody can probe which
    addresses have accounts) and changes nothing."""
    needs_confirmation = confirmation_required()
    errors = {}
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [ValidationError(_("Enter a valid email address."), code="invalid")]
    if needs_confirmation and redirect_url:
        _collect(errors, validate_redirect_url, redirect_url)
    _collect(errors, validate_channel, channel)
    user = User(
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        language_code=language_code,
        metadata=metadata or {},
        is_confirmed=not needs_confirmation,
    )
    _collect(errors, _validate_password, password, user, "password")
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if User.objects.filter(email=email).exists():
            return user, False
        raise
    if needs_confirmation:
        emails.send_account_confirmation(user, redirect_url or shop_confirmation_url())
    else:
        link_guest_orders(user)
    return user, True


def shop_confirmation_url() -> str:
    """The shop's own confirmation page, for clients that give no `redirectUrl`."""
    return settings.PUBLIC_URL.rstrip("/") + reverse("storefront:account_confirm")


def _collect(errors: dict, check, *args):
    try:
        check(*args)
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)


def confirm_account(email: str, token: str) -> User:
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None:
        raise _error("email", _("There is no account with this email."), "not_found")
    if not emails.confirmation_token_generator.check_token(user, token):
        raise _error("token", _("The confirmation token is invalid or has expired."), "invalid")
    user.is_active = True
    user.is_confirmed = True
    user.save(update_fields=["is_active", "is_confirmed", "updated_at"])
    link_guest_orders(user)
    return user


def link_guest_orders(user: User) -> int:
    """Give the account the orders placed as a guest with its email (Saleor's
    match_orders_with_new_user): called once the account owns the address, on confirmation or on
    registration when no confirmation is asked. Returns how many orders it took."""
    return Order.objects.filter(user__isnull=True, user_email__iexact=user.email).update(user=user)


def resend_account_confirmation(email: str, redirect_url: str | None = None):
    """Send the confirmation email again to an account still waiting for it; says nothing
    about whether such an account exists."""
    if redirect_url:
        validate_redirect_url(redirect_url)
    user = User.objects.filter(email=normalize_email(email), is_confirmed=False).first()
    if user is not None and confirmation_required():
        emails.send_account_confirmation(user, redirect_url or shop_confirmation_url())


# --- Passwords -----------------------------------------------------------------------------


def request_password_reset(email: str, redirect_url: str, channel: str | None = None):
    """Email a reset link. Says nothing about whether the account exists; a second request
    within PASSWORD_RESET_LOCK_SECONDS sends nothing."""
    validate_redirect_url(redirect_url)
    validate_channel(channel)
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        return
    if not cache.add(f"account:password-reset:{user.pk}", True, PASSWORD_RESET_LOCK_SECONDS):
        return
    emails.send_password_reset(user, redirect_url)


def set_password(email: str, password: str, token: str) -> User:
    """Finish a password reset: the new password, a confirmed account, and every token issued
    before it revoked."""
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None:
        raise _error("email", _("There is no account with this email."), "not_found")
    if not emails.password_reset_token_generator.check_token(user, token):
        raise _error("token", _("The password reset token is invalid or has expired."), "invalid")
    _validate_password(password, user, "password")
    user.set_password(password)
    user.is_confirmed = True
    user.jwt_token_key = str(uuid.uuid4())
    user.save(update_fields=["password", "is_confirmed", "jwt_token_key", "updated_at"])
    cache.delete(f"account:password-reset:{user.pk}")
    return user


def change_password(user: User, old_password: str | None, new_password: str):
    if user.has_usable_password() and not user.check_password(old_password or ""):
        raise _error("old_password", _("Old password isn't valid."), "invalid_password")
    _validate_password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])


# --- Profile and addresses -----------------------------------------------------------------


def update_account(
    user: User,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    language_code: str | None = None,
    default_billing_address: dict | None = None,
    default_shipping_address: dict | None = None,
    metadata: dict | None = None,
) -> User:
    """Change the given profile fields; a default address given is added to the address book."""
    errors = {}
    billing = shipping = None
    if default_billing_address is not None:
        billing = _clean_or_collect(errors, "default_billing_address", default_billing_address)
    if default_shipping_address is not None:
        shipping = _clean_or_collect(errors, "default_shipping_address", default_shipping_address)
    if errors:
        raise ValidationError(errors)
    if first_name is not None:
        user.first_name = first_name.strip()
    if last_name is not None:
        user.last_name = last_name.strip()
    if language_code is not None:
        user.language_code = language_code
    if metadata:
        user.metadata = {**user.metadata, **metadata}
    user.save()
    if billing is not None:
        set_default_address(user, _add_address(user, billing), BILLING)
    if shipping is not None:
        set_default_address(user, _add_address(user, shipping), SHIPPING)
    return user


def _clean_or_collect(errors: dict, field: str, data: dict) -> dict | None:
    """Clean an address given inside another input; its errors are reported under `field`
    (Saleor names the input field, the message names the address field)."""
    try:
        return clean_address(data)
    except ValidationError as error:
        errors[field] = [
            ValidationError(f"{name}: {message}", code=err.code)
            for name, field_errors in error.error_dict.items()
            for err in field_errors
            for message in err.messages
        ]
        return None


def _add_address(user: User, cleaned: dict) -> Address:
    address = Address.objects.create(**cleaned)
    user.addresses.add(address)
    return address


def get_own_address(user: User, address_id: int | None, field: str = "id") -> Address:
    """One of the user's own addresses; anyone else's is simply not found."""
    address = user.addresses.filter(pk=address_id).first() if address_id else None
    if address is None:
        raise _error(field, _("Address not found."), "not_found")
    return address


def create_address(user: User, data: dict, address_type: str | None = None) -> Address:
    """`data` holds the address fields and optionally `metadata` (a dict)."""
    address = _add_address(user, {**clean_address(data), "metadata": data.get("metadata") or {}})
    if address_type:
        set_default_address(user, address, address_type)
    return address


def update_address(user: User, address_id: int | None, data: dict) -> Address:
    """Change the given fields; the address is validated as a whole."""
    address = get_own_address(user, address_id)
    current = {field: getattr(address, field) for field in ADDRESS_FIELDS}
    given = {key: value for key, value in data.items() if value is not None}
    for field, value in clean_address({**current, **given}).items():
        setattr(address, field, value)
    if data.get("metadata"):
        address.metadata = {**address.metadata, **data["metadata"]}
    address.save()
    return address


def delete_address(user: User, address_id: int | None) -> Address:
    address = get_own_address(user, address_id)
    deleted_pk = address.pk
    address.delete()
    address.pk = deleted_pk
    user.refresh_from_db(fields=["default_billing_address", "default_shipping_address"])
    return address


def set_default_address(user: User, address: Address, address_type: str):
    if address_type == BILLING:
        user.default_billing_address = address
        user.save(update_fields=["default_billing_address", "updated_at"])
    else:
        user.default_shipping_address = address
        user.save(update_fields=["default_shipping_address", "updated_at"])


# --- Deletion ------------------------------------------------------------------------------


def request_account_deletion(user: User, redirect_url: str, channel: str | None = None):
    validate_redirect_url(redirect_url)
    validate_channel(channel)
    emails.send_account_deletion(user, redirect_url)


def delete_account(user: User, token: str):
    if not emails.deletion_token_generator.check_token(user, token):
        raise _error("token", _("The confirmation token is invalid or has expired."), "invalid")
    user.addresses.all().delete()
    user.delete()
