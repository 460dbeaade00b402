"""`filter` (deprecated) and `where` on product lists, as the storefront sends them."""

import pytest

from backend.core.ids import global_id

pytestmark = pytest.mark.django_db

PRODUCT_LIST_PAGINATED = """
query ProductListPaginated($first: Int, $after: String, $last: Int, $before: String,
    $channel: String!, $languageCode: LanguageCodeEnum!, $sortBy: ProductOrder,
    $filter: ProductFilterInput, $where: ProductWhereInput) {
  products(first: $first, after: $after, last: $last, before: $before, channel: $channel,
           sortBy: $sortBy, filter: $filter, where: $where) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug translation(languageCode: $languageCode) { name } } }
  }
}
"""


def _slugs(api_client, **variables):
    variables = {"first": 20, "channel": "vn", "languageCode": "VI", **variables}
    result = api_client.execute(PRODUCT_LIST_PAGINATED, variables)
    assert "errors" not in result, result["errors"]
    return sorted(edge["node"]["slug"] for edge in result["data"]["products"]["edges"])


def test_filter_by_category_includes_subcategories(api_client, catalog, category_tree):
    food = global_id("Category", category_tree["food"].pk)
    assert _slugs(api_client, filter={"categories": [food]}) == [
        "nuoc-mam-cat-hai",
        "nuoc-mam-phu-quoc",
        "tra-shan-tuyet",
    ]
    tea = global_id("Category", category_tree["tea"].pk)
    assert _slugs(api_client, filter={"categories": [tea]}) == ["tra-shan-tuyet"]


def test_filter_price_in_major_units_of_the_channel(api_client, catalog):
    assert _slugs(api_client, filter={"price": {"gte": 100000, "lte": 150000}}) == [
        "nuoc-mam-phu-quoc",
        "tra-shan-tuyet",
    ]
    assert _slugs(api_client, filter={"minimalPrice": {"lte": 100000}}) == ["nuoc-mam-cat-hai"]
    assert _slugs(api_client, channel="intl", filter={"price": {"gte": 9, "lte": 10}}) == [
        "nuoc-mam-phu-quoc"
    ]


def test_search_is_accent_insensitive(api_client, catalog):
    assert _slugs(api_client, filter={"search": "nuoc mam"}) == [
        "nuoc-mam-cat-hai",
        "nuoc-mam-phu-quoc",
    ]
    assert _slugs(api_client, filter={"search": "TRÀ shan"}) == ["tra-shan-tuyet"]


def test_filter_by_attribute_values_and_stock(api_client, catalog):
    assert _slugs(
        api_client, filter={"attributes": [{"slug": "vung-mien", "values": ["mien-bac"]}]}
    ) == ["nuoc-mam-cat-hai"]
    by_value = {"attributes": [{"slug": "dung-tich", "value": {"slug": {"oneOf": ["1l"]}}}]}
    assert _slugs(api_client, filter=by_value) == ["nuoc-mam-phu-quoc"]
    assert _slugs(api_client, filter={"stockAvailability": "OUT_OF_STOCK"}) == ["nuoc-mam-cat-hai"]
    assert "nuoc-mam-cat-hai" not in _slugs(api_client, filter={"stockAvailability": "IN_STOCK"})


def test_filter_ids_slugs_and_metadata(api_client, catalog):
    phu_quoc = catalog["phu_quoc"]
    phu_quoc.metadata = {"nguon": "dao"}
    phu_quoc.save()
    assert _slugs(api_client, filter={"ids": [global_id("Product", catalog["tea"].pk)]}) == [
        "tra-shan-tuyet"
    ]
    assert _slugs(api_client, filter={"slugs": ["nuoc-mam-cat-hai"]}) == ["nuoc-mam-cat-hai"]
    assert _slugs(api_client, filter={"metadata": [{"key": "nguon", "value": "dao"}]}) == [
        "nuoc-mam-phu-quoc"
    ]


def test_where_with_and_or(api_client, catalog, category_tree):
    fish = global_id("Category", category_tree["fish_sauce"].pk)
    tea = global_id("Category", category_tree["tea"].pk)
    assert _slugs(api_client, where={"category": {"oneOf": [tea]}}) == ["tra-shan-tuyet"]
    where = {
        "OR": [
            {"AND": [{"category": {"eq": fish}}, {"price": {"range": {"lte": 100000}}}]},
            {"slug": {"eq": "tra-shan-tuyet"}},
        ]
    }
    assert _slugs(api_client, where=where) == ["nuoc-mam-cat-hai", "tra-shan-tuyet"]
    attributes = {"attributes": [{"slug": "vung-mien", "values": ["mien-nam"]}]}
    assert _slugs(api_client, where=attributes) == ["nuoc-mam-phu-quoc"]
    assert _slugs(api_client, where={"price": {"eq": 150000}}) == ["tra-shan-tuyet"]


def test_filter_and_where_together_is_an_error(api_client, catalog):
    result = api_client.execute(
        PRODUCT_LIST_PAGINATED,
        {
            "first": 5,
            "channel": "vn",
            "languageCode": "VI",
            "filter": {"search": "tra"},
            "where": {"slug": {"eq": "tra-shan-tuyet"}},
        },
    )
    assert result["data"]["products"] is None
    assert "filter or where" in result["errors"][0]["message"]


def test_malformed_category_id_in_filter_is_an_error(api_client, catalog):
    result = api_client.execute(
        PRODUCT_LIST_PAGINATED,
        {"first": 5, "channel": "vn", "languageCode": "VI", "filter": {"categories": ["xyz"]}},
    )
    assert result["data"]["products"] is None
    assert "xyz" in result["errors"][0]["message"]


def test_hidden_products_stay_hidden_whatever_the_filter(api_client, catalog):
    assert _slugs(api_client, filter={"slugs": ["mat-ong-bac-ha", "ca-phe-cau-dat"]}) == []
    assert _slugs(api_client, where={"isPublished": False}) == []
