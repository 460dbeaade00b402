from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttributeConfig(AppConfig):
    name = "backend.attribute"
    verbose_name = _("Attributes")
    label = "attribute"
