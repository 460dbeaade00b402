"""The portal's home: the producer's dashboard, and switching between producers."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backend.order.producer_dashboard import producer_dashboard
from storefront.portal.access import SESSION_PRODUCER, member_required


@member_required
def dashboard(request):
    figures = producer_dashboard(request.portal.scope)
    return render(request, "portal/dashboard.html", {"figures": figures})


@require_POST
@member_required
def switch_producer(request):
    wanted = request.POST.get("producer", "")
    if wanted.isdigit() and int(wanted) in {p.pk for p in request.portal.producers}:
        request.session[SESSION_PRODUCER] = int(wanted)
    return redirect("portal:dashboard")
