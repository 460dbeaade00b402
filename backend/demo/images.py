"""Product pictures drawn locally with Pillow, so the demo shop has images without downloading
anything. A product picture is a placeholder that reads as a product photo: the silhouette of
what is sold (a jar, a bottle, a bag, a box, a plant…) on a soft background, with the product's
name and "Ảnh minh họa" (illustration). Other pictures (livestream covers) are coloured cards.

No star or OCOP seal is ever drawn: the badge is shown by the shop only while a valid, verified
certification exists, and a picture must never claim one."""

import hashlib
import io
import textwrap
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

IMAGE_SIZE = 800
ILLUSTRATION = "Ảnh minh họa"
_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
# The silhouette of each packaging value of the catalogue ("khong-dong-goi", unpackaged, is
# drawn by what the product is: see `shape_for`).
PACKAGING_SHAPES = {
    "chai": "bottle",
    "hu": "jar",
    "tui": "bag",
    "bao": "sack",
    "hop": "box",
    "lon": "can",
}
UNPACKAGED_SHAPES = {
    "trai-cay-nong-san": "fruit",
    "do-gia-dung": "basket",
    "cay-canh": "plant",
    "hoa": "flower",
    "dong-vat-canh": "fish",
}


@cache
def _font(size: int):
    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def colour_for(key: str) -> tuple[int, int, int]:
    """A stable, fairly saturated colour for a key (a category, a product)."""
    digest = hashlib.sha1(key.encode()).digest()
    return (60 + digest[0] % 150, 60 + digest[1] % 150, 60 + digest[2] % 150)


def shape_for(packaging: str, subcategory: str = "") -> str:
    """The silhouette for a product: its packaging, or what it is when it is sold unpackaged
    (a tour or a ticket when nothing else fits)."""
    return PACKAGING_SHAPES.get(packaging) or UNPACKAGED_SHAPES.get(subcategory, "ticket")


def _mix(colour, other, share: float) -> tuple[int, int, int]:
    return tuple(int(c + (o - c) * share) for c, o in zip(colour, other, strict=True))


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def render_image(title: str, subtitle: str = "", colour=None) -> bytes:
    """A square JPEG card: gradient background, the title and a subtitle."""
    colour = colour or colour_for(title)
    image = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), colour)
    draw = ImageDraw.Draw(image)
    for y in range(0, IMAGE_SIZE, 4):
        draw.rectangle([0, y, IMAGE_SIZE, y + 4], fill=_mix(colour, (255, 255, 255), y / 1450))
    lines = textwrap.wrap(title, width=16)[:4]
    y = 380 - 40 * len(lines)
    for line in lines:
        draw.text((60, y), line, font=_font(64), fill=(255, 255, 255))
        y += 80
    if subtitle:
        draw.text((60, y + 20), subtitle, font=_font(34), fill=(255, 255, 255))
    draw.text((60, 730), ILLUSTRATION, font=_font(28), fill=(255, 255, 255))
    return _jpeg(image)


def render_product_image(title: str, shape: str, colour=None) -> bytes:
    """A square JPEG placeholder that reads as a product photo: the `shape` silhouette (see
    `PACKAGING_SHAPES`) standing on a soft backdrop, the title under it, "Ảnh minh họa"."""
    colour = colour or colour_for(title)
    white = (255, 255, 255)
    image = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), white)
    draw = ImageDraw.Draw(image)
    for y in range(0, IMAGE_SIZE, 8):  # a studio backdrop: pale at the top, a touch darker below
        draw.rectangle([0, y, IMAGE_SIZE, y + 8], fill=_mix(white, colour, 0.08 + y / 5000))
    draw.ellipse([230, 500, 570, 550], fill=_mix(white, colour, 0.32))  # the shadow
    body, light = colour, _mix(colour, white, 0.45)
    _SILHOUETTES.get(shape, _ticket)(draw, body, light)
    ink = _mix(colour, (0, 0, 0), 0.65)  # dark enough to read on the pale backdrop
    lines = textwrap.wrap(title, width=22)[:2]
    y = 590 if len(lines) == 1 else 570
    for line in lines:
        width = draw.textlength(line, font=_font(48))
        draw.text(((IMAGE_SIZE - width) / 2, y), line, font=_font(48), fill=ink)
        y += 62
    width = draw.textlength(ILLUSTRATION, font=_font(26))
    draw.text(((IMAGE_SIZE - width) / 2, 730), ILLUSTRATION, font=_font(26), fill=ink)
    return _jpeg(image)


# --- silhouettes: each stands on the shadow at y ≈ 525, centred on x = 400 ------------------
def _bottle(draw, body, light):
    draw.rectangle([375, 120, 425, 150], fill=_mix(body, (0, 0, 0), 0.3))  # the cap
    draw.polygon([(380, 150), (420, 150), (420, 215), (470, 275), (330, 275), (380, 215)], body)
    draw.rounded_rectangle([330, 260, 470, 525], radius=22, fill=body)
    draw.rectangle([340, 330, 460, 440], fill=light)  # the label


