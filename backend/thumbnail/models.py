"""Resized copies of uploaded images, made on first request and kept (Saleor's approach)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.thumbnail import ThumbnailFormat


class Thumbnail(models.Model):
    image = models.ImageField(_("image"), upload_to="thumbnails")
    size = models.PositiveIntegerField(_("size"))
    format = models.CharField(
        _("format"), max_length=32, choices=ThumbnailFormat.choices, default=""
    )
    product_media = models.ForeignKey(
        "product.ProductMedia",
        verbose_name=_("product media"),
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )
    category = models.ForeignKey(
        "product.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )
    collection = models.ForeignKey(
        "product.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        "account.User",
        verbose_name=_("user"),
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("thumbnail")
        verbose_name_plural = _("thumbnails")
        constraints = [
            models.UniqueConstraint(
                fields=["product_media", "category", "collection", "user", "size", "format"],
                name="unique_thumbnail_per_instance_size_format",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.image.name} ({self.size}px {self.format or 'original'})"
