"""The shop's account pages: a thin layer over backend.account.services, limited by
backend.account.throttling exactly as the API's mutations are (tokenCreate, accountRegister,
requestPasswordReset)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.account import services, throttling

AUTH_BACKEND = "backend.account.backends.EmailBackend"
# Where the set-password page keeps the reset link's email and token once it has read them
# from the address bar (so the token does not stay in the URL, the history or a Referer).
PASSWORD_RESET_SESSION_KEY = "account:password-reset"
CHECK_EMAIL_SESSION_KEY = "account:check-email"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as messages by field ("general": not about one field)."""
    if not hasattr(error, "error_dict"):
        return {"general": list(error.messages)}
    return {
        "general" if field == NON_FIELD_ERRORS else field: [m for e in errors for m in e.messages]
        for field, errors in error.error_dict.items()
    }


def error_codes(error: ValidationError) -> set[str]:
    if not hasattr(error, "error_dict"):
        return {item.code for item in error.error_list}
    return {item.code for items in error.error_dict.values() for item in items}


def safe_next(request) -> str:
    """The `next` page asked for, if it is on this site; otherwise the account."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("storefront:account")


def _absolute(url_name: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse(url_name)


def _sign_in_url(email: str) -> str:
    return f"{reverse('storefront:sign_in')}?{urlencode({'email': email})}"


def _check_email(request, email: str, reason: str):
    request.session[CHECK_EMAIL_SESSION_KEY] = {"email": email, "reason": reason}
    return redirect("storefront:check_email")


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """Registration through services.register: the same answer whether or not the email already
    has an account (nobody can probe addresses); the confirmation email links to
    storefront:account_confirm."""
    form = {
        "email": request.POST.get("email", request.GET.get("email", "")).strip(),
        "first_name": request.POST.get("first_name", "").strip(),
    }
    errors = {}
    if request.method == "POST":
        try:
            throttling.count_request("register", client_address(request), form["email"])
            services.register(
                email=form["email"],
                password=request.POST.get("password", ""),
                first_name=form["first_name"],
                language_code=get_language() or settings.LANGUAGE_CODE,
            )
        except throttling.Delayed as delayed:
            errors = {"general": [delayed.message]}
        except ValidationError as error:
            errors = field_errors(error)
        else:
            if services.confirmation_required():
                return _check_email(request, services.normalize_email(form["email"]), "sign_up")
            messages.success(request, _("Your account is ready. Sign in to continue."))
            return redirect(_sign_in_url(form["email"]))
    status = 400 if errors else 200
    return render(
        request, "storefront/account/sign_up.html", {"form": form, "errors": errors}, status=status
    )


@require_GET
def check_email(request):
    """The page after signing up or asking for a link: it never says whether the address has
    an account."""
    sent = request.session.get(CHECK_EMAIL_SESSION_KEY) or {}
    return render(request, "storefront/account/check_email.html", {"sent": sent})


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Signs in the user services.authenticate accepts, under the API's sign-in delays."""
    email = request.POST.get("email", request.GET.get("email", "")).strip()
    next_url = safe_next(request)
    errors = {}
    unconfirmed = False
    if request.method == "POST":
        try:
            user = throttling.authenticate(
                client_address(request),
                email,
                request.POST.get("password", ""),
                services.authenticate,
            )
        except throttling.Delayed as delayed:
            errors = {"general": [delayed.message]}
        except ValidationError as error:
            unconfirmed = "account_not_confirmed" in error_codes(error)
            errors = {"general": field_errors(error).get("email", error.messages)}
        else:
            login(request, user, backend=AUTH_BACKEND)
            return redirect(next_url)
    return render(
        request,
        "storefront/account/sign_in.html",
        {"email": email, "next": next_url, "errors": errors, "unconfirmed": unconfirmed},
        status=400 if errors else 200,
    )


@require_POST
def resend_confirmation(request):
    """A new confirmation link for an account not yet confirmed (counted as a registration)."""
    email = request.POST.get("email", "").strip()
    try:
        throttling.count_request("register", client_address(request), email)
    except throttling.Delayed as delayed:
        messages.error(request, delayed.message)
        return redirect(_sign_in_url(email))
    services.resend_account_confirmation(email)
    return _check_email(request, services.normalize_email(email), "resend")


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("storefront:home")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Asks services.request_password_reset for a link to storefront:password_set; the same
    answer whether the email has an account or not."""
    email = request.POST.get("email", request.GET.get("email", "")).strip()
    errors = {}
    if request.method == "POST":
        try:
            throttling.count_request("password-reset", client_address(request), email)
            if not email:
                raise ValidationError({"email": _("Enter a valid email address.")})
            services.request_password_reset(email, _absolute("storefront:password_set"))
        except throttling.Delayed as delayed:
            errors = {"general": [delayed.message]}
        except ValidationError as error:
            errors = field_errors(error)
        else:
            return _check_email(request, services.normalize_email(email), "password_reset")
    return render(
        request,
        "storefront/account/password_reset.html",
        {"email": email, "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def password_set(request):
    """The reset email's link (`?email=..&token=..`): the new password is set by
    services.set_password (its token rules), then the user is signed in."""
    if "token" in request.GET:
        request.session[PASSWORD_RESET_SESSION_KEY] = {
            "email": request.GET.get("email", ""),
            "token": request.GET.get("token", ""),
        }
        return redirect("storefront:password_set")
    link = request.session.get(PASSWORD_RESET_SESSION_KEY)
    if not link:
        return render(
            request, "storefront/account/password_set.html", {"invalid_link": True}, status=400
        )
    errors = {}
    if request.method == "POST":
        try:
            user = services.set_password(
                link["email"], request.POST.get("password", ""), link["token"]
            )
        except ValidationError as error:
            errors = field_errors(error)
        else:
            request.session.pop(PASSWORD_RESET_SESSION_KEY, None)
            login(request, user, backend=AUTH_BACKEND)
            messages.success(request, _("Your new password is set."))
            return redirect("storefront:account")
    invalid_link = bool(errors.get("token") or errors.get("email"))
    return render(
        request,
        "storefront/account/password_set.html",
        {"email": link["email"], "errors": errors, "invalid_link": invalid_link},
        status=400 if errors else 200,
    )


@require_GET
def account_confirm(request):
    """The link of the confirmation email (`?email=..&token=..`), confirmed as `confirmAccount`
    confirms it (the guest orders placed with the email join the account); an unknown, used or
    expired link is answered 400."""
    try:
        user = services.confirm_account(request.GET.get("email", ""), request.GET.get("token", ""))
    except ValidationError:
        return render(request, "storefront/account_confirm.html", {"confirmed": False}, status=400)
    return render(
        request, "storefront/account_confirm.html", {"confirmed": True, "email": user.email}
    )
