from django.apps import AppConfig


class ThumbnailConfig(AppConfig):
    name = "backend.thumbnail"
    label = "thumbnail"
