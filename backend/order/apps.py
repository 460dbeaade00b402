from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderConfig(AppConfig):
    name = "backend.order"
    verbose_name = _("Orders")
    label = "order"
