"""A producer's members and the emailed invitations that make new ones.

An owner invites someone by email with a role (owner or staff); the email carries a link with a
signed token that names the invitation and expires after INVITATION_VALID_DAYS; accepting it
once makes the user a member (a second click, an expired or a replaced invitation is refused).
Owners remove members, never the last owner. Staff see the list but may not change it. The
office's invitation of a new producer's owner (backend/ocop/onboarding.py) uses the same
invitations. Every check happens here, whatever calls it.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.account.models import User
from backend.account.services import normalize_email
from backend.ocop import emails
from backend.ocop.access import not_found, role_of
from backend.ocop.models import (
    Producer,
    ProducerInvitation,
    ProducerMembership,
    ProducerRole,
)

INVITATION_VALID_DAYS = 7
TOKEN_SALT = "backend.ocop.members.invitation"


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def require_owner(actor, producer: Producer) -> None:
    """PermissionDenied unless `actor` is an owner of `producer`."""
    if role_of(actor, producer.pk) != ProducerRole.OWNER:
        raise PermissionDenied(_("Chỉ chủ cơ sở mới được quản lý thành viên."))


# --- invitations ----------------------------------------------------------------------------
def invitation_token(invitation: ProducerInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=TOKEN_SALT)


def create_invitation(
    producer: Producer, email: str, role: str, *, invited_by=None
) -> ProducerInvitation:
    """A new invitation (replacing any open one for the same email at this producer) and its
    email, sent once the transaction commits. No ownership check: callers check first."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise _error("email", _("Địa chỉ email không hợp lệ.")) from None
    if role not in ProducerRole.values:
        raise _error("role", _("Vai trò không hợp lệ."))
    if ProducerMembership.objects.filter(producer=producer, user__email=email).exists():
        raise _error("email", _("Người này đã là thành viên của cơ sở."), "already_member")
    ProducerInvitation.objects.filter(
        producer=producer, email=email, accepted_at__isnull=True
    ).delete()
    invitation = ProducerInvitation.objects.create(
        producer=producer,
        email=email,
        role=role,
        nonce=secrets.token_hex(16),
        invited_by=invited_by if invited_by is not None and invited_by.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    emails.send_invitation(invitation, invitation_token(invitation))
    return invitation


@transaction.atomic
def invite_member(producer: Producer, actor, email: str, role: str) -> ProducerInvitation:
    """An owner invites `email` to act for `producer` with `role`."""
    require_owner(actor, producer)
    return create_invitation(producer, email, role, invited_by=actor)


def _invalid_link() -> ValidationError:
    return _error(
        "token",
        _("Liên kết mời không hợp lệ, đã hết hạn hoặc đã được dùng. Hãy xin một lời mời mới."),
    )


def open_invitation(token: str) -> ProducerInvitation:
    """The open invitation the token names; ValidationError for a forged, expired, used or
    replaced one."""
    try:
        data = signing.loads(
            token or "", salt=TOKEN_SALT, max_age=timedelta(days=INVITATION_VALID_DAYS)
        )
    except signing.BadSignature:
        raise _invalid_link() from None
    invitation = (
        ProducerInvitation.objects.select_related("producer")
        .filter(pk=data.get("i"), nonce=data.get("n"), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        raise _invalid_link()
    return invitation


@dataclass(frozen=True)
class Acceptance:
    user: User
    membership: ProducerMembership
    new_account: bool


def account_for(invitation: ProducerInvitation) -> User | None:
    """The existing account of the invited address, if it has a password to sign in with."""
    user = User.objects.filter(email=invitation.email, is_active=True).first()
    return user if user is not None and user.has_usable_password() else None


@transaction.atomic
def accept_invitation(token: str, *, user=None, password: str = "") -> Acceptance:
    """Accept the invitation: `user` (signed in as the invited address) joins; without one,
    a new account with `password` is made for the invited address. Spent either way."""
    invitation = open_invitation(token)
    invitation = ProducerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise _invalid_link()
    new_account = False
    if user is not None and user.is_authenticated:
        if normalize_email(user.email) != invitation.email:
            raise _error(
                "email",
                _("Lời mời này gửi tới %(email)s; hãy đăng nhập bằng địa chỉ đó.")
                % {"email": invitation.email},
                "wrong_account",
            )
    else:
        if account_for(invitation) is not None:
            raise _error("password", _("Địa chỉ này đã có tài khoản; hãy đăng nhập."), "exists")
        user = User.objects.filter(email=invitation.email).first() or User(
            email=invitation.email, is_confirmed=True
        )
        if user.pk and not user.is_active:
            raise _error("email", _("Tài khoản này đã bị khoá."), "inactive")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.error_list}) from error
        user.set_password(password)
        user.is_confirmed = True
        user.save()
        new_account = True
    membership, created = ProducerMembership.objects.get_or_create(
        producer=invitation.producer, user=user, defaults={"role": invitation.role}
    )
    if not created and invitation.role == ProducerRole.OWNER:
        membership.role = ProducerRole.OWNER
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return Acceptance(user=user, membership=membership, new_account=new_account)


def pending_invitations(producer: Producer):
    return ProducerInvitation.objects.filter(
        producer=producer, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


# --- members --------------------------------------------------------------------------------
def members_of(producer: Producer):
    return (
        ProducerMembership.objects.filter(producer=producer)
        .select_related("user")
        .order_by("role", "user__email")
    )


@transaction.atomic
def remove_member(producer: Producer, actor, membership_id) -> ProducerMembership:
    """An owner removes one of `producer`'s members; another producer's membership is
    NOT_FOUND, and the last owner stays."""
    require_owner(actor, producer)
    # Lock the producer's owners so two owners removing each other cannot leave none.
    owners = list(
        ProducerMembership.objects.select_for_update()
        .filter(producer=producer, role=ProducerRole.OWNER)
        .values_list("pk", flat=True)
    )
    try:
        membership = ProducerMembership.objects.select_related("user").get(
            pk=int(membership_id), producer=producer
        )
    except (ValueError, TypeError, ProducerMembership.DoesNotExist):
        raise not_found("membership") from None
    if membership.role == ProducerRole.OWNER and owners == [membership.pk]:
        raise _error(
            "membership",
            _("Không thể xoá chủ cơ sở cuối cùng; hãy mời một chủ cơ sở khác trước."),
            "last_owner",
        )
    membership.delete()
    return membership


@transaction.atomic
def cancel_invitation(producer: Producer, actor, invitation_id) -> None:
    require_owner(actor, producer)
    if not str(invitation_id).isdigit():
        raise not_found("invitation")
    deleted, _rows = ProducerInvitation.objects.filter(
        pk=int(invitation_id), producer=producer, accepted_at__isnull=True
    ).delete()
    if not deleted:
        raise not_found("invitation")
