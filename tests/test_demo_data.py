"""Demo data: provinces from the package, the idempotent `populatedb`, and the catalogue
generator."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from backend.attribute.models import AssignedProductAttributeValue
from backend.ocop.models import LegacyProvince, Province
from backend.ocop.provinces import current_province_code, resolve_province
from backend.product.models import Product

pytestmark = pytest.mark.django_db

DEMO_APPS = ["ocop", "channel", "product", "attribute", "warehouse", "page", "menu", "account"]


def _row_counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for label in DEMO_APPS
        for model in apps.get_app_config(label).get_models()
    }


def _populate() -> str:
    out = StringIO()
    call_command("populatedb", stdout=out)
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
    output = _populate()
    first = _row_counts()
    _populate()
    assert _row_counts() == first

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
