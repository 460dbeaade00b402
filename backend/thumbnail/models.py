"""Resized copies of uploaded images, made on first request and kept (Saleor's approach)."""

from django.db import models

from backend.thumbnail import ThumbnailFormat


class Thumbnail(models.Model):
    image = models.ImageField(upload_to="thumbnails")
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=32, choices=ThumbnailFormat.choices, default="")
    product_media = models.ForeignKey(
        "product.ProductMedia",
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )
    category = models.ForeignKey(
        "product.Category",
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )
    collection = models.ForeignKey(
        "product.Collection",
        null=True,
        blank=True,
        related_name="thumbnails",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        "account.User", null=True, blank=True, related_name="thumbnails", on_delete=models.CASCADE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product_media", "category", "collection", "user", "size", "format"],
                name="unique_thumbnail_per_instance_size_format",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.image.name} ({self.size}px {self.format or 'original'})"
