"""Make and find thumbnails: resized copies of an instance's image, kept in default storage
with a Thumbnail row so each size and format is made only once."""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from backend.account.models import User
from backend.core.ids import resolve_global_id
from backend.product.models import Category, Collection, ProductMedia
from backend.thumbnail import ThumbnailFormat
from backend.thumbnail.models import Thumbnail
from backend.thumbnail.utils import closest_size


@dataclass(frozen=True)
class ThumbnailSource:
    """Where a global ID's image lives and which Thumbnail foreign key points back to it."""

    model: type
    image_field: str
    thumbnail_field: str


SOURCES = {
    "ProductMedia": ThumbnailSource(ProductMedia, "image", "product_media"),
    "Category": ThumbnailSource(Category, "background_image", "category"),
    "Collection": ThumbnailSource(Collection, "background_image", "collection"),
    "User": ThumbnailSource(User, "avatar", "user"),
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80},
    "AVIF": {"quality": 60},
}


class ThumbnailNotAvailable(Exception):
    """Unknown ID, unknown format, or an instance without an image."""


def get_or_create_thumbnail(instance_global_id: str, size: int, format: str | None) -> Thumbnail:
    source, pk = _resolve(instance_global_id)
    fmt = _clean_format(format)
    size = closest_size(size)
    lookup = {f"{source.thumbnail_field}_id": pk, "size": size, "format": fmt}
    thumbnail = Thumbnail.objects.filter(**lookup).first()
    if thumbnail is not None:
        return thumbnail
    instance = source.model.objects.filter(pk=pk).first()
    image = getattr(instance, source.image_field, None) if instance is not None else None
    if not image:
        raise ThumbnailNotAvailable(instance_global_id)
    content = resize_image(image, size, fmt)
    try:
        with transaction.atomic():
            thumbnail = Thumbnail(**lookup)
            thumbnail.image.save(content.name, content, save=False)
            thumbnail.save()
    except IntegrityError:
        # Another request made the same thumbnail first; use theirs.
        thumbnail.image.storage.delete(thumbnail.image.name)
        return Thumbnail.objects.get(**lookup)
    return thumbnail


def _resolve(instance_global_id: str) -> tuple[ThumbnailSource, int]:
    resolved = resolve_global_id(instance_global_id)
    if resolved is None or resolved[0] not in SOURCES:
        raise ThumbnailNotAvailable(instance_global_id)
    return SOURCES[resolved[0]], int(resolved[1])


def _clean_format(format: str | None) -> str:
    fmt = (format or "").lower()
    if fmt == "original":
        fmt = ThumbnailFormat.ORIGINAL
    if fmt not in ThumbnailFormat.values:
        raise ThumbnailNotAvailable(format)
    return fmt


def resize_image(image_file, size: int, fmt: str) -> ContentFile:
    """`image_file` fitted into a `size`×`size` box (never enlarged, EXIF rotation applied),
    encoded as `fmt` ("" keeps the source format)."""
    with image_file.open("rb") as stored, Image.open(stored) as image:
        source_format = image.format
        image = ImageOps.exif_transpose(image)
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        target = fmt.upper() or (source_format if source_format in EXTENSIONS else "PNG")
        if target == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif target != "GIF" and image.mode == "P":
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format=target, **SAVE_OPTIONS.get(target, {}))
    stem = PurePosixPath(image_file.name).stem
    return ContentFile(buffer.getvalue(), name=f"{stem}_thumbnail_{size}.{EXTENSIONS[target]}")
