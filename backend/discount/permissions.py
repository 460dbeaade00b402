from backend.account.permissions import BasePermissionEnum


class DiscountPermissions(BasePermissionEnum):
    MANAGE_DISCOUNTS = "discount.manage_discounts"
