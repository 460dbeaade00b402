from django.apps import AppConfig


class WebhookConfig(AppConfig):
    name = "backend.webhook"
    label = "webhook"
