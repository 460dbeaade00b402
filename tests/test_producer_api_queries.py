"""What a producer's members read through the GraphQL API: their own hidden products (as staff
see hidden products), their own warehouses and the stock of their own variants in them; another
producer's hidden products, warehouses and stock stay out of sight. Lists keep a bounded number
of SQL queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.account.jwt import create_access_token
from backend.core.ids import global_id
from backend.product.models import Product, ProductChannelListing, ProductVariant
from backend.warehouse.models import Stock, Warehouse

pytestmark = pytest.mark.django_db

PRODUCT = """
query ($id: ID, $slug: String, $channel: String) {
  product(id: $id, slug: $slug, channel: $channel) { id slug variants { sku } }
}"""
PRODUCTS = """
query ($channel: String, $first: Int) {
  products(first: $first, channel: $channel) { edges { node { slug variants { sku } } } }
}"""
VARIANT = """
query ($id: ID!, $channel: String) { productVariant(id: $id, channel: $channel) { sku } }"""
VARIANT_STOCKS = """
query ($id: ID!, $channel: String) {
  productVariant(id: $id, channel: $channel) {
    sku
    stocks { warehouse { id } quantity quantityAllocated quantityReserved }
  }
}"""
WAREHOUSES = """
query ($first: Int) {
  warehouses(first: $first) {
    totalCount
    edges { node { id slug stocks(first: 50) {
      edges { node { productVariant { sku } quantity quantityReserved } } } } }
  }
}"""
WAREHOUSE = """
query ($id: ID!) { warehouse(id: $id) { id slug stocks(first: 10) { totalCount } } }"""
MEMBER_PRODUCTS = """
query ($first: Int) {
  products(first: $first) {
    edges { node { slug variants { sku stocks { quantity quantityReserved warehouse { slug } } } } }
  }
}"""


def gid(instance) -> str:
    name = "Warehouse" if isinstance(instance, Warehouse) else type(instance).__name__
    return global_id(name, instance.pk)


class Signed:
    """`api_client` sending one user's token (so two members can take turns)."""

    def __init__(self, api_client, user):
        self.api_client, self.token = api_client, create_access_token(user)

    def execute(self, query, variables=None):
        return self.api_client.execute(query, variables, token=self.token)


def as_member(api_client, cast):
    return Signed(api_client, cast.owner)


def data(result):
    assert "errors" not in result, result
    return result["data"]


def draft_of(cast, slug):
    """A product the producer has not listed anywhere yet, with one variant."""
    product = Product.objects.create(
        product_type=cast.product.product_type,
        category=cast.product.category,
        producer=cast.producer,
        name=f"Nháp {slug}",
        slug=slug,
    )
    ProductVariant.objects.create(product=product, sku=f"{slug}-1", name="Gói")
    return product


def hide(cast):
    """The cast's product stays listed in the channel but is not published."""
    ProductChannelListing.objects.filter(product=cast.product).update(is_published=False)


# --- Products --------------------------------------------------------------------------------


def test_a_member_sees_their_own_draft_and_no_one_elses(api_client, producer_a, producer_b):
    draft = draft_of(producer_a, "tra-nhap")
    variables = {"id": gid(draft)}

    member_a = as_member(api_client, producer_a)
    seen = data(member_a.execute(PRODUCT, variables))["product"]
    assert seen == {"id": gid(draft), "slug": "tra-nhap", "variants": [{"sku": "tra-nhap-1"}]}
    assert data(member_a.execute(PRODUCT, {"slug": "tra-nhap"}))["product"]["id"] == gid(draft)

    member_b = as_member(api_client, producer_b)
    assert data(member_b.execute(PRODUCT, variables)) == {"product": None}
    assert data(member_b.execute(PRODUCT, {"slug": "tra-nhap"})) == {"product": None}
    variant = draft.variants.get()
    assert data(member_b.execute(VARIANT, {"id": gid(variant)})) == {"productVariant": None}
    assert data(member_a.execute(VARIANT, {"id": gid(variant)})) == {
        "productVariant": {"sku": "tra-nhap-1"}
    }
    api_client.token = None
    assert data(api_client.execute(PRODUCT, {**variables, "channel": "vn"})) == {"product": None}


def test_a_member_lists_their_hidden_products_in_a_channel(api_client, producer_a, producer_b):
    hide(producer_a)
    hide(producer_b)
    draft_of(producer_a, "tra-nhap")  # not in the channel: not in the channel's list
    member_a = as_member(api_client, producer_a)
    listed = data(member_a.execute(PRODUCTS, {"channel": "vn", "first": 20}))
    assert [edge["node"]["slug"] for edge in listed["products"]["edges"]] == [
        producer_a.product.slug
    ]
    hidden = data(member_a.execute(PRODUCT, {"id": gid(producer_a.product), "channel": "vn"}))
    assert hidden["product"]["variants"] == [{"sku": producer_a.variant.sku}]
    assert data(member_a.execute(PRODUCT, {"id": gid(producer_b.product), "channel": "vn"})) == {
        "product": None
    }


def test_a_member_still_sees_other_producers_published_products(api_client, producer_a, producer_b):
    hide(producer_a)
    member_a = as_member(api_client, producer_a)
    listed = data(member_a.execute(PRODUCTS, {"channel": "vn", "first": 20}))
    assert sorted(edge["node"]["slug"] for edge in listed["products"]["edges"]) == sorted(
        [producer_a.product.slug, producer_b.product.slug]
    )
    api_client.token = None
    public = data(api_client.execute(PRODUCTS, {"channel": "vn", "first": 20}))
    assert [edge["node"]["slug"] for edge in public["products"]["edges"]] == [
        producer_b.product.slug
    ]


