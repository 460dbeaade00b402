"""Signing in to the portal: email and password, through backend.account.services."""

from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from backend.account import services


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
            login(request, user, backend="backend.account.backends.EmailBackend")
            return redirect(_next_url(request))
    return render(
        request,
        "portal/signin.html",
        {"errors": errors, "email": email, "next": _next_url(request)},
        status=400 if errors else 200,
    )


@require_POST
def signout(request):
    logout(request)
    return redirect("portal:signin")
