"""Uploaded product photos: checked, turned upright, resized and re-encoded without metadata.

Phone cameras send 4000×3000 JPEGs of several MB carrying EXIF (GPS position, device, time) and
an orientation tag. `prepare_photo` keeps only the pixels (and the colour profile): what is
stored is at most `PRODUCT_PHOTO_MAX_SIDE` px on its long side, JPEG, or PNG when the image has
transparency. The WebP thumbnails the shop shows are made afterwards by the thumbnail app, in a
Celery task (`warm_photo_thumbnails`), so the request only pays for the one re-encode.
"""

import io
import math
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from backend.core.ids import global_id
from backend.product.validators import field_error
from backend.thumbnail import DEFAULT_THUMBNAIL_SIZE, ThumbnailFormat
from backend.thumbnail.tasks import make_thumbnails

ALLOWED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# Sizes from backend.thumbnail.THUMBNAIL_SIZES: the cart's 80 px, the API's default, the
# product card's 400 px and the product page's 600 px, rounded up as the thumbnail view does.
PHOTO_THUMBNAIL_SIZES = (128, DEFAULT_THUMBNAIL_SIZE, 512, 1024)


def validate_photo(upload, field: str = "image") -> None:
    """A real JPEG/PNG/WebP/GIF (by content, not by name) no larger than
    settings.MAX_UPLOAD_IMAGE_BYTES; otherwise an `invalid` error on `field`."""
    if upload.size > settings.MAX_UPLOAD_IMAGE_BYTES:
        raise too_large_error(field, upload.size)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise field_error(
            field,
            _("Tệp tải lên không phải là ảnh hợp lệ; hãy chọn ảnh JPEG, PNG, WebP hoặc GIF."),
            "invalid",
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise field_error(
            field,
            _("Định dạng ảnh không được hỗ trợ; chỉ nhận JPEG, PNG, WebP hoặc GIF."),
            "invalid",
        )


def too_large_error(field: str, size: int) -> ValidationError:
    return field_error(
        field,
        _("Ảnh quá lớn (%(size)s); tối đa %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_IMAGE_BYTES)},
        "invalid",
    )


def process_photo(upload) -> ContentFile:
    """The upload upright (EXIF orientation applied), fitted into PRODUCT_PHOTO_MAX_SIDE px,
    re-encoded with no EXIF, GPS, XMP or comment. Expects a file `validate_photo` accepted."""
    max_side = settings.PRODUCT_PHOTO_MAX_SIDE
    upload.seek(0)
    with Image.open(upload) as image:
        width, height = image.size
        scale = min(1, max_side / max(width, height))
        # JPEG only: decode at 1/2, 1/4 or 1/8 scale when the result still covers the target.
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        icc_profile = image.info.get("icc_profile")
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        mode = "RGBA" if has_alpha else "RGB"
        if image.mode != mode:
            # Before resizing: a palette image would be resized by nearest neighbour.
            image = image.convert(mode)
        # Resize first (the box is square, so orientation does not matter), then rotate the
        # smaller image; thumbnail() and convert() keep the EXIF that exif_transpose reads.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image = ImageOps.exif_transpose(image)
    image.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    buffer = io.BytesIO()
    if has_alpha:
        image.save(buffer, format="PNG", **options)
        extension = "png"
    else:
        image.save(
            buffer,
            format="JPEG",
            quality=settings.PRODUCT_PHOTO_JPEG_QUALITY,
            optimize=True,
            progressive=True,
            **options,
        )
        extension = "jpg"
    upload.seek(0)
    stem = PurePosixPath(upload.name or "photo").stem or "photo"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{extension}")


def prepare_photo(upload, field: str = "image") -> ContentFile:
    """`validate_photo`, then `process_photo`: what to store for an uploaded product photo."""
    validate_photo(upload, field)
    return process_photo(upload)


def warm_photo_thumbnails(media) -> None:
    """Once the transaction commits, make `media`'s WebP thumbnails in the sizes the shop and
    the API ask for (a Celery task; run at once where tasks are eager)."""
    instance_id = global_id("ProductMedia", media.pk)
    sizes = list(PHOTO_THUMBNAIL_SIZES)
    transaction.on_commit(lambda: make_thumbnails.delay(instance_id, sizes, ThumbnailFormat.WEBP))