def test_without_a_channel_a_member_lists_their_own_catalogue(api_client, producer_a, producer_b):
    draft_of(producer_a, "tra-nhap")
    member_a = as_member(api_client, producer_a)
    listed = data(member_a.execute(PRODUCTS, {"first": 20}))
    assert sorted(edge["node"]["slug"] for edge in listed["products"]["edges"]) == [
        producer_a.product.slug,
        "tra-nhap",
    ]


# --- Warehouses and stock ----------------------------------------------------------------------


def test_a_member_reads_only_their_own_warehouses(api_client, producer_a, producer_b, warehouse):
    member_b = as_member(api_client, producer_b)
    listed = data(member_b.execute(WAREHOUSES, {"first": 20}))["warehouses"]
    assert listed["totalCount"] == 1
    (edge,) = listed["edges"]
    assert edge["node"]["slug"] == producer_b.warehouse.slug
    assert edge["node"]["stocks"]["edges"] == [
        {
            "node": {
                "productVariant": {"sku": producer_b.variant.sku},
                "quantity": 20,
                "quantityReserved": 0,
            }
        }
    ]
    assert data(member_b.execute(WAREHOUSE, {"id": gid(producer_a.warehouse)})) == {
        "warehouse": None
    }
    assert data(member_b.execute(WAREHOUSE, {"id": gid(warehouse)})) == {"warehouse": None}
    own = data(member_b.execute(WAREHOUSE, {"id": gid(producer_b.warehouse)}))["warehouse"]
    assert own["slug"] == producer_b.warehouse.slug
    assert own["stocks"] == {"totalCount": 1}


def test_a_member_reads_their_variants_stock_in_their_own_warehouses(
    api_client, producer_a, producer_b, warehouse
):
    # The OCOP showroom also keeps some of a's tea: the office's stock, not the producer's.
    Stock.objects.create(warehouse=warehouse, product_variant=producer_a.variant, quantity=5)
    member_a = as_member(api_client, producer_a)
    own = data(member_a.execute(VARIANT_STOCKS, {"id": gid(producer_a.variant)}))
    assert own["productVariant"]["stocks"] == [
        {
            "warehouse": {"id": gid(producer_a.warehouse)},
            "quantity": 20,
            "quantityAllocated": 0,
            "quantityReserved": 0,
        }
    ]


def test_another_producers_stock_is_null_with_permission_denied(
    api_client, producer_a, producer_b, customer_token
):
    member_b = as_member(api_client, producer_b)
    answer = member_b.execute(VARIANT_STOCKS, {"id": gid(producer_a.variant), "channel": "vn"})
    assert answer["data"]["productVariant"] == {"sku": producer_a.variant.sku, "stocks": None}
    (error,) = answer["errors"]
    assert error["path"] == ["productVariant", "stocks"]
    assert error["extensions"]["exception"]["code"] == "PermissionDenied"
    # Exactly what a buyer gets.
    api_client.token = customer_token
    buyer = api_client.execute(VARIANT_STOCKS, {"id": gid(producer_a.variant), "channel": "vn"})
    assert buyer["data"] == answer["data"]
    assert buyer["errors"][0]["message"] == error["message"]


def test_a_customer_without_a_producer_reads_no_warehouse(api_client, customer_token, producer_a):
    api_client.token = customer_token
    for query, variables, field in (
        (WAREHOUSES, {"first": 5}, "warehouses"),
        (WAREHOUSE, {"id": gid(producer_a.warehouse)}, "warehouse"),
    ):
        result = api_client.execute(query, variables)
        assert result["data"] == {field: None}
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_staff_with_manage_products_read_every_warehouse(
    api_client, catalog_manager_token, producer_a, producer_b, warehouse
):
    api_client.token = catalog_manager_token
    listed = data(api_client.execute(WAREHOUSES, {"first": 20}))["warehouses"]
    assert listed["totalCount"] == 3
    stocks = data(api_client.execute(VARIANT_STOCKS, {"id": gid(producer_a.variant)}))
    assert stocks["productVariant"]["stocks"][0]["quantity"] == 20


# --- Bounded SQL -------------------------------------------------------------------------------


def _grow(cast, count, other_warehouse, start=0):
    for index in range(start, start + count):
        product = draft_of(cast, f"{cast.producer.slug}-them-{index}")
        variant = product.variants.get()
        Stock.objects.create(warehouse=cast.warehouse, product_variant=variant, quantity=index)
        Stock.objects.create(warehouse=other_warehouse, product_variant=variant, quantity=1)


def _queries(client, query, variables):
    with CaptureQueriesContext(connection) as captured:
        result = client.execute(query, variables)
    assert "errors" not in result, result
    return len(captured)


def test_member_lists_cost_a_fixed_number_of_queries(
    api_client, producer_a, producer_b, warehouse, django_assert_max_num_queries
):
    member_a = as_member(api_client, producer_a)
    _grow(producer_a, 2, warehouse)
    small = {
        query: _queries(member_a, query, {"first": 50}) for query in (MEMBER_PRODUCTS, WAREHOUSES)
    }
    _grow(producer_a, 20, producer_b.warehouse, start=2)
    for query, count in small.items():
        with django_assert_max_num_queries(count):
            result = member_a.execute(query, {"first": 50})
        assert "errors" not in result, result
    products = data(member_a.execute(MEMBER_PRODUCTS, {"first": 50}))["products"]["edges"]
    assert len(products) == 23
    shown = {
        s["warehouse"]["slug"] for p in products for v in p["node"]["variants"] for s in v["stocks"]
    }
    assert shown == {producer_a.warehouse.slug}
