from django.apps import AppConfig


class DiscountConfig(AppConfig):
    name = "backend.discount"
    label = "discount"
