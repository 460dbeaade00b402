"""Thumbnail URLs. The API always answers with the stable `/thumbnail/<id>/<size>/<format>/`
address, which costs no query; that view makes the file once and redirects to it afterwards."""

from bisect import bisect_left

from django.urls import reverse

from backend.thumbnail import DEFAULT_THUMBNAIL_SIZE, THUMBNAIL_SIZES


def closest_size(size: int | None) -> int:
    """Round a requested size up to the nearest size we make (the largest when beyond it)."""
    if not size:
        return DEFAULT_THUMBNAIL_SIZE
    index = bisect_left(THUMBNAIL_SIZES, size)
    return THUMBNAIL_SIZES[min(index, len(THUMBNAIL_SIZES) - 1)]


def thumbnail_url(request, instance_global_id: str, size: int | None, format: str | None) -> str:
    """Absolute URL of `instance_global_id`'s image at `size` (rounded) in `format`
    ("" or None for the original format, "webp", "avif")."""
    kwargs = {"instance_id": instance_global_id, "size": closest_size(size)}
    if format:
        kwargs["format"] = format.lower()
    path = reverse("thumbnail", kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path
