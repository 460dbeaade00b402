from django.apps import AppConfig


class AttributeConfig(AppConfig):
    name = "backend.attribute"
    label = "attribute"
