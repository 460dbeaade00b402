"""OCOP domain: provinces and producers.

This is the room the catalog needs now (a product belongs to a producer, a producer to a province);
the certification workflow is built on top of it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    NORTHERN_MIDLANDS_MOUNTAINS = "northern-midlands-mountains", _("Trung du và miền núi phía Bắc")
    RED_RIVER_DELTA = "red-river-delta", _("Đồng bằng sông Hồng")
    NORTH_CENTRAL = "north-central", _("Bắc Trung Bộ")
    SOUTH_CENTRAL_COAST = "south-central-coast", _("Duyên hải Nam Trung Bộ")
    CENTRAL_HIGHLANDS = "central-highlands", _("Tây Nguyên")
    SOUTHEAST = "southeast", _("Đông Nam Bộ")
    MEKONG_DELTA = "mekong-delta", _("Đồng bằng sông Cửu Long")


class Province(models.Model):
    """One of the 34 provincial units in force since 1 July 2025 (Decision 19/2025/QĐ-TTg codes)."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=40, choices=Region.choices, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class LegacyProvince(models.Model):
    """A province as it existed before the 2025 reform, mapped to the unit it is part of now."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    current = models.ForeignKey(Province, related_name="legacy_units", on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class ProducerType(models.TextChoices):
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    HOUSEHOLD_BUSINESS = "household", _("Hộ kinh doanh")
    COOPERATIVE_GROUP = "cooperative-group", _("Tổ hợp tác")


class Producer(models.Model):
    """An OCOP subject (chủ thể): the cooperative, enterprise or household behind products."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    legal_type = models.CharField(max_length=20, choices=ProducerType.choices)
    tax_code = models.CharField(max_length=20, blank=True)
    province = models.ForeignKey(Province, related_name="producers", on_delete=models.PROTECT)
    address = models.CharField(max_length=500, blank=True)
    story = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="producers", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
