from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhookConfig(AppConfig):
    name = "backend.webhook"
    verbose_name = _("Webhooks")
    label = "webhook"
