from django.apps import AppConfig


class ProductConfig(AppConfig):
    name = "backend.product"
    label = "product"
