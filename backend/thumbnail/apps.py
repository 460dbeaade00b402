from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThumbnailConfig(AppConfig):
    name = "backend.thumbnail"
    verbose_name = _("Thumbnails")
    label = "thumbnail"
