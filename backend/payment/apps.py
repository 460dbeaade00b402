from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentConfig(AppConfig):
    name = "backend.payment"
    verbose_name = _("Payments")
    label = "payment"
