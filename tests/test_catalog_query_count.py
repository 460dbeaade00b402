"""A page of products costs the same number of SQL queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.ocop.models import (
    Certification,
    IssuerLevel,
    Producer,
    ProducerType,
    Province,
    VerificationStatus,
)

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
      producer { name slug verified province { slug } }
      province { slug name legacyNames }
      ocopCertification { stars validUntil issuer { level name } }
    } }
  }
}
"""


@pytest.fixture
def many_products(make_product, category_tree, product_type):
    """105 products of three verified producers in different provinces; every other one
    holds a valid, verified OCOP certification."""
    regions = [product_type.values["north"], product_type.values["south"]]
    producers = [
        Producer.objects.create(
            name=f"HTX {code}",
            slug=f"htx-{code}",
            legal_type=ProducerType.COOPERATIVE,
            province=Province.objects.get(code=code),
            verification_status=VerificationStatus.VERIFIED,
        )
        for code in ("37", "48", "01")
    ]
    for index in range(105):
        product = make_product(
            f"Đặc sản số {index}",
            f"dac-san-{index:03d}",
            category_tree["fish_sauce" if index % 2 else "tea"],
            prices_vnd=(10_000 + index, 20_000 + index),
            region=regions[index % 2],
        )
        product.producer = producers[index % 3]
        product.save()
        if index % 2:
            Certification.objects.create(
                product=product,
                producer=product.producer,
                stars=3 + index % 3,
                product_group="food",
                decision_number=f"{index}/QĐ-UBND",
                decision_date=timezone.localdate(),
                issuer_level=IssuerLevel.PROVINCE,
                issuer_name="UBND tỉnh",
                valid_from=timezone.localdate(),
                verification_status=VerificationStatus.VERIFIED,
            )


def _count(api_client, first):
    with CaptureQueriesContext(connection) as queries:
        result = api_client.execute(FULL_PAGE, {"first": first})
    assert "errors" not in result, result["errors"]
    edges = result["data"]["products"]["edges"]
    assert len(edges) == first
    assert all(edge["node"]["producer"]["province"] for edge in edges)
    assert any(edge["node"]["ocopCertification"] for edge in edges)
    return len(queries)


def test_products_page_costs_a_fixed_number_of_queries(
    api_client, many_products, django_assert_max_num_queries
):
    small = _count(api_client, 5)
    large = _count(api_client, 100)
    assert large == small
    with django_assert_max_num_queries(small):
        api_client.execute(FULL_PAGE, {"first": 100})
