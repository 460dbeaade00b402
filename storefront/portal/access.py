"""The portal's door: who is signed in, which producer they act for, and with what scope.

Every portal view is wrapped in `member_required`; it sets `request.portal` to a `PortalMember`
(the producer chosen in the session, the member's role, and a `ProducerScope` limited to that
producer) that views pass to the domain services. Records of other producers are looked up through
`request.portal.scope`, so they answer 404.
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from backend.ocop.access import ProducerScope
from backend.ocop.models import Producer, ProducerMembership, ProducerRole

SESSION_PRODUCER = "portal_producer"


@dataclass(frozen=True)
class PortalMember:
    user: object
    producer: Producer
    role: str
    producers: tuple  # every producer the user belongs to, for the switcher

    @property
    def scope(self) -> ProducerScope:
        return ProducerScope(
            user=self.user, everything=False, producer_ids=frozenset({self.producer.pk})
        )

    @property
    def is_owner(self) -> bool:
        return self.role == ProducerRole.OWNER


def current_member(request) -> PortalMember | None:
    """The signed-in user's membership for the producer chosen in the session (else their first)."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    memberships = list(
        ProducerMembership.objects.filter(user=user)
        .select_related("producer__province")
        .order_by("producer__name")
    )
    if not memberships:
        return None
    chosen = request.session.get(SESSION_PRODUCER)
    membership = next((m for m in memberships if m.producer_id == chosen), memberships[0])
    return PortalMember(
        user=user,
        producer=membership.producer,
        role=membership.role,
        producers=tuple(m.producer for m in memberships),
    )


def member_required(view=None, *, owner=False):
    """Sign-in page for visitors; 403 for users who act for no producer (or are not the
    owner, with `owner=True`)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('portal:signin')}?{query}")
            member = current_member(request)
            if member is None or (owner and not member.is_owner):
                raise PermissionDenied
            request.portal = member
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
