from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo shop's data and its `populatedb` and `generate_catalog` commands; no models."""

    name = "backend.demo"
    verbose_name = _("Demo data")
    label = "demo"
