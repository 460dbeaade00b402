"""The portal's product photos and stock, and the rule that another producer's product, its
variants, photos and stock answer 404 to every method."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from backend.product.models import ProductMedia, ProductVariant
from backend.warehouse.models import Stock, StockChange, StockChangeReason
from backend.warehouse.services import set_stock_quantities
from tests.fixtures.catalog import GPS_IFD, ORIENTATION, image_bytes, phone_jpeg, png_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, producer_a):
    client.force_login(producer_a.owner)
    return client


def jpeg_upload(name="IMG_0001.jpg"):
    return SimpleUploadedFile(name, phone_jpeg(), content_type="image/jpeg")


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "products"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- Photos ---------------------------------------------------------------------------------


def test_phone_photo_is_stored_upright_without_gps(member, producer_a):
    url = reverse("portal:product_photos", args=[producer_a.product.pk])
    page = member.get(url).content.decode()
    assert 'capture="environment"' in page and 'accept="image/jpeg,image/png,image/webp"' in page
    assert "multiple" in page

    response = member.post(
        url, {"images": [jpeg_upload(), jpeg_upload("IMG_0002.jpg")], "alt": "Búp trà"}
    )
    assert response.status_code == 302
    media = list(producer_a.product.media.order_by("sort_order"))
    assert len(media) == 2 and media[0].alt == "Búp trà"
    with media[0].image.open("rb") as stored, Image.open(stored) as image:
        exif = image.getexif()
        assert GPS_IFD not in exif and ORIENTATION not in exif
        assert not exif.get_ifd(GPS_IFD)
        assert image.size == (200, 300)  # turned upright
    page = member.get(url).content.decode()
    assert "/thumbnail/" in page


def test_wrong_file_type_is_refused_and_nothing_is_stored(member, producer_a, settings):
    url = reverse("portal:product_photos", args=[producer_a.product.pk])
    text = SimpleUploadedFile("ghi-chu.jpg", b"khong phai anh", content_type="image/jpeg")
    response = member.post(url, {"images": [jpeg_upload(), text]})
    assert response.status_code == 400
    assert "không phải là ảnh hợp lệ" in response.content.decode()
    assert not producer_a.product.media.exists()
    assert stored_files(settings) == []
    bmp = SimpleUploadedFile("anh.bmp", image_bytes("BMP"), content_type="image/bmp")
    response = member.post(url, {"images": [bmp]})
    assert response.status_code == 400
    assert "Định dạng ảnh không được hỗ trợ" in response.content.decode()
    assert not producer_a.product.media.exists()


def test_too_large_photo_is_refused(member, producer_a, settings):
    settings.MAX_UPLOAD_IMAGE_BYTES = 1000
    url = reverse("portal:product_photos", args=[producer_a.product.pk])
    response = member.post(url, {"images": jpeg_upload()})
    assert response.status_code == 400
    assert "Ảnh quá lớn" in response.content.decode()
    assert not producer_a.product.media.exists()


def test_photos_move_up_and_down(member, producer_a):
    product = producer_a.product
    first, second, third = (
        ProductMedia.objects.create(product=product, image=png_file(), sort_order=i)
        for i in range(3)
    )

    def order():
        return list(product.media.order_by("sort_order").values_list("pk", flat=True))

    move = reverse("portal:product_photo_move", args=[product.pk, third.pk])
    assert member.post(move, {"direction": "up"}).status_code == 302
    assert order() == [first.pk, third.pk, second.pk]
    move = reverse("portal:product_photo_move", args=[product.pk, first.pk])
    member.post(move, {"direction": "down"})
    assert order() == [third.pk, first.pk, second.pk]
    top = reverse("portal:product_photo_move", args=[product.pk, third.pk])
    member.post(top, {"direction": "up"})
    assert order() == [third.pk, first.pk, second.pk]  # the first stays first
    assert member.get(move).status_code == 405


def test_photo_delete_asks_then_removes_the_file(
    member, producer_a, settings, django_capture_on_commit_callbacks
):
    member.post(
        reverse("portal:product_photos", args=[producer_a.product.pk]), {"images": jpeg_upload()}
    )
    media = producer_a.product.media.get()
    name = media.image.name
    url = reverse("portal:product_photo_delete", args=[producer_a.product.pk, media.pk])
    assert member.get(url).status_code == 200
    assert ProductMedia.objects.filter(pk=media.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert member.post(url).status_code == 302
    assert not ProductMedia.objects.filter(pk=media.pk).exists()
    assert not (settings.MEDIA_ROOT / name).exists()


# --- Stock ----------------------------------------------------------------------------------


def test_stock_is_set_and_the_history_says_who(member, producer_a, producer_b):
    product, variant, warehouse = producer_a.product, producer_a.variant, producer_a.warehouse
    url = reverse("portal:product_stock", args=[product.pk])
    page = member.get(url).content.decode()
    assert producer_a.warehouse.name in page
    assert producer_b.warehouse.name not in page  # only the producer's own warehouses
    set_stock_quantities(variant, [(warehouse, 25)])  # a first recorded change
    response = member.post(url, {f"q-{variant.pk}-{warehouse.pk}": "35"})
    assert response.status_code == 302
    assert Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity == 35
    change = StockChange.objects.filter(variant_id=variant.pk).latest("pk")
    assert change.changed_by == producer_a.owner
    assert change.reason == StockChangeReason.QUANTITY_SET
    member.post(url, {f"q-{variant.pk}-{warehouse.pk}": "30"})
    page = member.get(url).content.decode()
    assert "25 → 35 (+10)" in page and "35 → 30 (-5)" in page
    assert page.index("35 → 30") < page.index("25 → 35")  # newest first
    assert producer_a.owner.email in page


def test_stock_below_allocated_is_refused(member, producer_a):
    variant, warehouse = producer_a.variant, producer_a.warehouse
    Stock.objects.filter(product_variant=variant).update(quantity_allocated=10)
    url = reverse("portal:product_stock", args=[producer_a.product.pk])
    page = member.get(url).content.decode()
    assert "Held for orders: 10" in page or "Đã giữ cho đơn: 10" in page
    response = member.post(url, {f"q-{variant.pk}-{warehouse.pk}": "5"})
    assert response.status_code == 400
    assert "đã giữ 10 sản phẩm cho đơn hàng" in response.content.decode()
    assert Stock.objects.get(product_variant=variant).quantity == 20
    assert not StockChange.objects.filter(variant_id=variant.pk, quantity=5).exists()


def test_negative_stock_is_refused(member, producer_a):
    variant, warehouse = producer_a.variant, producer_a.warehouse
    url = reverse("portal:product_stock", args=[producer_a.product.pk])
    response = member.post(url, {f"q-{variant.pk}-{warehouse.pk}": "-3"})
    assert response.status_code == 400
    assert Stock.objects.get(product_variant=variant).quantity == 20


@pytest.mark.parametrize("size", [2, 12])
def test_stock_page_queries_are_bounded(member, producer_a, size, django_assert_max_num_queries):
    product, warehouse = producer_a.product, producer_a.warehouse
    for index in range(size):
        variant = ProductVariant.objects.create(product=product, sku=f"kho-{index}")
        for quantity in range(size):
            set_stock_quantities(variant, [(warehouse, quantity + 1)], changed_by=producer_a.owner)
    with django_assert_max_num_queries(8):
        response = member.get(reverse("portal:product_stock", args=[product.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("stock-variant") == size + 1


# --- Another producer's records -------------------------------------------------------------


def test_another_producers_member_gets_404_everywhere(client, producer_a, producer_b):
    product, variant, warehouse = producer_a.product, producer_a.variant, producer_a.warehouse
    media = ProductMedia.objects.create(product=product, image=png_file())
    urls = [
        reverse("portal:product_edit", args=[product.pk]),
        reverse("portal:product_unpublish", args=[product.pk]),
        reverse("portal:product_variant_create", args=[product.pk]),
        reverse("portal:product_variant_edit", args=[product.pk, variant.pk]),
        reverse("portal:product_variant_delete", args=[product.pk, variant.pk]),
        reverse("portal:product_photos", args=[product.pk]),
        reverse("portal:product_photo_move", args=[product.pk, media.pk]),
        reverse("portal:product_photo_delete", args=[product.pk, media.pk]),
        reverse("portal:product_stock", args=[product.pk]),
        # producer_b's own product with producer_a's variant and photo
        reverse("portal:product_variant_edit", args=[producer_b.product.pk, variant.pk]),
        reverse("portal:product_variant_delete", args=[producer_b.product.pk, variant.pk]),
        reverse("portal:product_photo_move", args=[producer_b.product.pk, media.pk]),
        reverse("portal:product_photo_delete", args=[producer_b.product.pk, media.pk]),
    ]
    client.force_login(producer_b.owner)
    post_data = {
        "name": "Bị đổi",
        "sku": "bi-doi",
        "price-vn": "1",
        "direction": "up",
        "action": "publish",
        "product_type": product.product_type_id,
        f"q-{variant.pk}-{warehouse.pk}": "0",
        "images": SimpleUploadedFile("a.jpg", phone_jpeg(), content_type="image/jpeg"),
    }
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, post_data).status_code == 404, url
    product.refresh_from_db()
    assert product.name == "Sản phẩm tra-tan-cuong"
    assert product.channel_listings.filter(is_published=True).exists()
    assert ProductVariant.objects.filter(pk=variant.pk, name="Hộp 500 g").exists()
    assert list(product.media.values_list("pk", flat=True)) == [media.pk]
    assert Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity == 20
    listing = client.get(reverse("portal:products")).content.decode()
    assert product.name not in listing and producer_b.product.name in listing
