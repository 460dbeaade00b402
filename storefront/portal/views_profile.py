"""The producer's profile and its members."""

from django.shortcuts import render

from backend.ocop.models import ProducerMembership
from storefront.portal.access import member_required


@member_required
def profile(request):
    memberships = ProducerMembership.objects.filter(
        producer=request.portal.producer
    ).select_related("user")
    return render(request, "portal/profile.html", {"memberships": memberships})
