from backend.account.permissions import BasePermissionEnum


class LivestreamPermissions(BasePermissionEnum):
    MANAGE_LIVESTREAMS = "livestream.manage_livestreams"
