"""Categories and collections: look-ups, listings of their products, translations."""

import pytest
from django.utils import timezone

from backend.core.ids import global_id
from backend.product.models import Collection, CollectionChannelListing, CollectionProduct

pytestmark = pytest.mark.django_db

PRODUCT_LIST_BY_CATEGORY = """
query ProductListByCategory($slug: String!, $channel: String!, $languageCode: LanguageCodeEnum!,
    $slugLanguageCode: LanguageCodeEnum, $first: Int, $after: String, $sortBy: ProductOrder,
    $filter: ProductFilterInput, $where: ProductWhereInput) {
  category(slug: $slug, slugLanguageCode: $slugLanguageCode) {
    name slug description seoTitle seoDescription level
    parent { slug }
    children(first: 10) { edges { node { slug } } }
    translation(languageCode: $languageCode) { name slug }
    backgroundImage(size: 256, format: WEBP) { url }
    products(first: $first, after: $after, channel: $channel, sortBy: $sortBy, filter: $filter,
             where: $where) {
      totalCount
      edges { node { slug pricing { priceRange { start { gross { amount currency } } } } } }
    }
  }
}
"""

CATEGORIES_BY_SLUG = """
query CategoriesBySlug($slugs: [String!]!, $first: Int = 20) {
  categories(first: $first, filter: { slugs: $slugs }) {
    edges { node { id name slug translation(languageCode: EN) { name } } }
  }
}
"""


def test_category_products_include_subcategories(api_client, catalog):
    variables = {
        "slug": "thuc-pham",
        "channel": "vn",
        "languageCode": "EN",
        "first": 10,
        "sortBy": {"field": "PRICE", "direction": "ASC"},
    }
    category = api_client.execute(PRODUCT_LIST_BY_CATEGORY, variables)["data"]["category"]
    assert category["level"] == 0
    assert [e["node"]["slug"] for e in category["children"]["edges"]] == ["nuoc-mam", "tra"]
    slugs = [e["node"]["slug"] for e in category["products"]["edges"]]
    assert slugs == ["nuoc-mam-cat-hai", "nuoc-mam-phu-quoc", "tra-shan-tuyet"]
    assert category["products"]["totalCount"] == 3


def test_category_by_translated_slug_with_translation(api_client, catalog):
    variables = {
        "slug": "fish-sauce",
        "slugLanguageCode": "EN",
        "channel": "vn",
        "languageCode": "EN",
        "first": 5,
    }
    category = api_client.execute(PRODUCT_LIST_BY_CATEGORY, variables)["data"]["category"]
    assert category["slug"] == "nuoc-mam"
    assert category["translation"] == {"name": "Fish sauce", "slug": "fish-sauce"}
    assert category["parent"] == {"slug": "thuc-pham"}
    assert category["backgroundImage"] is None


def test_category_products_with_where(api_client, catalog):
    variables = {
        "slug": "nuoc-mam",
        "channel": "vn",
        "languageCode": "EN",
        "first": 5,
        "where": {"price": {"range": {"gte": 100000}}},
    }
    category = api_client.execute(PRODUCT_LIST_BY_CATEGORY, variables)["data"]["category"]
    assert [e["node"]["slug"] for e in category["products"]["edges"]] == ["nuoc-mam-phu-quoc"]


def test_unknown_category_is_null(api_client, catalog):
    variables = {"slug": "khong-co", "channel": "vn", "languageCode": "EN", "first": 5}
    assert api_client.execute(PRODUCT_LIST_BY_CATEGORY, variables) == {"data": {"category": None}}


def test_categories_by_slug_and_level(api_client, category_tree):
    result = api_client.execute(CATEGORIES_BY_SLUG, {"slugs": ["tra", "nuoc-mam"]})
    nodes = [edge["node"] for edge in result["data"]["categories"]["edges"]]
    assert [node["slug"] for node in nodes] == ["nuoc-mam", "tra"]
    assert nodes[0]["translation"] == {"name": "Fish sauce"}
    assert nodes[1]["translation"] is None
    roots = api_client.execute(
        "{ categories(first: 10, level: 0) { totalCount edges { node { slug } } } }"
    )
    assert roots["data"]["categories"]["totalCount"] == 2
    by_count = api_client.execute(
        "{ categories(first: 10, sortBy: {field: SUBCATEGORY_COUNT, direction: DESC}) "
        "{ edges { node { slug } } } }"
    )
    assert by_count["data"]["categories"]["edges"][0]["node"]["slug"] == "thuc-pham"


@pytest.fixture
def collection(catalog, channel_vn):
    collection = Collection.objects.create(name="Quà Tết", slug="qua-tet")
    CollectionChannelListing.objects.create(
        collection=collection, channel=channel_vn, is_published=True, published_at=timezone.now()
    )
    CollectionProduct.objects.create(collection=collection, product=catalog["tea"], sort_order=0)
    CollectionProduct.objects.create(
        collection=collection, product=catalog["phu_quoc"], sort_order=1
    )
    CollectionProduct.objects.create(collection=collection, product=catalog["hidden"], sort_order=2)
    return collection


PRODUCT_LIST_BY_COLLECTION = """
query ($slug: String!, $channel: String!) {
  collection(slug: $slug, channel: $channel) {
    id name slug channel
    products(first: 10, sortBy: {field: COLLECTION, direction: ASC}) {
      edges { node { slug collections { slug } } }
    }
  }
}
"""


def test_collection_products_in_collection_order(api_client, collection):
    data = api_client.execute(PRODUCT_LIST_BY_COLLECTION, {"slug": "qua-tet", "channel": "vn"})
    collection_data = data["data"]["collection"]
    assert collection_data["channel"] == "vn"
    nodes = [edge["node"] for edge in collection_data["products"]["edges"]]
    assert [node["slug"] for node in nodes] == ["tra-shan-tuyet", "nuoc-mam-phu-quoc"]
    assert nodes[0]["collections"] == [{"slug": "qua-tet"}]


def test_collection_unpublished_in_channel_is_null_for_buyers(
    api_client, collection, catalog_manager_token
):
    variables = {"slug": "qua-tet", "channel": "intl"}
    assert api_client.execute(PRODUCT_LIST_BY_COLLECTION, variables) == {
        "data": {"collection": None}
    }
    listed = api_client.execute(
        '{ collections(first: 5, channel: "vn") { edges { node { slug } } } }'
    )
    assert listed["data"]["collections"]["edges"] == [{"node": {"slug": "qua-tet"}}]
    staff = api_client.execute(
        "{ collections(first: 5) { totalCount } }", token=catalog_manager_token
    )
    assert staff["data"]["collections"]["totalCount"] == 1


def test_filter_products_by_collection(api_client, collection):
    query = """query ($ids: [ID!]) { products(first: 10, channel: "vn",
        filter: {collections: $ids}) { edges { node { slug } } } }"""
    result = api_client.execute(query, {"ids": [global_id("Collection", collection.pk)]})
    slugs = sorted(e["node"]["slug"] for e in result["data"]["products"]["edges"])
    assert slugs == ["nuoc-mam-phu-quoc", "tra-shan-tuyet"]
