"""Sorting and keyset paging: every sort order pages forwards and backwards through the same
sequence, without duplicates or gaps."""

import datetime

import pytest
from django.utils import timezone

from backend.product.models import Product

pytestmark = pytest.mark.django_db

PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String, $sortBy: ProductOrder,
       $search: String) {
  products(first: $first, after: $after, last: $last, before: $before, channel: "vn",
           sortBy: $sortBy, search: $search) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { slug } }
  }
}
"""


@pytest.fixture
def shelf(make_product, category_tree):
    """Eleven products with tied names, prices and ratings, so ties must be broken stably."""
    products = []
    for index in range(11):
        products.append(
            make_product(
                f"Bánh {'A' if index % 3 else 'B'}",
                f"banh-{index:02d}",
                category_tree["food"],
                prices_vnd=(50_000 + 1000 * (index % 4),),
                rating=None if index % 5 == 0 else float(index % 3),
            )
        )
    base = timezone.now() - datetime.timedelta(days=30)
    for index, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(
            created_at=base + datetime.timedelta(hours=index % 4)
        )
    return products


def _walk(api_client, sort_by, forward=True, size=3, search=None):
    slugs, cursor = [], None
    for _ in range(20):
        variables = {"sortBy": sort_by, "search": search}
        if forward:
            variables.update(first=size, after=cursor)
        else:
            variables.update(last=size, before=cursor)
        result = api_client.execute(PAGE, variables)
        assert "errors" not in result, result["errors"]
        page = result["data"]["products"]
        nodes = [edge["node"]["slug"] for edge in page["edges"]]
        slugs = slugs + nodes if forward else nodes + slugs
        info = page["pageInfo"]
        if forward and not info["hasNextPage"]:
            return slugs
        if not forward and not info["hasPreviousPage"]:
            return slugs
        cursor = info["endCursor"] if forward else info["startCursor"]
    raise AssertionError("paging did not end")


FIELDS = [
    "NAME",
    "PRICE",
    "MINIMAL_PRICE",
    "CREATED_AT",
    "LAST_MODIFIED_AT",
    "PUBLISHED_AT",
    "RATING",
    "TYPE",
    "PUBLISHED",
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_paging_is_stable_both_ways(api_client, shelf, field, direction):
    sort_by = {"field": field, "direction": direction}
    forward = _walk(api_client, sort_by)
    assert len(forward) == len(set(forward)) == 11
    assert _walk(api_client, sort_by, forward=False) == forward
    everything = api_client.execute(PAGE, {"first": 100, "sortBy": sort_by})
    assert [e["node"]["slug"] for e in everything["data"]["products"]["edges"]] == forward


def test_price_order_follows_the_cheapest_variant(api_client, shelf):
    ascending = _walk(api_client, {"field": "PRICE", "direction": "ASC"}, size=4)
    prices = [50_000 + 1000 * (int(slug[-2:]) % 4) for slug in ascending]
    assert prices == sorted(prices)
    descending = _walk(api_client, {"field": "PRICE", "direction": "DESC"}, size=4)
    assert descending == list(reversed(ascending))


def test_name_order(api_client, shelf):
    slugs = _walk(api_client, {"field": "NAME", "direction": "ASC"})
    assert slugs[:4] == ["banh-01", "banh-02", "banh-04", "banh-05"]


def test_rank_needs_search(api_client, shelf, catalog):
    result = api_client.execute(
        PAGE, {"first": 5, "sortBy": {"field": "RANK", "direction": "DESC"}}
    )
    assert "search" in result["errors"][0]["message"]
    ranked = _walk(api_client, {"field": "RANK", "direction": "DESC"}, search="nuoc mam")
    assert sorted(ranked) == ["nuoc-mam-cat-hai", "nuoc-mam-phu-quoc"]


def test_page_size_over_100_is_refused(api_client, shelf):
    result = api_client.execute(PAGE, {"first": 101})
    assert result["data"]["products"] is None
    assert "101" in result["errors"][0]["message"]
    assert "100" in result["errors"][0]["message"]
