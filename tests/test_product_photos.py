"""Product photos from a phone: what is stored is upright, resized and has no EXIF, GPS or XMP;
WebP thumbnails are made through the thumbnail app; wrong files are refused with a clear
message and nothing is stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from backend.product.models import ProductMedia
from backend.product.photos import PHOTO_THUMBNAIL_SIZES, prepare_photo
from backend.thumbnail.models import Thumbnail
from tests.fixtures.catalog import GPS_IFD, phone_jpeg
from tests.test_product_media import media_upload

pytestmark = pytest.mark.django_db


def stored_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_phone_photo_is_stored_upright_resized_and_without_metadata(
    catalog_manager_token, staff_product, settings, django_capture_on_commit_callbacks
):
    settings.PRODUCT_PHOTO_MAX_SIDE = 100
    original = Image.open(io.BytesIO(phone_jpeg()))
    assert original.getexif().get_ifd(GPS_IFD) and "xmp" in original.info

    with django_capture_on_commit_callbacks(execute=True):
        payload = media_upload(catalog_manager_token, staff_product, phone_jpeg(), "IMG_0001.JPG")

    assert payload["errors"] == []
    media = ProductMedia.objects.get()
    with media.image.open("rb") as stored_file:
        content = stored_file.read()
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG" and media.image.name.endswith(".jpg")
    assert not stored.getexif() and not stored.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment"} & stored.info.keys()
    assert b"Exif" not in content and b"GPS" not in content and b"Apple" not in content
    # Orientation 6 is "rotate 90° clockwise": the 300×200 landscape becomes portrait, its
    # left (red) half on top.
    assert stored.size == (67, 100)
    top, bottom = stored.getpixel((33, 10)), stored.getpixel((33, 90))
    assert top[0] > 150 and top[2] < 100 and bottom[2] > 150 and bottom[0] < 100

    thumbnails = Thumbnail.objects.filter(product_media=media)
    assert sorted(t.size for t in thumbnails) == sorted(PHOTO_THUMBNAIL_SIZES)
    for thumbnail in thumbnails:
        assert thumbnail.format == "webp"
        with thumbnail.image.open("rb") as file, Image.open(file) as image:
            assert image.format == "WEBP" and not image.getexif()


def test_photo_within_the_limit_keeps_its_size(catalog_manager_token, staff_product):
    media_upload(catalog_manager_token, staff_product, phone_jpeg(orientation=1))
    with ProductMedia.objects.get().image.open("rb") as file, Image.open(file) as stored:
        assert stored.size == (300, 200) and not stored.getexif()


def transparent_png(mode: str) -> bytes:
    """64×64, transparent but for a green square in the middle."""
    if mode == "RGBA":
        image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
        image.paste((30, 160, 40, 255), (16, 16, 48, 48))
        options = {}
    else:
        image = Image.new("P", (64, 64), 0)
        image.putpalette([0, 0, 0, 30, 160, 40])
        image.paste(1, (16, 16, 48, 48))
        options = {"transparency": 0}
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_png_with_transparency_stays_transparent(
    catalog_manager_token, staff_product, settings, mode
):
    settings.PRODUCT_PHOTO_MAX_SIDE = 32

    payload = media_upload(catalog_manager_token, staff_product, transparent_png(mode))
    assert payload["errors"] == []

    media = ProductMedia.objects.get()
    assert media.image.name.endswith(".png")
    with media.image.open("rb") as file, Image.open(file) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA" and stored.size == (32, 32)
        assert stored.getpixel((0, 0))[3] == 0 and stored.getpixel((16, 16)) == (30, 160, 40, 255)


def test_too_large_photo_is_refused_with_the_limit_and_nothing_stored(
    catalog_manager_token, staff_product, settings
):
    settings.MAX_UPLOAD_IMAGE_BYTES = 2 * 1024
    payload = media_upload(catalog_manager_token, staff_product, phone_jpeg(size=(400, 300)))
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("image", "INVALID") and payload["media"] is None
    assert error["message"].startswith("Ảnh quá lớn (") and "tối đa 2,0\xa0KB" in error["message"]
    assert not ProductMedia.objects.exists() and not stored_files(settings)


def test_pdf_named_jpg_is_refused_and_nothing_stored(
    catalog_manager_token, staff_product, settings
):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    payload = media_upload(catalog_manager_token, staff_product, pdf, "IMG_0002.jpg")
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("image", "INVALID")
    assert error["message"] == (
        "Tệp tải lên không phải là ảnh hợp lệ; hãy chọn ảnh JPEG, PNG, WebP hoặc GIF."
    )
    assert not ProductMedia.objects.exists() and not stored_files(settings)


def test_messages_have_english(settings):
    settings.MAX_UPLOAD_IMAGE_BYTES = 1024
    upload = SimpleUploadedFile("IMG_0003.JPG", phone_jpeg())
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        prepare_photo(upload)
    assert refused.value.message_dict["image"][0].startswith("The image is too large (")
