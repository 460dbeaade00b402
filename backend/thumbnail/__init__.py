from django.db import models

# Sizes a requested thumbnail size is rounded up to, so a handful of files serve every client.
THUMBNAIL_SIZES = [32, 64, 128, 256, 512, 1024, 2048, 4096]
DEFAULT_THUMBNAIL_SIZE = 256


class ThumbnailFormat(models.TextChoices):
    ORIGINAL = "", "Original"
    WEBP = "webp", "WebP"
    AVIF = "avif", "AVIF"
