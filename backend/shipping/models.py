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
    name = models.CharField(max_length=100)
    countries = models.JSONField(default=list, blank=True, help_text="ISO country codes.")
    provinces = models.ManyToManyField("ocop.Province", related_name="shipping_zones", blank=True)
    channels = models.ManyToManyField("channel.Channel", related_name="shipping_zones", blank=True)
    warehouses = models.ManyToManyField(
        "warehouse.Warehouse", related_name="shipping_zones", blank=True
    )
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["pk"]
        permissions = (("manage_shipping", _("Manage shipping.")),)

    def __str__(self):
        return self.name


class ShippingMethod(ModelWithMetadata):
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=30, choices=ShippingMethodType.choices)
    shipping_zone = models.ForeignKey(
        ShippingZone, related_name="shipping_methods", on_delete=models.CASCADE
    )
    minimum_order_weight_grams = models.PositiveIntegerField(default=0, blank=True, null=True)
    maximum_order_weight_grams = models.PositiveIntegerField(blank=True, null=True)
    minimum_delivery_days = models.PositiveIntegerField(blank=True, null=True)
    maximum_delivery_days = models.PositiveIntegerField(blank=True, null=True)
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ShippingMethodChannelListing(models.Model):
    shipping_method = models.ForeignKey(
        ShippingMethod, related_name="channel_listings", on_delete=models.CASCADE
    )
    channel = models.ForeignKey(
        "channel.Channel", related_name="shipping_method_listings", on_delete=models.CASCADE
    )
    currency = models.CharField(max_length=3)
    price_amount = models.BigIntegerField(default=0)
    minimum_order_price_amount = models.BigIntegerField(default=0, blank=True, null=True)
    maximum_order_price_amount = models.BigIntegerField(blank=True, null=True)

    class Meta:
        unique_together = (("shipping_method", "channel"),)
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0), name="shipping_price_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.shipping_method_id} @ {self.channel_id}: {self.price_amount}"
