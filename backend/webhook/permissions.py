from backend.account.permissions import BasePermissionEnum


class AppPermissions(BasePermissionEnum):
    MANAGE_APPS = "webhook.manage_apps"
