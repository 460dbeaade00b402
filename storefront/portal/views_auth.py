"""Signing in to the portal: email and password, or a one-time code sent by email, through
backend.account (services, one_time_codes)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.account import one_time_codes, services
from backend.account.throttling import Delayed

SESSION_CODE_EMAIL = "portal_code_email"
BACKEND = "backend.account.backends.EmailBackend"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/portal/"


def signin(request):
    errors = []
    email = ""
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            user = services.authenticate(email, request.POST.get("password", ""))
        except ValidationError as error:
            errors = error.messages
        else:
            login(request, user, backend=BACKEND)
            return redirect(_next_url(request))
    return render(
        request,
        "portal/signin.html",
        {"errors": errors, "email": email, "next": _next_url(request)},
        status=400 if errors else 200,
    )


def code_request(request):
    """Ask for a sign-in code by email. The answer is the same whether the address has an
    account or not."""
    errors = []
    email = request.session.get(SESSION_CODE_EMAIL, "")
    status = 200
    if request.method == "POST":
        email = services.normalize_email(request.POST.get("email", ""))
        try:
            validate_email(email)
            one_time_codes.request_code(email, request.META.get("REMOTE_ADDR", ""))
        except ValidationError:
            errors, status = [_("Enter a valid email address.")], 400
        except Delayed as delayed:
            errors, status = [delayed.message], 429
        else:
            request.session[SESSION_CODE_EMAIL] = email
            messages.success(
                request,
                _(
                    "If %(email)s belongs to a portal account, a 6-digit code is on its way. "
                    "It is valid for %(minutes)s minutes."
                )
                % {"email": email, "minutes": one_time_codes.CODE_VALID_MINUTES},
            )
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('portal:signin_code_verify')}?{query}")
    context = {"errors": errors, "email": email, "next": _next_url(request)}
    return render(request, "portal/signin_code.html", context, status=status)


def code_verify(request):
    """Type the code received by email and be signed in."""
    errors = []
    email = request.session.get(SESSION_CODE_EMAIL, "")
    if request.method == "POST":
        email = services.normalize_email(request.POST.get("email", "") or email)
        try:
            user = one_time_codes.sign_in_with_code(email, request.POST.get("code", ""))
        except ValidationError as error:
            errors = error.messages
        else:
            request.session.pop(SESSION_CODE_EMAIL, None)
            login(request, user, backend=BACKEND)
            messages.info(request, _("You are signed in with your one-time code."))
            return redirect(_next_url(request))
    context = {"errors": errors, "email": email, "next": _next_url(request)}
    return render(request, "portal/signin_code_verify.html", context, status=400 if errors else 200)


@require_POST
def signout(request):
    logout(request)
    return redirect("portal:signin")
