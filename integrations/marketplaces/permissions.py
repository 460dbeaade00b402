from backend.account.permissions import BasePermissionEnum


class IntegrationPermissions(BasePermissionEnum):
    MANAGE_INTEGRATIONS = "marketplaces.manage_integrations"
