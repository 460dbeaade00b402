"""Demo data: provinces from the package, the idempotent `populatedb`, and the catalogue
generator."""

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.test import Client

from backend.attribute.models import AssignedProductAttributeValue
from backend.demo.catalogue import DEMO_CATALOGUE_SIZE, demo_catalogue
from backend.demo.warehouses import DEMO_NOTE
from backend.ocop.models import (
    CertificationStatus,
    LegacyProvince,
    Producer,
    Province,
    VerificationStatus,
)
from backend.ocop.provinces import current_province_code, resolve_province
from backend.product.models import Product
from backend.warehouse.models import Stock

pytestmark = pytest.mark.django_db

DEMO_APPS = ["ocop", "channel", "product", "attribute", "warehouse", "page", "menu", "account"]


def _row_counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for label in DEMO_APPS
        for model in apps.get_app_config(label).get_models()
    }


def _populate(generated_products: int = 0) -> str:
    """The demo data; the generated catalogue (300 products in `make run`) only where a test
    is about it."""
    out = StringIO()
    call_command("populatedb", generated_products=generated_products, stdout=out)
    return out.getvalue()


def test_migrations_load_34_current_and_63_former_provinces():
    assert Province.objects.count() == 34
    assert LegacyProvince.objects.count() == 63
    assert Province.objects.get(code="37").name == "Ninh Bình"
    assert LegacyProvince.objects.get(name="Nam Định").current.code == "37"
    assert LegacyProvince.objects.get(name="Quảng Nam").current.name == "Đà Nẵng"
    assert not Province.objects.filter(region="").exists()


