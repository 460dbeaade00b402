from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhookConfig(AppConfig):
    name = "backend.webhook"
    verbose_name = _("Webhooks")
    label = "webhook"

    def ready(self):
        from backend.warehouse.changes import stock_changes_recorded
        from backend.webhook.tasks import queue_stock_changes

        stock_changes_recorded.connect(queue_stock_changes, dispatch_uid="webhook-stock-changes")
