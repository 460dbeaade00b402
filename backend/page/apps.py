from django.apps import AppConfig


class PageConfig(AppConfig):
    name = "backend.page"
    label = "page"
