"""Time to process a phone photo uploaded as a product image.

Run: `python bench/photo_upload.py [N]` (no database needed). Builds one phone-like JPEG
(4000×3000, quality 95, about 5 MB, with EXIF: camera, GPS position, orientation 6) and times,
N times after a warm-up, p50/p95:
- the request's share: `prepare_photo` (check by content, turn upright, fit into
  PRODUCT_PHOTO_MAX_SIDE px, re-encode without metadata), which productMediaCreate stores;
- the Celery task's share: the WebP thumbnails in PHOTO_THUMBNAIL_SIZES, made from the stored
  photo by the thumbnail app's `resize_image`.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from catalog_api import host_speed_line, host_speed_ms, percentile  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
WARM_UP = 2
SIZE = (4000, 3000)


def phone_photo() -> bytes:
    """Smooth colour gradients under sensor-like noise: compresses as a camera JPEG does."""
    from PIL import Image

    width, height = SIZE
    red = Image.linear_gradient("L").resize(SIZE)
    green = Image.linear_gradient("L").rotate(90).resize(SIZE)
    blue = Image.effect_noise(SIZE, 64).point(lambda value: value // 2 + 60)
    noise = Image.effect_noise(SIZE, 10)
    image = Image.blend(
        Image.merge("RGB", (red, green, blue)), Image.merge("RGB", (noise, noise, noise)), 0.5
    )
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise, as a phone held upright
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, exif=exif)
    return buffer.getvalue()


def timed(function, runs: int) -> list[float]:
    for _ in range(WARM_UP):
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from backend.product.photos import PHOTO_THUMBNAIL_SIZES, prepare_photo
    from backend.thumbnail.services import resize_image

    before = host_speed_ms()
    content = phone_photo()
    stored = prepare_photo(SimpleUploadedFile("IMG_0001.JPG", content))
    stored_bytes = stored.read()
    with Image.open(io.BytesIO(stored_bytes)) as image:
        stored_size, stored_exif = image.size, dict(image.getexif())

    def upload():
        prepare_photo(SimpleUploadedFile("IMG_0001.JPG", content))

    def thumbnails():
        for size in PHOTO_THUMBNAIL_SIZES:
            resize_image(ContentFile(stored_bytes, name=stored.name), size, "webp")

    print(
        f"phone photo: {SIZE[0]}×{SIZE[1]} JPEG q95, {len(content) / 1e6:.1f} MB, EXIF with GPS"
        f" → stored {stored_size[0]}×{stored_size[1]} JPEG"
        f" q{settings.PRODUCT_PHOTO_JPEG_QUALITY}, {stored.size / 1e6:.2f} MB,"
        f" EXIF {stored_exif or 'none'}"
    )
    print(f"N={RUNS} after {WARM_UP} warm-up runs\n")
    print(f"{'step':<58} {'p50 ms':>8} {'p95 ms':>8}")
    for label, function in (
        ("prepare_photo (check, upright, resize, re-encode)", upload),
        (
            f"WebP thumbnails {', '.join(map(str, PHOTO_THUMBNAIL_SIZES))} px (Celery task)",
            thumbnails,
        ),
    ):
        times = timed(function, RUNS)
        print(f"{label:<58} {percentile(times, 0.5):>8.0f} {percentile(times, 0.95):>8.0f}")
    print(host_speed_line(before))


if __name__ == "__main__":
    main()
