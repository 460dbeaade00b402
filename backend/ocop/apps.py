from django.apps import AppConfig


class OcopConfig(AppConfig):
    name = "backend.ocop"
    label = "ocop"
