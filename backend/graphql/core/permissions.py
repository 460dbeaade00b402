from backend.account.permissions import has_one_of_permissions
from backend.graphql.core.errors import PermissionDenied


def require_permissions(info, permissions):
    """Raise PermissionDenied unless the requester has one of `permissions`."""
    if not has_one_of_permissions(info.context.user, permissions):
        raise PermissionDenied(permissions=permissions)


def is_staff(info) -> bool:
    user = info.context.user
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def can_see_private_metadata(info, _instance) -> bool:
    return is_staff(info)
