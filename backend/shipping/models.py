"""Shipping zones and methods.

A zone covers countries and, inside Vietnam, a set of provinces (none = the whole country); its
methods carry a price per channel and, for weight-based methods, the weight bracket they serve —
so "Giao hàng tiêu chuẩn" can cost 22.000 ₫ up to 2 kg in the South and 35.000 ₫ in the North.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata


class ShippingMethodType(models.TextChoices):
    PRICE_BASED = "price", _("Price based shipping")
    WEIGHT_BASED = "weight", _("Weight based shipping")


class ShippingZone(ModelWithMetadata):
    name = models.CharField(_("name"), max_length=100)
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text="ISO country codes."
    )
    provinces = models.ManyToManyField(
        "ocop.Province", verbose_name=_("provinces"), related_name="shipping_zones", blank=True
    )
    channels = models.ManyToManyField(
        "channel.Channel", verbose_name=_("channels"), related_name="shipping_zones", blank=True
    )
    warehouses = models.ManyToManyField(
        "warehouse.Warehouse",
        verbose_name=_("warehouses"),
        related_name="shipping_zones",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ["pk"]
        permissions = (("manage_shipping", _("Manage shipping.")),)

    def __str__(self):
        return self.name


class ShippingMethod(ModelWithMetadata):
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=30, choices=ShippingMethodType.choices)
    shipping_zone = models.ForeignKey(
        ShippingZone,
        verbose_name=_("shipping zone"),
        related_name="shipping_methods",
        on_delete=models.CASCADE,
    )
    minimum_order_weight_grams = models.PositiveIntegerField(
        _("minimum order weight (g)"), default=0, blank=True, null=True
    )
    maximum_order_weight_grams = models.PositiveIntegerField(
        _("maximum order weight (g)"), blank=True, null=True
    )
    minimum_delivery_days = models.PositiveIntegerField(
        _("minimum delivery days"), blank=True, null=True
    )
    maximum_delivery_days = models.PositiveIntegerField(
        _("maximum delivery days"), blank=True, null=True
    )
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ShippingMethodChannelListing(models.Model):
    shipping_method = models.ForeignKey(
        ShippingMethod,
        verbose_name=_("shipping method"),
        related_name="channel_listings",
        on_delete=models.CASCADE,
    )
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        related_name="shipping_method_listings",
        on_delete=models.CASCADE,
    )
    currency = models.CharField(_("currency"), max_length=3)
    price_amount = models.BigIntegerField(_("price"), default=0)
    minimum_order_price_amount = models.BigIntegerField(
        _("minimum order value"), default=0, blank=True, null=True
    )
    maximum_order_price_amount = models.BigIntegerField(
        _("maximum order value"), blank=True, null=True
    )

    class Meta:
        verbose_name = _("shipping price")
        verbose_name_plural = _("shipping prices")
        unique_together = (("shipping_method", "channel"),)
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0), name="shipping_price_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.shipping_method_id} @ {self.channel_id}: {self.price_amount}"
