"""The shop's account pages: a thin layer over backend.account.services."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.account import services


@require_GET
def account_confirm(request):
    """The link of the confirmation email (`?email=..&token=..`), confirmed as `confirmAccount`
    confirms it; an unknown, used or expired link is answered 400."""
    try:
        user = services.confirm_account(request.GET.get("email", ""), request.GET.get("token", ""))
    except ValidationError:
        return render(request, "storefront/account_confirm.html", {"confirmed": False}, status=400)
    return render(
        request, "storefront/account_confirm.html", {"confirmed": True, "email": user.email}
    )
