from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelConfig(AppConfig):
    name = "backend.channel"
    verbose_name = _("Sales channels")
    label = "channel"