@pytest.mark.parametrize(
    ("printed", "current"),
    [
        ("Nam Định", "Ninh Bình"),
        ("Quang Nam", "Đà Nẵng"),
        ("Tỉnh Quảng Nam", "Đà Nẵng"),
        ("tinh bac kan", "Thái Nguyên"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("49", "Đà Nẵng"),
        ("Xã Yên Cường, Huyện Ý Yên, Tỉnh Nam Định", "Ninh Bình"),
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_resolve_province_maps_former_names_to_current_units(printed, current):
    assert resolve_province(printed).name == current


def test_resolve_province_returns_none_for_unknown_places():
    assert resolve_province("Paris") is None
    assert current_province_code("") is None


def test_populatedb_is_idempotent_and_seeds_real_products():
    output = _populate(DEMO_CATALOGUE_SIZE)
    first = _row_counts()
    _populate(DEMO_CATALOGUE_SIZE)
    assert _row_counts() == first
    assert f"{DEMO_CATALOGUE_SIZE} generated" in output

    assert "admin@example.com" in output and "/graphql/" in output
    lenger = Product.objects.get(slug="nghieu-thit-hop-lenger")
    assert lenger.producer.name == "Công ty TNHH Thủy sản Lenger Việt Nam"
    assert lenger.producer.province.name == "Ninh Bình"
    assert lenger.variants.filter(stocks__warehouse__click_and_collect_option="local").exists()
    assert lenger.channel_listings.get(channel__slug="vn").discounted_price_amount > 0
    assert lenger.translations.get(language_code="en").name == "Lenger canned clam meat"
    assert lenger.media.get().image.storage.exists(lenger.media.get().image.name)

    ai_nghia = Product.objects.get(slug="gao-an-toan-ai-nghia")
    assert ai_nghia.producer.province.name == "Đà Nẵng"
    # Its 2019 certificate expired: it must not carry a star value.
    assert not ai_nghia.attributevalues.filter(value__attribute__slug="ocop-stars").exists()


def test_demo_accounts_can_log_in():
    _populate()
    client = Client()
    assert client.login(email="admin@example.com", password="admin")
    assert client.get("/admin/").status_code == 200
    assert Client().login(email="toan-xuan@demo.ocop.vn", password="ocop-demo-2025")


def test_generator_spreads_products_over_provinces_groups_and_stars():
    call_command("generate_catalog", products=300, seed=7, stdout=StringIO())

    generated = Product.objects.filter(metadata__has_key="demo_values")
    assert generated.count() == 300
    assert generated.values("producer__province").distinct().count() == 34
    assert generated.values("category__parent__slug").distinct().count() >= 5
    assert not generated.filter(variants__isnull=True).exists()
    assert not generated.filter(channel_listings__discounted_price_amount__isnull=True).exists()
    stars = dict(
        AssignedProductAttributeValue.objects.filter(value__attribute__slug="ocop-stars")
        .values_list("value__slug")
        .annotate(n=Count("id"))
    )
    assert stars["3"] > stars["4"] > stars.get("5", 0)


def test_the_demo_has_products_in_every_province_and_group_marked_as_demo():
    """`make run`'s shop: a generated catalogue beside the seed products, so every province
    page, group and filter shows something; each generated product says it is demo data."""
    _populate(DEMO_CATALOGUE_SIZE)
    generated = demo_catalogue()
    assert generated.count() == DEMO_CATALOGUE_SIZE

    per_province = dict(
        Product.objects.values_list("producer__province__code").annotate(n=Count("id"))
    )
    assert set(per_province) == set(Province.objects.values_list("code", flat=True))
    assert min(per_province.values()) >= 3
    per_group = Counter(
        parent or slug
        for parent, slug in Product.objects.values_list("category__parent__slug", "category__slug")
    )
    assert len(per_group) == 6 and min(per_group.values()) >= 15

    stars = Counter(
        AssignedProductAttributeValue.objects.filter(
            product__in=generated, value__attribute__slug="ocop-stars"
        ).values_list("value__slug", flat=True)
    )
    assert stars["3"] > stars["4"] > stars["5"] >= 5
    assert len(set(generated.values_list("producer__legal_type", flat=True))) == 4
    assert generated.annotate(n=Count("variants")).filter(n__gte=2).count() >= 50
    sold_out = generated.annotate(stock=Sum("variants__stocks__quantity")).filter(stock=0)
    assert 0 < sold_out.count() < DEMO_CATALOGUE_SIZE // 5

    producers = Producer.objects.filter(products__in=generated).distinct()
    assert not producers.exclude(verification_status=VerificationStatus.VERIFIED).exists()
    assert not producers.filter(Q(story="") | Q(address="") | Q(ward="")).exists()
    valid = generated.filter(
        certifications__status=CertificationStatus.VALID,
        certifications__verification_status=VerificationStatus.VERIFIED,
    )
    assert valid.distinct().count() > DEMO_CATALOGUE_SIZE * 0.9

    # Pick-up at an OCOP point of sale in every province, with stock there.
    showrooms_with_stock = (
        Stock.objects.filter(warehouse__slug__startswith="diem-ban-ocop-", quantity__gt=0)
        .values("warehouse__province")
        .distinct()
    )
    assert showrooms_with_stock.count() == 34

    product = generated.order_by("pk").first()
    assert product.metadata["demo_values"] == DEMO_NOTE
    page = Client().get(f"/san-pham/{product.slug}/")
    assert page.status_code == 200 and DEMO_NOTE in page.content.decode()
    image = product.media.get().image
    assert default_storage.exists(image.name)
    # Pictures are shared by the products of a kind: a few dozen files, not one per product.
    assert generated.values("media__image").distinct().count() < 80

    # Search and the catalogue find them like any product.
    found = Client().get("/tim-kiem/", {"q": "mat ong"}).content.decode()
    assert "Mật ong" in found


HOME_COLLECTION = """
query($slug: String!, $channel: String!, $languageCode: LanguageCodeEnum!) {
  collection(slug: $slug, channel: $channel) {
    name translation(languageCode: $languageCode) { name }
    products(first: 12) { totalCount edges { node { slug } } }
  }
  collections(first: 10, channel: $channel) { edges { node { slug } } }
}
"""


def test_demo_collections_fill_the_storefront_home_page(api_client):
    """Saleor's storefront home page lists `featured-products`; themed collections exist too,
    each with products and an English name, in both channels."""
    _populate()

    for channel in ("vn", "intl"):
        result = api_client.execute(
            HOME_COLLECTION,
            {"slug": "featured-products", "channel": channel, "languageCode": "EN"},
        )["data"]
        featured = result["collection"]
        assert featured["name"] == "Sản phẩm nổi bật"
        assert featured["translation"]["name"] == "Featured products"
        slugs = [edge["node"]["slug"] for edge in featured["products"]["edges"]]
        assert featured["products"]["totalCount"] == len(slugs) == 5
        assert "nghieu-thit-hop-lenger" in slugs
        listed = {edge["node"]["slug"] for edge in result["collections"]["edges"]}
        assert {"featured-products", "gia-vi-bep-viet", "qua-tet-ocop"} <= listed
        for slug in ("gia-vi-bep-viet", "qua-tet-ocop"):
            themed = api_client.execute(
                HOME_COLLECTION, {"slug": slug, "channel": channel, "languageCode": "EN"}
            )["data"]["collection"]
            assert themed["products"]["totalCount"] == 4
            assert themed["translation"]["name"]


def test_demo_has_orders_placed_like_the_shop_places_them():
    """The portal and the office console open on real orders: COD, stock allocated; running
    the command again adds none."""
    from backend.order.models import Order
    from backend.warehouse.models import Stock

    _populate()
    _populate()
    orders = Order.objects.filter(user_email__endswith="@khach.demo.ocop.vn")
    assert orders.filter(live_event__isnull=True).count() == 4  # and two bought in a livestream
    assert orders.filter(live_event__isnull=False).count() == 2
    assert all(order.payment_gateway == "ocop.payments.cod" for order in orders)
    assert Stock.objects.filter(quantity_allocated__gt=0).exists()
