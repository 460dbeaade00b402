from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "backend.checkout"
    verbose_name = _("Checkouts")
    label = "checkout"
