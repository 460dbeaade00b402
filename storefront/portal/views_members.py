"""A producer's members: owners invite (by email, with a role) and remove them; anyone opens
an invitation link to join. The rules are backend.ocop.members'; this only translates."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.account import services as accounts
from backend.account import throttling
from backend.ocop import members
from backend.ocop.models import ProducerRole
from backend.ocop.onboarding import profile_missing
from storefront.portal.access import SESSION_PRODUCER, member_required
from storefront.portal.views_auth import BACKEND


def _codes(error: ValidationError) -> set:
    return {item.code for items in error.error_dict.values() for item in items}


def _raise_not_found(error: ValidationError):
    if hasattr(error, "error_dict") and "not_found" in _codes(error):
        raise Http404 from error


@require_POST
@member_required
def member_invite(request):
    producer = request.portal.producer
    try:
        invitation = members.invite_member(
            producer, request.user, request.POST.get("email", ""), request.POST.get("role", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Invitation sent to %(email)s. The link is valid for %(days)s days.")
            % {"email": invitation.email, "days": members.INVITATION_VALID_DAYS},
        )
    return redirect("portal:profile")


@require_POST
@member_required
def member_remove(request, pk):
    try:
        removed = members.remove_member(request.portal.producer, request.user, pk)
    except ValidationError as error:
        _raise_not_found(error)
        for message in error.messages:
            messages.error(request, message)
        return redirect("portal:profile")
    if removed.user_id == request.user.pk:
        messages.success(request, _("You left %(name)s.") % {"name": request.portal.producer.name})
        request.session.pop(SESSION_PRODUCER, None)
        return redirect("portal:dashboard")
    messages.success(request, _("%(email)s was removed.") % {"email": removed.user.email})
    return redirect("portal:profile")


@require_POST
@member_required
def invitation_cancel(request, pk):
    try:
        members.cancel_invitation(request.portal.producer, request.user, pk)
    except ValidationError as error:
        _raise_not_found(error)
        raise
    messages.success(request, _("The invitation was cancelled."))
    return redirect("portal:profile")


def invitation(request, token):
    """Accept an invitation: sign in (existing account) or set a password (new one)."""
    try:
        invitation = members.open_invitation(token)
    except ValidationError as error:
        return render(
            request, "portal/invitation_invalid.html", {"errors": error.messages}, status=410
        )
    account = members.account_for(invitation)
    signed_in_as_invited = (
        request.user.is_authenticated
        and accounts.normalize_email(request.user.email) == invitation.email
    )
    errors = []
    if request.method == "POST":
        try:
            acceptance = _accept(request, token, invitation, account, signed_in_as_invited)
        except ValidationError as error:
            errors = error.messages
        except throttling.Delayed as delayed:
            errors = [delayed.message]
        else:
            return _welcome(request, acceptance)
    context = {
        "invitation": invitation,
        "producer": invitation.producer,
        "account": account,
        "signed_in_as_invited": signed_in_as_invited,
        "errors": errors,
    }
    return render(request, "portal/invitation.html", context, status=400 if errors else 200)


def _accept(request, token, invitation, account, signed_in_as_invited):
    if signed_in_as_invited:
        return members.accept_invitation(token, user=request.user)
    if account is not None:
        user = throttling.authenticate(
            request.META.get("REMOTE_ADDR", ""),
            invitation.email,
            request.POST.get("password", ""),
            accounts.authenticate,
        )
        return members.accept_invitation(token, user=user)
    password = request.POST.get("password", "")
    if password != request.POST.get("password2", ""):
        raise ValidationError({"password2": _("The two passwords do not match.")})
    return members.accept_invitation(token, password=password)


def _welcome(request, acceptance):
    if request.user.pk != acceptance.user.pk:
        login(request, acceptance.user, backend=BACKEND)
    producer = acceptance.membership.producer
    request.session[SESSION_PRODUCER] = producer.pk
    messages.success(request, _("Welcome to %(name)s.") % {"name": producer.name})
    if acceptance.membership.role == ProducerRole.OWNER and profile_missing(producer):
        return redirect("portal:profile_edit")
    return redirect("portal:profile")
