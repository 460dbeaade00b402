"""Buyers' lists are answered from the shared cache until the catalogue changes."""

import pytest
from django.core.cache import cache

from backend.product.catalogue.facets import CatalogueFacets
from backend.product.catalogue.query import CatalogueQuery
from backend.product.models import ProductChannelListing, ProductVariantChannelListing
from backend.product.pricing import update_discounted_prices
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(settings, django_capture_on_commit_callbacks):
    settings.CATALOGUE_CACHE_SECONDS = 60
    cache.delete("catalogue:version")
    shop = Shop()
    food = shop.category("Thực phẩm", "thuc-pham")
    with django_capture_on_commit_callbacks(execute=True):
        shop.product("Nước mắm cốt", "nuoc-mam-cot", food, price=125_000)
        shop.product("Mắm tôm", "mam-tom", food, price=60_000)
    return shop


def _listing(channel) -> tuple:
    query = CatalogueQuery(channel)
    provinces = [(facet.slug, facet.count) for facet in CatalogueFacets(query).provinces()]
    page = [(product.slug, product.price_from) for product in query.page(0, 24)]
    return query.count()[0], provinces, page


def test_the_same_list_asked_again_costs_no_query(shop, django_assert_num_queries):
    first = _listing(shop.channel)
    assert first[0] == 2
    with django_assert_num_queries(0):
        assert _listing(shop.channel) == first


def test_a_new_price_or_an_unpublished_product_shows_at_once(
    shop, django_capture_on_commit_callbacks
):
    _listing(shop.channel)
    with django_capture_on_commit_callbacks(execute=True):
        price = ProductVariantChannelListing.objects.get(variant__product__slug="mam-tom")
        price.price_amount = 55_000
        price.save()
        update_discounted_prices([price.variant.product_id])
    assert ("mam-tom", 55_000) in _listing(shop.channel)[2]

    with django_capture_on_commit_callbacks(execute=True):
        listing = ProductChannelListing.objects.get(product__slug="nuoc-mam-cot")
        listing.is_published = False
        listing.save()
    count, provinces, page = _listing(shop.channel)
    assert count == 1 and [slug for slug, _price in page] == ["mam-tom"]
    assert provinces == [(shop.province.slug, 1)]


def test_a_staff_list_is_never_cached(shop, django_assert_max_num_queries):
    from backend.account.models import User

    staff = User.objects.create_superuser("staff@example.com", "x")
    CatalogueQuery(shop.channel, user=staff).count()
    with django_assert_max_num_queries(5) as captured:
        CatalogueQuery(shop.channel, user=staff).count()
    assert len(captured.captured_queries) >= 1
