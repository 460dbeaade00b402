"""Product pictures drawn locally with Pillow: a coloured card with the product's name, so the
demo shop has images without downloading anything. They are marked as illustrations."""

import hashlib
import io
import textwrap
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

IMAGE_SIZE = 800
_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _font(size: int):
    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def colour_for(key: str) -> tuple[int, int, int]:
    """A stable, fairly saturated colour for a key (a category, a product)."""
    digest = hashlib.sha1(key.encode()).digest()
    return (60 + digest[0] % 150, 60 + digest[1] % 150, 60 + digest[2] % 150)


def render_image(title: str, subtitle: str = "", colour=None) -> bytes:
    """A square JPEG card: gradient background, the title and a subtitle.

    No star or OCOP seal is drawn: the badge is shown by the shop only while a valid, verified
    certification exists, and a picture must never claim one."""
    colour = colour or colour_for(title)
    image = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), colour)
    draw = ImageDraw.Draw(image)
    for y in range(0, IMAGE_SIZE, 4):
        shade = y / IMAGE_SIZE * 0.55
        row = tuple(int(c + (255 - c) * shade) for c in colour)
        draw.rectangle([0, y, IMAGE_SIZE, y + 4], fill=row)
    lines = textwrap.wrap(title, width=16)[:4]
    y = 380 - 40 * len(lines)
    for line in lines:
        draw.text((60, y), line, font=_font(64), fill=(255, 255, 255))
        y += 80
    if subtitle:
        draw.text((60, y + 20), subtitle, font=_font(34), fill=(255, 255, 255))
    draw.text((60, 730), "Ảnh minh họa", font=_font(28), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def save_image(path: str, content: bytes) -> str:
    """Store through the default storage (local disk or S3) and return the stored name."""
    return default_storage.save(path, ContentFile(content))
