from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.Model):
    """A sales channel: its currency and country. Prices and availability are per channel."""

    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    is_active = models.BooleanField(default=True)
    currency_code = models.CharField(max_length=3)
    default_country = models.CharField(max_length=2, default="VN")

    class Meta:
        ordering = ["slug"]
        permissions = (("manage_channels", _("Manage channels.")),)

    def __str__(self):
        return self.name
