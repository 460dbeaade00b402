from django.apps import AppConfig


class MenuConfig(AppConfig):
    name = "backend.menu"
    label = "menu"
