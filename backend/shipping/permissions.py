from backend.account.permissions import BasePermissionEnum


class ShippingPermissions(BasePermissionEnum):
    MANAGE_SHIPPING = "shipping.manage_shipping"
