"""The producer's business page: its profile, photos and members; owners invite and remove
members here (storefront/portal/views_members.py) and edit the profile
(storefront/portal/views_onboarding.py)."""

from django.shortcuts import render

from backend.ocop import members
from backend.ocop.models import ProducerPhoto, ProducerRole
from backend.ocop.onboarding import profile_missing
from storefront.portal.access import member_required


@member_required
def profile(request):
    producer = request.portal.producer
    memberships = list(members.members_of(producer))
    owners = [m for m in memberships if m.role == ProducerRole.OWNER]
    context = {
        "producer": producer,
        "memberships": memberships,
        # The last owner stays: no button that could only be refused.
        "last_owner": owners[0] if len(owners) == 1 else None,
        "invitations": members.pending_invitations(producer) if request.portal.is_owner else (),
        "photos": ProducerPhoto.objects.filter(producer=producer),
        "missing": profile_missing(producer),
        "roles": ProducerRole.choices,
    }
    return render(request, "portal/profile.html", context)
