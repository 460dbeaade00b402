"""The producer's OCOP certifications: each badge's state and expiry."""

from django.shortcuts import render

from backend.ocop.models import Certification
from storefront.portal.access import member_required


@member_required
def certification_list(request):
    certifications = request.portal.scope.filter(
        Certification.objects.select_related("product")
    ).order_by("-valid_until", "pk")
    return render(request, "portal/certifications.html", {"certifications": certifications})
