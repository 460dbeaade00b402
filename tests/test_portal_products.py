"""The portal's products: a member creates a product with variants and prices, keeps it as a
draft the shop never shows, puts it on sale (or submits it while the business is not verified)
and takes it off sale; the pages answer in a bounded number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from backend.attribute.models import (
    AssignedProductAttributeValue,
    Attribute,
    AttributeProduct,
    AttributeValue,
)
from backend.ocop.models import VerificationStatus
from backend.ocop.services import verify_producer
from backend.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.pricing import update_discounted_prices
from backend.warehouse.models import Stock
from tests.fixtures.catalog import png_file

pytestmark = pytest.mark.django_db

PRODUCT_QUERY = """
query ($slug: String!) {
  product(slug: $slug, channel: "vn") {
    name
    variants { sku pricing { price { gross { amount currency } } } }
  }
}
"""


@pytest.fixture
def member(client, producer_a):
    client.force_login(producer_a.owner)
    return client


@pytest.fixture
def shop():
    return Client()


@pytest.fixture
def tea_category(producer_catalogue):
    _product_type, food = producer_catalogue
    return Category.objects.create(name="Trà", slug="portal-tra", parent=food)


def create_product(member, producer_catalogue, category, name="Trà móc câu Tân Cương"):
    product_type, _food = producer_catalogue
    response = member.post(
        reverse("portal:product_create"),
        {
            "name": name,
            "description": "Trà búp non hái tay.\n\nSao trên chảo gang.",
            "product_type": product_type.pk,
            "category": category.pk,
            "weight_grams": "250",
            "action": "save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Product.objects.get(name=name)


def add_variant(member, product, name, sku, price_vn, price_intl=""):
    response = member.post(
        reverse("portal:product_variant_create", args=[product.pk]),
        {
            "name": name,
            "sku": sku,
            "weight_grams": "200",
            "price-vn": price_vn,
            "price-intl": price_intl,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return ProductVariant.objects.get(sku=sku)


def price(variant, channel):
    return ProductVariantChannelListing.objects.get(variant=variant, channel=channel).price_amount


def test_member_creates_a_draft_with_two_priced_variants(
    member, producer_a, producer_catalogue, tea_category, channel_vn, channel_intl, shop
):
    product = create_product(member, producer_catalogue, tea_category)
    assert product.producer == producer_a.producer
    assert product.category == tea_category and product.weight_grams == 250
    assert product.description == {
        "blocks": [
            {"type": "paragraph", "data": {"text": "Trà búp non hái tay."}},
            {"type": "paragraph", "data": {"text": "Sao trên chảo gang."}},
        ]
    }
    small = add_variant(member, product, "Gói 200 g", "TTC-200", "85000", "3.50")
    large = add_variant(member, product, "Hộp 500 g", "TTC-500", "190000")
    assert (price(small, channel_vn), price(small, channel_intl)) == (85_000, 350)
    assert price(large, channel_vn) == 190_000
    assert not ProductVariantChannelListing.objects.filter(
        variant=large, channel=channel_intl
    ).exists()
    # Priced channels hold the product, unpublished: it is still a draft.
    listings = ProductChannelListing.objects.filter(product=product)
    assert {listing.channel.slug for listing in listings} == {"vn", "intl"}
    assert not any(listing.is_published for listing in listings)

    page = member.get(reverse("portal:product_edit", args=[product.pk])).content.decode()
    assert "Gói 200 g" in page and "85.000" in page and "190.000" in page
    assert "Bản nháp" in page
    assert shop.get(f"/san-pham/{product.slug}/").status_code == 404
    assert product.name not in shop.get("/san-pham/").content.decode()
    listing = member.get(reverse("portal:products")).content.decode()
    assert product.name in listing and "85.000 ₫ – 190.000 ₫" in listing


def test_publishing_shows_the_product_in_the_shop_and_the_api(
    member, producer_catalogue, tea_category, channel_vn, shop, api_client
):
    product = create_product(member, producer_catalogue, tea_category)
    variant = add_variant(member, product, "Gói 200 g", "TTC-200", "85000")
    assert api_client.execute(PRODUCT_QUERY, {"slug": product.slug})["data"]["product"] is None

    response = member.post(
        reverse("portal:product_edit", args=[product.pk]),
        {
            "name": product.name,
            "description": "Trà búp",
            "product_type": product.product_type_id,
            "category": tea_category.pk,
            "weight_grams": "250",
            "action": "publish",
        },
        follow=True,
    )
    assert "Đang bán" in response.content.decode()
    page = shop.get(f"/san-pham/{product.slug}/")
    assert page.status_code == 200 and "85.000 ₫" in page.content.decode()
    assert product.name in shop.get("/san-pham/").content.decode()
    data = api_client.execute(PRODUCT_QUERY, {"slug": product.slug})["data"]["product"]
    assert data["name"] == product.name
    assert data["variants"][0]["pricing"]["price"]["gross"]["amount"] == 85_000

    # A new price shows at once.
    member.post(
        reverse("portal:product_variant_edit", args=[product.pk, variant.pk]),
        {"name": "Gói 200 g", "sku": "TTC-200", "weight_grams": "200", "price-vn": "95000"},
    )
    page = shop.get(f"/san-pham/{product.slug}/").content.decode()
    assert "95.000 ₫" in page and "85.000 ₫" not in page

    # Stop selling: a draft again, gone from the shop.
    member.post(reverse("portal:product_unpublish", args=[product.pk]))
    assert shop.get(f"/san-pham/{product.slug}/").status_code == 404
    assert api_client.execute(PRODUCT_QUERY, {"slug": product.slug})["data"]["product"] is None


def test_unverified_producer_submits_and_verification_publishes(
    member, producer_a, producer_catalogue, tea_category, channel_vn, shop, staff_user
):
    producer = producer_a.producer
    producer.verification_status = VerificationStatus.PENDING
    producer.save(update_fields=["verification_status"])
    product = create_product(member, producer_catalogue, tea_category)
    add_variant(member, product, "Gói 200 g", "TTC-200", "85000")
    response = member.post(
        reverse("portal:product_edit", args=[product.pk]),
        {
            "name": product.name,
            "product_type": product.product_type_id,
            "category": tea_category.pk,
            "action": "publish",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Chờ xác minh chủ thể" in page
    assert "xác minh" in page
    product.refresh_from_db()
    assert product.submitted_at is not None
    assert shop.get(f"/san-pham/{product.slug}/").status_code == 404

    verify_producer(producer, staff_user)
    assert shop.get(f"/san-pham/{product.slug}/").status_code == 200


def test_publishing_without_a_price_is_refused_and_changes_nothing(
    member, producer_catalogue, tea_category, shop
):
    product = create_product(member, producer_catalogue, tea_category)
    response = member.post(
        reverse("portal:product_edit", args=[product.pk]),
        {
            "name": "Tên mới",
            "product_type": product.product_type_id,
            "category": tea_category.pk,
            "action": "publish",
        },
    )
    assert response.status_code == 200
    assert "Hãy đặt giá cho ít nhất một biến thể" in response.content.decode()
    product.refresh_from_db()
    assert product.name == "Trà móc câu Tân Cương"
    assert shop.get(f"/san-pham/{product.slug}/").status_code == 404


def test_bad_variant_input_is_shown_and_nothing_is_saved(
    member, producer_a, producer_catalogue, tea_category, channel_vn
):
    product = create_product(member, producer_catalogue, tea_category)
    url = reverse("portal:product_variant_create", args=[product.pk])
    # Someone else's SKU.
    response = member.post(url, {"name": "Gói", "sku": producer_a.variant.sku, "price-vn": "1000"})
    assert response.status_code == 200
    assert "đã được dùng" in response.content.decode()
    # Half a đồng.
    response = member.post(url, {"name": "Gói", "sku": "TTC-1", "price-vn": "1000.5"})
    assert response.status_code == 200
    assert not product.variants.exists()


def test_attributes_of_the_product_type_are_filled_in(
    member, producer_a, producer_catalogue, tea_category
):
    product_type, _food = producer_catalogue
    packaging = Attribute.objects.create(
        slug="packaging", name="Quy cách đóng gói", type="product-type", input_type="dropdown"
    )
    shelf_life = Attribute.objects.create(
        slug="han-su-dung", name="Hạn sử dụng", type="product-type", input_type="plain-text"
    )
    stars = Attribute.objects.create(slug="ocop-stars", name="Hạng sao", type="product-type")
    for order, attribute in enumerate((packaging, shelf_life, stars)):
        AttributeProduct.objects.create(
            attribute=attribute, product_type=product_type, sort_order=order
        )
    box = AttributeValue.objects.create(attribute=packaging, name="Hộp", slug="hop")
    AttributeValue.objects.create(attribute=packaging, name="Túi", slug="tui")
    url = reverse("portal:product_create")
    page = member.get(url).content.decode()
    assert "Quy cách đóng gói" in page and "Hạn sử dụng" in page
    assert "Hạng sao" not in page  # kept by the certificate, not the producer
    member.post(
        url,
        {
            "name": "Trà xanh",
            "product_type": product_type.pk,
            "category": tea_category.pk,
            f"attribute-{packaging.pk}": box.pk,
            f"attribute-{shelf_life.pk}": "12 tháng",
        },
    )
    product = Product.objects.get(name="Trà xanh")
    values = AssignedProductAttributeValue.objects.filter(product=product)
    assert {(v.value.attribute.slug, v.value.name) for v in values} == {
        ("packaging", "Hộp"),
        ("han-su-dung", "12 tháng"),
    }
    page = member.get(reverse("portal:product_edit", args=[product.pk])).content.decode()
    assert 'value="12 tháng"' in page


def test_variant_delete_asks_first(member, producer_a):
    product, variant = producer_a.product, producer_a.variant
    url = reverse("portal:product_variant_delete", args=[product.pk, variant.pk])
    assert "Hộp 500 g" in member.get(url).content.decode()
    assert ProductVariant.objects.filter(pk=variant.pk).exists()
    Stock.objects.filter(product_variant=variant).update(quantity_allocated=2)
    response = member.post(url)
    assert response.status_code == 400 and "đang được giữ" in response.content.decode()
    Stock.objects.filter(product_variant=variant).update(quantity_allocated=0)
    assert member.post(url).status_code == 302
    assert not ProductVariant.objects.filter(pk=variant.pk).exists()


# --- Bounded queries ------------------------------------------------------------------------


def make_products(producer_a, channel_vn, count):
    cast = producer_a
    for index in range(count):
        product = Product.objects.create(
            product_type=cast.product.product_type,
            category=cast.product.category,
            producer=cast.producer,
            name=f"Sản phẩm số {index}",
            slug=f"san-pham-so-{index}",
        )
        ProductChannelListing.objects.create(
            product=product, channel=channel_vn, currency="VND", is_published=index % 2 == 0
        )
        ProductMedia.objects.create(product=product, image=png_file())
        for size in range(2):
            variant = ProductVariant.objects.create(product=product, sku=f"so-{index}-{size}")
            ProductVariantChannelListing.objects.create(
                variant=variant, channel=channel_vn, currency="VND", price_amount=1000 * (size + 1)
            )
            Stock.objects.create(warehouse=cast.warehouse, product_variant=variant, quantity=5)
        update_discounted_prices([product.pk])


@pytest.mark.parametrize("count", [3, 30])
def test_product_list_queries_are_bounded(
    member, producer_a, channel_vn, count, django_assert_max_num_queries
):
    make_products(producer_a, channel_vn, count)
    with django_assert_max_num_queries(10):
        response = member.get(reverse("portal:products"))
    assert response.status_code == 200
    assert response.content.decode().count('class="product-row"') == min(count + 1, 30)


@pytest.mark.parametrize("variants", [2, 12])
def test_edit_page_queries_are_bounded(
    member, producer_a, channel_vn, channel_intl, variants, django_assert_max_num_queries
):
    product = producer_a.product
    for index in range(variants):
        variant = ProductVariant.objects.create(product=product, sku=f"extra-{index}")
        ProductVariantChannelListing.objects.create(
            variant=variant, channel=channel_vn, currency="VND", price_amount=5000
        )
    with django_assert_max_num_queries(14):
        response = member.get(reverse("portal:product_edit", args=[product.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("bien-the/") >= variants * 2


def test_a_new_channel_price_on_a_published_product_waits_for_publishing(
    member, producer_a, channel_vn, channel_intl
):
    product, variant = producer_a.product, producer_a.variant
    url = reverse("portal:product_edit", args=[product.pk])
    assert "Đăng bán ở mọi kênh đã có giá" not in member.get(url).content.decode()
    member.post(
        reverse("portal:product_variant_edit", args=[product.pk, variant.pk]),
        {"name": variant.name, "sku": variant.sku, "price-vn": "120000", "price-intl": "4.99"},
    )
    intl = ProductChannelListing.objects.get(product=product, channel=channel_intl)
    assert not intl.is_published and price(variant, channel_intl) == 499
    page = member.get(url).content.decode()
    assert "Đăng bán ở mọi kênh đã có giá" in page and "International" in page
    member.post(
        url,
        {
            "name": product.name,
            "product_type": product.product_type_id,
            "category": product.category_id,
            "action": "publish",
        },
    )
    intl.refresh_from_db()
    assert intl.is_published


def test_saving_keeps_an_untouched_description_and_hidden_attributes(member, producer_a):
    product = producer_a.product
    description = {
        "blocks": [
            {"type": "header", "data": {"text": "Nguồn gốc", "level": 2}},
            {"type": "list", "data": {"style": "unordered", "items": ["Búp non", "Sao tay"]}},
        ]
    }
    product.description = description
    product.save()
    organic = Attribute.objects.create(
        slug="huu-co", name="Hữu cơ", type="product-type", input_type="boolean"
    )
    AttributeProduct.objects.create(attribute=organic, product_type=product.product_type)
    yes = AttributeValue.objects.create(attribute=organic, name="Có", slug="co", boolean=True)
    AssignedProductAttributeValue.objects.create(product=product, value=yes)
    url = reverse("portal:product_edit", args=[product.pk])
    page = member.get(url).content.decode()
    assert "Nguồn gốc\nBúp non\nSao tay" in page
    response = member.post(
        url,
        {
            "name": "Tên mới",
            "description": "Nguồn gốc\r\nBúp non\r\nSao tay\r\n",
            "product_type": product.product_type_id,
            "category": product.category_id,
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Tên mới" and product.description == description
    assert AssignedProductAttributeValue.objects.filter(product=product, value=yes).exists()
    member.post(
        url,
        {
            "name": "Tên mới",
            "description": "Một dòng mới",
            "product_type": product.product_type_id,
            "category": product.category_id,
        },
    )
    product.refresh_from_db()
    assert product.description == {
        "blocks": [{"type": "paragraph", "data": {"text": "Một dòng mới"}}]
    }
    assert product.description_plaintext == "Một dòng mới"


def test_deleting_the_default_variant_makes_the_next_one_default(member, producer_a):
    product, first = producer_a.product, producer_a.variant
    second = ProductVariant.objects.create(product=product, sku="tra-2", name="Gói", sort_order=1)
    url = reverse("portal:product_variant_delete", args=[product.pk, first.pk])
    assert member.post(url).status_code == 302
    second.refresh_from_db()
    assert second.is_default
