from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.Model):
    """A sales channel: its currency and country. Prices and availability are per channel."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    currency_code = models.CharField(_("currency"), max_length=3)
    default_country = models.CharField(_("default country"), max_length=2, default="VN")

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["slug"]
        permissions = (("manage_channels", _("Manage channels.")),)

    def __str__(self):
        return self.name
