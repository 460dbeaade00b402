"""A page of products costs the same number of SQL queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

FULL_PAGE = """
query ($first: Int!) {
  products(first: $first, channel: "vn") {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id name slug description
      thumbnail(size: 256, format: WEBP) { url alt }
      pricing { onSale priceRange { start { gross { amount } } stop { gross { amount } } } }
      isAvailable isAvailableForPurchase
      category { id name slug parent { slug } }
      productType { id name slug hasVariants }
      collections { slug }
      attributes { attribute { slug name } values { name slug } }
      attributes { attribute { translation(languageCode: EN) { name } }
                   values { translation(languageCode: EN) { name } } }
      assignedAttributes(limit: 10) {
        attribute { slug name translation(languageCode: EN) { name } }
        ... on AssignedSingleChoiceAttribute { value { name slug translation(languageCode: EN) } }
      }
      media { id url(size: 512, format: WEBP) alt type }
      translation(languageCode: EN) { name slug description }
      defaultVariant { id }
      variants {
        id name sku quantityAvailable
        pricing { price { gross { amount currency } } priceUndiscounted { gross { amount } } }
        attributes(variantSelection: VARIANT_SELECTION) { attribute { slug } values { slug } }
        media { url }
        translation(languageCode: EN) { name }
      }
      productVariants(first: 10) { edges { node { sku } } }
      metadata { key value }
    } }
  }
}
"""


@pytest.fixture
def many_products(make_product, category_tree, product_type):
    regions = [product_type.values["north"], product_type.values["south"]]
    for index in range(105):
        make_product(
            f"Đặc sản số {index}",
            f"dac-san-{index:03d}",
            category_tree["fish_sauce" if index % 2 else "tea"],
            prices_vnd=(10_000 + index, 20_000 + index),
            region=regions[index % 2],
        )


def _count(api_client, first):
    with CaptureQueriesContext(connection) as queries:
        result = api_client.execute(FULL_PAGE, {"first": first})
    assert "errors" not in result, result["errors"]
    assert len(result["data"]["products"]["edges"]) == first
    return len(queries)


def test_products_page_costs_a_fixed_number_of_queries(
    api_client, many_products, django_assert_max_num_queries
):
    small = _count(api_client, 5)
    large = _count(api_client, 100)
    assert large == small
    with django_assert_max_num_queries(small):
        api_client.execute(FULL_PAGE, {"first": 100})
