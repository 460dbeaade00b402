"""The product page as a buyer uses it: photos in responsive WebP, a variant picker with each
variant's price and stock, "buy now" straight to the checkout, the delivery fee and days to the
buyer's province, the producer, related products and share links, in bounded SQL."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from backend.account.models import Address, User
from backend.ocop.models import Producer, ProducerType, Province, VerificationStatus
from backend.product.models import ProductChannelListing, ProductMedia
from backend.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingMethodType,
    ShippingZone,
)
from backend.warehouse.models import ClickAndCollectOption, Stock, Warehouse
from tests.fixtures.catalog import image_bytes
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return Shop()


@pytest.fixture
def sauces(shop):
    return shop.category("Nước mắm", "nuoc-mam")


@pytest.fixture
def fish_sauce(shop, sauces):
    product = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces, price=125_000)
    shop.variant(product, "nuoc-mam-1l", "Chai 1 lít", 230_000, quantity=0)
    shop.variant(product, "nuoc-mam-2l", "Can 2 lít", 410_000, quantity=3)
    return product


def page_of(client, product, **params):
    response = client.get(reverse("storefront:product", args=[product.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def province(code):
    return Province.objects.get(code=code)


def zone(shop, name, provinces, methods):
    """A shipping zone of `provinces` (every one when empty) in the shop's channel, with
    (name, fee, max grams, min days, max days) weight-based methods."""
    found = ShippingZone.objects.create(name=name, countries=["VN"])
    found.channels.add(shop.channel)
    found.provinces.set(provinces)
    for method_name, fee, max_grams, low, high in methods:
        method = ShippingMethod.objects.create(
            name=method_name,
            type=ShippingMethodType.WEIGHT_BASED,
            shipping_zone=found,
            maximum_order_weight_grams=max_grams,
            minimum_delivery_days=low,
            maximum_delivery_days=high,
        )
        ShippingMethodChannelListing.objects.create(
            shipping_method=method, channel=shop.channel, currency="VND", price_amount=fee
        )
    return found


def test_the_variant_picker_shows_each_variant_with_its_price_and_stock(client, fish_sauce):
    page = page_of(client, fish_sauce)
    options = re.findall(r'<label class="variant-option[^"]*">(.*?)</label>', page, re.S)
    shown = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", option)).strip() for option in options]
    assert shown == [
        "Chai 500 ml 125.000 ₫ Còn 10",
        "Chai 1 lít 230.000 ₫ Hết hàng",
        "Can 2 lít 410.000 ₫ Còn 3",
    ]
    radios = re.findall(r'<input type="radio" name="variant"[^>]*>', page)
    assert "checked" in radios[0] and "disabled" not in radios[0]
    assert "disabled" in radios[1]  # sold out: cannot be chosen
    # The address can choose a variant (as the delivery form does).
    can = fish_sauce.variants.get(sku="nuoc-mam-2l")
    radios = re.findall(
        r'<input type="radio" name="variant"[^>]*>', page_of(client, fish_sauce, variant=can.pk)
    )
    assert "checked" in radios[2] and "checked" not in radios[0]


def on_sale(product):
    ProductChannelListing.objects.filter(product=product).update(
        available_for_purchase_at=timezone.now()
    )


def test_buy_now_adds_the_chosen_variant_and_opens_the_checkout(client, fish_sauce):
    on_sale(fish_sauce)
    can = fish_sauce.variants.get(sku="nuoc-mam-2l")
    form = {"variant": can.pk, "quantity": 2, "buy_now": "1"}
    response = client.post(reverse("storefront:cart_add"), form)
    assert response.status_code == 302 and response["Location"] == reverse("storefront:checkout")
    checkout = client.get(response["Location"]).content.decode()
    assert "Can 2 lít" in checkout and "820.000 ₫" in checkout
    # "Add to cart" still shows the cart.
    added = client.post(reverse("storefront:cart_add"), {"variant": can.pk, "quantity": 1})
    assert added["Location"] == reverse("storefront:cart")


def test_buy_now_of_more_than_there_is_stays_on_the_product(client, fish_sauce):
    on_sale(fish_sauce)
    can = fish_sauce.variants.get(sku="nuoc-mam-2l")
    response = client.post(
        reverse("storefront:cart_add"), {"variant": can.pk, "quantity": 9, "buy_now": "1"}
    )
    assert response["Location"] == reverse("storefront:product", args=[fish_sauce.slug])


def test_the_phone_bar_carries_both_buttons_in_the_form(client, fish_sauce):
    page = page_of(client, fish_sauce)
    form = re.search(r'<form class="add-to-cart".*?</form>', page, re.S).group(0)
    bar = re.search(r'<div class="buy-bar">.*?</div>', form, re.S).group(0)
    assert re.search(r'<button type="submit" class="button" name="add">Thêm vào giỏ</button>', bar)
    assert re.search(r'name="buy_now" value="1">Mua ngay</button>', bar)


def test_the_delivery_fee_and_days_to_the_province_chosen(client, shop, fish_sauce):
    ha_noi, da_nang = province("01"), province("48")
    fish_sauce.variants.filter(sku="nuoc-mam-cua-lo-500ml").update(weight_grams=800)
    zone(
        shop,
        "Nội thành",
        [ha_noi],
        [("Giao tiêu chuẩn", 30_000, 2_000, 2, 4), ("Hàng nặng", 90_000, None, 5, 7)],
    )
    zone(shop, "Miền Trung", [da_nang], [("Giao nhanh", 45_000, 2_000, 1, 1)])
    before = page_of(client, fish_sauce)
    assert "Giao tiêu chuẩn" not in before and '<option value="">Chọn tỉnh, thành của bạn' in before

    page = page_of(client, fish_sauce, province="ha-noi")
    estimates = re.search(r'<ul class="estimates">(.*?)</ul>', page, re.S).group(1)
    assert "Giao tiêu chuẩn" in estimates and "30.000 ₫" in estimates
    assert "giao trong 2–4 ngày" in estimates
    assert "Hàng nặng" in estimates  # no lower weight bound: serves 800 g too
    assert "Giao nhanh" not in estimates  # another province's zone
    assert '<option value="ha-noi" selected>' in page

    # The choice is remembered; a former province means the unit it joined.
    assert "Giao tiêu chuẩn" in page_of(client, fish_sauce)
    page = page_of(client, fish_sauce, province="quang-nam")
    assert "Giao nhanh" in page and "giao trong 1 ngày" in page and "45.000 ₫" in page

    # The weight is the chosen variant's: the 2-litre can (2.5 kg) leaves only the heavy method.
    can = fish_sauce.variants.get(sku="nuoc-mam-2l")
    can.weight_grams = 2_500
    can.save()
    estimates = re.search(
        r'<ul class="estimates">(.*?)</ul>',
        page_of(client, fish_sauce, province="ha-noi", variant=can.pk),
        re.S,
    ).group(1)
    assert "Hàng nặng" in estimates and "Giao tiêu chuẩn" not in estimates

    empty = page_of(client, fish_sauce, province="lam-dong")
    assert "Chưa giao hàng đến Lâm Đồng." in empty


def test_a_signed_in_buyer_sees_the_delivery_to_their_default_address(client, shop, fish_sauce):
    zone(shop, "Miền Trung", [province("48")], [("Giao nhanh", 45_000, None, 1, 2)])
    address = Address.objects.create(country="VN", country_area="Thành phố Đà Nẵng")
    buyer = User.objects.create_user("mua@ocop.example", default_shipping_address=address)
    client.force_login(buyer)
    page = page_of(client, fish_sauce)
    assert '<option value="da-nang" selected>' in page and "45.000 ₫" in page


def test_free_pick_up_where_a_showroom_holds_stock(client, shop, fish_sauce):
    da_nang = province("48")
    showroom = Warehouse.objects.create(
        name="Điểm bán OCOP Đà Nẵng",
        slug="diem-ban-da-nang",
        province=da_nang,
        click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK,
        is_private=False,
    )
    showroom.channels.add(shop.channel)
    empty_showroom = Warehouse.objects.create(
        name="Điểm bán OCOP Huế",
        slug="diem-ban-hue",
        province=province("46"),
        click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK,
        is_private=False,
    )
    empty_showroom.channels.add(shop.channel)
    variant = fish_sauce.variants.get(sku="nuoc-mam-cua-lo-500ml")
    Stock.objects.create(warehouse=showroom, product_variant=variant, quantity=4)
    Stock.objects.create(warehouse=empty_showroom, product_variant=variant, quantity=0)
    page = page_of(client, fish_sauce, province="da-nang")
    assert "Nhận hàng miễn phí tại Điểm bán OCOP Đà Nẵng (điểm bán OCOP, Đà Nẵng)" in page
    assert "Điểm bán OCOP Huế" not in page


def test_the_producer_card(client, shop, sauces, fish_sauce):
    shop.product("Nước mắm nhĩ", "nuoc-mam-nhi", sauces)
    shop.product("Nước mắm ẩn", "nuoc-mam-an", sauces, published=False)
    Producer.objects.filter(pk=shop.producer.pk).update(
        verification_status=VerificationStatus.VERIFIED
    )
    page = page_of(client, fish_sauce)
    card = re.search(r'<section class="producer-card".*?</section>', page, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))
    assert "HTX Nước mắm Cửa Lò ✓ Đã xác minh" in text
    assert "Loại hình Hợp tác xã" in text
    assert f"Tỉnh/thành phố {shop.province.name}" in text
    assert "Sản phẩm 2 sản phẩm" in text  # the unpublished one is not counted


def test_related_products_from_the_same_category_same_province_first(
    client, shop, sauces, fish_sauce
):
    elsewhere = Producer.objects.create(
        name="HTX Nam Ô",
        slug="htx-nam-o",
        legal_type=ProducerType.COOPERATIVE,
        province=province("48"),
    )
    for number in range(6):
        other = shop.product(f"Mắm Nam Ô {number}", f"mam-nam-o-{number}", sauces)
        other.producer = elsewhere
        other.save()
    for number in range(4):
        shop.product(f"Mắm Cửa Lò {number}", f"mam-cua-lo-{number}", sauces)
    shop.product("Trà Shan tuyết", "tra-shan", shop.category("Trà", "tra"))
    page = page_of(client, fish_sauce)
    related = re.search(r'<section class="related".*?</section>', page, re.S).group(0)
    names = re.findall(r'<span class="card-name">(.*?)</span>', related)
    assert len(names) == 8
    assert all(name.startswith("Mắm Cửa Lò") for name in names[:4])
    assert all(name.startswith("Mắm Nam Ô") for name in names[4:])
    assert "Nước mắm Cửa Lò" not in names and "Trà Shan tuyết" not in names


def test_share_links(client, fish_sauce):
    page = page_of(client, fish_sauce)
    url = "http://testserver/san-pham/nuoc-mam-cua-lo/"
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={quote(url, safe="")}"' in page
    assert f'data-share-url="{url}"' in page and 'href="https://chat.zalo.me/"' in page
    assert f'readonly value="{url}"' in page


def test_breadcrumbs_name_the_category_and_the_product(client, fish_sauce):
    page = page_of(client, fish_sauce)
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert '<a href="/danh-muc/nuoc-mam/">Nước mắm</a>' in trail
    assert '<li aria-current="page">Nước mắm Cửa Lò</li>' in trail
    assert page.count("<h1") == 1


def test_photos_are_responsive_webp_that_the_thumbnail_service_makes(client, fish_sauce):
    for number, color in enumerate([(200, 60, 30), (30, 160, 60)]):
        ProductMedia.objects.create(
            product=fish_sauce,
            image=ContentFile(image_bytes("JPEG", (1200, 1200), color), name=f"mam-{number}.jpg"),
            alt=f"Chai nước mắm {number}",
            sort_order=number,
        )
    ProductMedia.objects.create(
        product=fish_sauce,
        external_url="https://cdn.example/mam.jpg",
        alt="Ảnh ngoài",
        sort_order=3,
    )
    page = page_of(client, fish_sauce)
    gallery = re.search(r'<ul class="gallery-track">.*?</ul>', page, re.S).group(0)
    images = re.findall(r"<img [^>]*>", gallery)
    assert len(images) == 3
    first, second, external = images
    assert 'loading="eager"' in first and 'loading="lazy"' in second
    assert 'width="600" height="600"' in first
    assert '<img src="https://cdn.example/mam.jpg" alt="Ảnh ngoài"' in external
    srcset = unescape(re.search(r'srcset="([^"]+)"', first).group(1))
    candidates = [candidate.split() for candidate in srcset.split(", ")]
    assert [width for _url, width in candidates] == ["256w", "512w", "1024w"]
    for url, width in candidates:
        assert url.endswith("/webp/")
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].endswith(".webp")
        stored = response["Location"].removeprefix(default_storage.base_url)
        with default_storage.open(stored, "rb") as file, Image.open(file) as image:
            assert image.format == "WEBP" and image.width == int(width[:-1])
    # The full-size photo and its thumbnails as links to the photos.
    assert re.search(r'<a class="zoom" href="/media/products/mam-0[^"]*\.jpg"', gallery)
    assert '<a href="#photo-2">' in page
    # Product cards use the same responsive images.
    listing = client.get(reverse("storefront:products")).content.decode()
    card_image = re.search(r'<li class="card">.*?(<img [^>]*>)', listing, re.S).group(1)
    assert "/webp/ 256w" in card_image and 'loading="lazy"' in card_image


@pytest.mark.parametrize("size", [1, 12])
def test_the_page_costs_a_fixed_number_of_queries(
    client, shop, sauces, size, django_assert_max_num_queries
):
    product = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces)
    for number in range(size):
        shop.variant(product, f"bien-the-{number}", f"Biến thể {number}", 100_000 + number, 5)
        ProductMedia.objects.create(
            product=product, external_url=f"https://cdn.example/{number}.jpg", sort_order=number
        )
        related = shop.product(f"Mắm {number}", f"mam-{number}", sauces)
        ProductMedia.objects.create(product=related, external_url="https://cdn.example/r.jpg")
    zone(shop, "Cả nước", [], [("Giao tiêu chuẩn", 30_000, None, 2, 4)])
    showroom = Warehouse.objects.create(
        name="Điểm bán OCOP",
        slug="diem-ban",
        province=shop.province,
        click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK,
        is_private=False,
    )
    showroom.channels.add(shop.channel)
    page_of(client, product, province="ha-noi")  # remembered in the session from now on
    # The channel; the product, its images, variants, prices and stock (5); its badge; the
    # livestream; the session; the producer's count; related products (two lists with their
    # images: 4); the delivery fees (2); the showrooms and their stock (2).
    with django_assert_max_num_queries(18):
        page = page_of(client, product, province="ha-noi")
    assert page.count('type="radio" name="variant"') == size + 1
    assert "Giao tiêu chuẩn" in page
