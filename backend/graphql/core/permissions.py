"""Who may call what: Saleor's permission checks, and the producer scope a producer's members
act in (backend.ocop.access holds the rule; this is how the API asks it, once per request)."""

from backend.account.permissions import has_one_of_permissions
from backend.graphql.core.errors import PermissionDenied
from backend.ocop.access import ProducerScope


def require_permissions(info, permissions):
    """Raise PermissionDenied unless the requester has one of `permissions`."""
    if not has_one_of_permissions(info.context.user, permissions):
        raise PermissionDenied(permissions=permissions)


def producer_scope(info, permission) -> ProducerScope:
    """The producers the requester acts for with `permission`: every one for staff holding it,
    else the producers they are a member of. Read once per request."""
    context = info.context
    scopes = getattr(context, "_producer_scopes", None)
    if scopes is None:
        scopes = {}
        context._producer_scopes = scopes
    if permission not in scopes:
        scopes[permission] = ProducerScope.of(context.user, permission)
    return scopes[permission]


def require_permission_or_membership(info, permission, named=None) -> ProducerScope:
    """The requester's scope for `permission`: staff holding it, or an active member of at least
    one producer (who then acts for their own producers only). Anyone else: PermissionDenied,
    naming the `named` permissions (default: `permission`)."""
    scope = producer_scope(info, permission)
    if not scope.can_act:
        raise PermissionDenied(permissions=list(named or [permission]))
    return scope


def is_staff(info) -> bool:
    user = info.context.user
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def can_see_private_metadata(info, _instance) -> bool:
    return is_staff(info)
