from backend.account.permissions import BasePermissionEnum
from backend.order.permissions import OrderPermissions
from backend.webhook.models import WebhookEventType


class AppPermissions(BasePermissionEnum):
    MANAGE_APPS = "webhook.manage_apps"


# What whoever subscribes an app to an event must be allowed to read, as Saleor asks of apps:
# order payloads carry the buyer's email, addresses and phone in full (apps are trusted), so
# only staff who manage orders may point them at an app (the admin's webhook form checks it).
EVENT_REQUIRED_PERMISSIONS = {
    WebhookEventType.ORDER_CREATED: OrderPermissions.MANAGE_ORDERS,
    WebhookEventType.ORDER_PAID: OrderPermissions.MANAGE_ORDERS,
}
