"""/thumbnail/<global id>/<size>/[<format>/]: made once on first request, then redirected to."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from backend.account.models import User
from backend.core.ids import global_id
from backend.product.models import Collection, ProductMedia
from backend.thumbnail.models import Thumbnail
from tests.fixtures.catalog import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(staff_product):
    content = ContentFile(image_bytes("JPEG", size=(800, 600)), name="mat-ong.jpg")
    return ProductMedia.objects.create(product=staff_product, image=content, alt="Mật ong")


def stored_image(url):
    name = url.removeprefix(default_storage.base_url)
    with default_storage.open(name, "rb") as file, Image.open(file) as image:
        image.load()
        return image


def test_first_request_makes_thumbnail_then_redirects_straight_away(
    client, photo, django_assert_max_num_queries
):
    url = f"/thumbnail/{global_id('ProductMedia', photo.pk)}/300/"
    response = client.get(url)
    assert response.status_code == 302
    thumbnail = Thumbnail.objects.get()
    assert (thumbnail.product_media, thumbnail.size, thumbnail.format) == (photo, 512, "")
    assert response["Location"] == thumbnail.image.url
    image = stored_image(response["Location"])
    assert (image.format, image.size) == ("JPEG", (512, 384))

    with django_assert_max_num_queries(1):
        again = client.get(url)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Thumbnail.objects.count() == 1


@pytest.mark.parametrize(
    ("fmt", "pillow_format"), [("webp", "WEBP"), ("avif", "AVIF"), ("original", "JPEG")]
)
def test_formats(client, photo, fmt, pillow_format):
    response = client.get(f"/thumbnail/{global_id('ProductMedia', photo.pk)}/64/{fmt}/")
    assert response.status_code == 302
    image = stored_image(response["Location"])
    assert (image.format, image.size) == (pillow_format, (64, 48))


def test_never_enlarges_and_caps_size(client, photo):
    response = client.get(f"/thumbnail/{global_id('ProductMedia', photo.pk)}/9000/webp/")
    assert stored_image(response["Location"]).size == (800, 600)
    assert Thumbnail.objects.get().size == 4096


def test_category_collection_and_user_images(client, staff_category):
    png = image_bytes("PNG", size=(100, 100), color=(10, 200, 10))
    staff_category.background_image = ContentFile(png, name="nen.png")
    staff_category.save()
    collection = Collection.objects.create(
        name="Quà Tết", slug="qua-tet", background_image=ContentFile(png, name="tet.png")
    )
    user = User.objects.create_user("avatar@ocop.example", avatar=ContentFile(png, name="a.png"))
    cases = [
        (global_id("Category", staff_category.pk), "category"),
        (global_id("Collection", collection.pk), "collection"),
        (global_id("User", user.pk), "user"),
    ]
    for instance_id, field in cases:
        response = client.get(f"/thumbnail/{instance_id}/32/")
        assert response.status_code == 302
        assert stored_image(response["Location"]).size == (32, 32)
        assert Thumbnail.objects.filter(**{f"{field}__isnull": False}).count() == 1


def test_not_found_cases(client, photo, staff_product, staff_category):
    video = ProductMedia.objects.create(
        product=staff_product, type="VIDEO", external_url="https://youtu.be/abc"
    )
    urls = [
        f"/thumbnail/{global_id('ProductMedia', 999999)}/64/",
        "/thumbnail/khong-phai-id/64/",
        f"/thumbnail/{global_id('Product', staff_product.pk)}/64/",
        f"/thumbnail/{global_id('ProductMedia', video.pk)}/64/",
        f"/thumbnail/{global_id('Category', staff_category.pk)}/64/",
        f"/thumbnail/{global_id('ProductMedia', photo.pk)}/64/bmp/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert not Thumbnail.objects.exists()


def test_transparent_png_to_original_keeps_png(client, staff_product):
    buffer = io.BytesIO()
    Image.new("RGBA", (200, 100), (0, 0, 0, 0)).save(buffer, format="PNG")
    media = ProductMedia.objects.create(
        product=staff_product, image=ContentFile(buffer.getvalue(), name="logo.png")
    )
    response = client.get(f"/thumbnail/{global_id('ProductMedia', media.pk)}/128/")
    image = stored_image(response["Location"])
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (128, 64))
