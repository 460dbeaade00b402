from backend.account.permissions import BasePermissionEnum


class OrderPermissions(BasePermissionEnum):
    MANAGE_ORDERS = "order.manage_orders"