def _jar(draw, body, light):
    draw.rounded_rectangle([305, 215, 495, 260], radius=10, fill=_mix(body, (0, 0, 0), 0.3))
    draw.rounded_rectangle([290, 250, 510, 525], radius=40, fill=body)
    draw.rectangle([300, 330, 500, 440], fill=light)


def _bag(draw, body, light):
    draw.polygon([(300, 190), (500, 190), (530, 525), (270, 525)], body)
    draw.rectangle([300, 190, 500, 225], fill=_mix(body, (0, 0, 0), 0.25))  # the zip seal
    draw.rounded_rectangle([320, 310, 480, 440], radius=14, fill=light)


def _sack(draw, body, light):
    draw.polygon([(330, 170), (470, 170), (440, 215), (360, 215)], _mix(body, (0, 0, 0), 0.2))
    draw.rounded_rectangle([250, 205, 550, 525], radius=70, fill=body)
    draw.rectangle([310, 320, 490, 430], fill=light)


def _box(draw, body, light):
    dark = _mix(body, (0, 0, 0), 0.25)
    draw.polygon([(260, 250), (330, 200), (560, 200), (490, 250)], light)  # the lid
    draw.polygon([(490, 250), (560, 200), (560, 470), (490, 525)], dark)  # the side
    draw.rectangle([260, 250, 490, 525], fill=body)
    draw.rectangle([290, 340, 460, 430], fill=light)


def _can(draw, body, light):
    draw.ellipse([320, 205, 480, 245], fill=_mix(body, (0, 0, 0), 0.3))
    draw.rectangle([320, 225, 480, 505], fill=body)
    draw.ellipse([320, 485, 480, 525], fill=body)
    draw.rectangle([320, 320, 480, 420], fill=light)


def _fruit(draw, body, light):
    draw.ellipse([270, 230, 530, 525], fill=body)
    draw.ellipse([320, 280, 390, 340], fill=light)  # the shine
    draw.rectangle([393, 190, 407, 240], fill=(110, 80, 50))
    draw.ellipse([405, 185, 480, 220], fill=(80, 150, 70))


def _basket(draw, body, light):
    draw.arc([300, 170, 500, 400], 180, 360, fill=body, width=18)  # the handle
    draw.polygon([(240, 300), (560, 300), (520, 525), (280, 525)], body)
    for y in range(330, 520, 40):  # the weave
        draw.line([(260, y), (540, y)], fill=light, width=8)


def _plant(draw, body, light):
    green = (70, 140, 80)
    draw.rectangle([392, 250, 408, 430], fill=(110, 80, 50))
    for box in ([300, 160, 420, 280], [380, 140, 510, 270], [330, 90, 470, 200]):
        draw.ellipse(box, fill=green)
    draw.polygon([(320, 420), (480, 420), (455, 525), (345, 525)], body)  # the pot
    draw.rectangle([310, 410, 490, 440], fill=light)


def _flower(draw, body, light):
    draw.line([(400, 300), (400, 470)], fill=(70, 140, 80), width=12)
    draw.ellipse([405, 360, 480, 400], fill=(70, 140, 80))
    for dx, dy in ((0, -60), (57, -18), (35, 50), (-35, 50), (-57, -18)):
        draw.ellipse([360 + dx, 200 + dy, 440 + dx, 280 + dy], fill=body)
    draw.ellipse([375, 215, 425, 265], fill=light)
    draw.polygon([(340, 450), (460, 450), (440, 525), (360, 525)], _mix(body, (0, 0, 0), 0.3))


def _fish(draw, body, light):
    draw.rounded_rectangle([220, 240, 580, 525], radius=30, fill=_mix(light, (255, 255, 255), 0.5))
    draw.ellipse([290, 330, 480, 430], fill=body)  # the fish in its tank
    draw.polygon([(470, 380), (540, 335), (540, 425)], body)
    draw.ellipse([320, 365, 340, 385], fill=(255, 255, 255))


def _ticket(draw, body, light):
    draw.rounded_rectangle([200, 250, 600, 500], radius=24, fill=body)
    draw.polygon([(230, 470), (330, 340), (400, 420), (470, 320), (570, 470)], light)  # hills
    draw.ellipse([470, 275, 530, 335], fill=light)  # the sun
    draw.ellipse([185, 355, 215, 395], fill=(255, 255, 255))  # the ticket's notches
    draw.ellipse([585, 355, 615, 395], fill=(255, 255, 255))


_SILHOUETTES = {
    "bottle": _bottle,
    "jar": _jar,
    "bag": _bag,
    "sack": _sack,
    "box": _box,
    "can": _can,
    "fruit": _fruit,
    "basket": _basket,
    "plant": _plant,
    "flower": _flower,
    "fish": _fish,
    "ticket": _ticket,
}


def save_image(path: str, content: bytes) -> str:
    """Store through the default storage (local disk or S3) and return the stored name."""
    return default_storage.save(path, ContentFile(content))
