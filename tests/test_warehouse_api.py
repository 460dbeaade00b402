"""The staff stock API, as Saleor 3 has it: `ProductVariant.stocks`, `warehouses` and
`warehouse(id)`, readable with MANAGE_PRODUCTS; numbers straight from the warehouse domain."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.core.ids import global_id
from backend.ocop.models import Province
from backend.warehouse.models import (
    ClickAndCollectOption,
    HolderKind,
    Reservation,
    Stock,
    Warehouse,
    holder_key,
)
from tests.order_factory import create_order

pytestmark = pytest.mark.django_db

VARIANT_STOCKS = """
query ($id: ID!, $channel: String) {
  productVariant(id: $id, channel: $channel) {
    stocks {
      id
      warehouse { id name }
      productVariant { id }
      quantity
      quantityAllocated
      quantityReserved
    }
  }
}"""

WAREHOUSES = """
query ($filter: WarehouseFilterInput, $sortBy: WarehouseSortingInput, $first: Int,
       $after: String) {
  warehouses(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name slug } }
  }
}"""

WAREHOUSE = """
query ($id: ID!) {
  warehouse(id: $id) {
    id name isPrivate clickAndCollectOption
    address { streetAddress1 countryArea }
    stocks(first: 10) { totalCount edges { node { quantity quantityAllocated } } }
  }
}"""

PRODUCT_STOCKS = """
query ($first: Int) {
  products(first: $first, channel: "vn") {
    edges { node { variants { stocks { warehouse { name } quantity quantityAllocated
                                       quantityReserved } } } }
  }
}"""


@pytest.fixture
def staff(api_client, catalog_manager_token):
    api_client.token = catalog_manager_token
    return api_client


@pytest.fixture
def second_warehouse(channel_vn):
    """A producer's own store serving no channel."""
    return Warehouse.objects.create(
        name="Kho HTX Phú Quốc",
        slug="kho-htx-phu-quoc",
        street_address="12 Trần Hưng Đạo",
        province=Province.objects.get(slug="ha-noi"),
    )


def assert_permission_denied(result, field):
    assert result["data"][field] is None, result
    error = result["errors"][0]
    assert error["extensions"]["code"] == "PermissionDenied"
    assert error["extensions"]["exception"]["code"] == "PermissionDenied"
    assert error["path"][0] == field


def test_staff_reads_variant_stocks_with_allocations_and_holds(
    staff, channel_vn, variant, warehouse, second_warehouse
):
    Stock.objects.create(warehouse=second_warehouse, product_variant=variant, quantity=4)
    create_order(channel_vn, [(variant, 3)])
    stock = Stock.objects.get(warehouse=warehouse, product_variant=variant)
    Reservation.objects.create(
        holder=holder_key(HolderKind.LIVESTREAM_QUOTA, 7),
        stock=stock,
        quantity_reserved=2,
        reserved_until=timezone.now() + datetime.timedelta(minutes=10),
    )
    Reservation.objects.create(
        holder=holder_key(HolderKind.LIVESTREAM_QUOTA, 8),
        stock=stock,
        quantity_reserved=5,
        reserved_until=timezone.now() - datetime.timedelta(minutes=1),
    )
    variant_id = global_id("ProductVariant", variant.pk)

    result = staff.execute(VARIANT_STOCKS, {"id": variant_id})

    assert "errors" not in result, result
    assert result["data"]["productVariant"]["stocks"] == [
        {
            "id": global_id("Stock", stock.pk),
            "warehouse": {"id": global_id("Warehouse", warehouse.pk), "name": "Showroom OCOP"},
            "productVariant": {"id": variant_id},
            "quantity": 10,
            "quantityAllocated": 3,
            "quantityReserved": 2,
        },
        {
            "id": global_id("Stock", variant.stocks.get(warehouse=second_warehouse).pk),
            "warehouse": {
                "id": global_id("Warehouse", second_warehouse.pk),
                "name": "Kho HTX Phú Quốc",
            },
            "productVariant": {"id": variant_id},
            "quantity": 4,
            "quantityAllocated": 0,
            "quantityReserved": 0,
        },
    ]
    # In a channel, only the warehouses serving it.
    in_channel = staff.execute(VARIANT_STOCKS, {"id": variant_id, "channel": "vn"})
    stocks = in_channel["data"]["productVariant"]["stocks"]
    assert [s["warehouse"]["name"] for s in stocks] == ["Showroom OCOP"]


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff without permission"])
def test_stock_fields_are_refused_without_manage_products(
    api_client, who, customer_token, staff_token, variant, warehouse
):
    api_client.token = {"customer": customer_token, "staff without permission": staff_token}.get(
        who
    )
    result = api_client.execute(
        'query ($id: ID!) { productVariant(id: $id, channel: "vn") { name stocks { quantity } } }',
        {"id": global_id("ProductVariant", variant.pk)},
    )
    assert result["data"]["productVariant"] == {"name": "Loại 1", "stocks": None}
    error = result["errors"][0]
    assert error["extensions"]["exception"]["code"] == "PermissionDenied"
    assert error["message"] == (
        "You need one of the following permissions: MANAGE_PRODUCTS, MANAGE_ORDERS"
    )

    assert_permission_denied(api_client.execute(WAREHOUSES, {"first": 10}), "warehouses")
    assert_permission_denied(
        api_client.execute(WAREHOUSE, {"id": global_id("Warehouse", warehouse.pk)}), "warehouse"
    )


def test_staff_reads_one_warehouse_with_its_stock(staff, channel_vn, variant, warehouse):
    create_order(channel_vn, [(variant, 2)])
    result = staff.execute(WAREHOUSE, {"id": global_id("Warehouse", warehouse.pk)})
    assert "errors" not in result, result
    assert result["data"]["warehouse"] == {
        "id": global_id("Warehouse", warehouse.pk),
        "name": "Showroom OCOP",
        "isPrivate": True,
        "clickAndCollectOption": "DISABLED",
        "address": {"streetAddress1": "", "countryArea": ""},
        "stocks": {
            "totalCount": 1,
            "edges": [{"node": {"quantity": 10, "quantityAllocated": 2}}],
        },
    }
    unknown = staff.execute(WAREHOUSE, {"id": global_id("Warehouse", 999_999)})
    assert unknown == {"data": {"warehouse": None}}


def test_warehouses_filter_sort_and_pages(staff, warehouse, second_warehouse, showroom):
    def names(variables):
        result = staff.execute(WAREHOUSES, {"first": 10, **variables})
        assert "errors" not in result, result
        return [edge["node"]["name"] for edge in result["data"]["warehouses"]["edges"]]

    by_name = ["Điểm giới thiệu sản phẩm OCOP Hà Nội", "Kho HTX Phú Quốc", "Showroom OCOP"]
    assert sorted(names({})) == sorted(by_name)
    assert names({"sortBy": {"field": "NAME", "direction": "ASC"}}) == sorted(by_name)
    assert names({"sortBy": {"field": "NAME", "direction": "DESC"}}) == sorted(by_name)[::-1]
    assert names({"filter": {"search": "kho htx"}}) == ["Kho HTX Phú Quốc"]
    assert names({"filter": {"search": "Hoàng Văn Thụ"}}) == [showroom.name]
    assert names({"filter": {"ids": [global_id("Warehouse", warehouse.pk)]}}) == ["Showroom OCOP"]
    assert names({"filter": {"slugs": ["kho-htx-phu-quoc"]}}) == ["Kho HTX Phú Quốc"]
    assert names({"filter": {"isPrivate": False}}) == [showroom.name]
    assert names({"filter": {"clickAndCollectOption": "LOCAL"}}) == [showroom.name]
    vn_only = names({"filter": {"channels": [global_id("Channel", showroom.channels.get().pk)]}})
    assert sorted(vn_only) == sorted([showroom.name, "Showroom OCOP"])
    bad = staff.execute(WAREHOUSES, {"first": 10, "filter": {"ids": ["not-an-id"]}})
    assert bad["data"]["warehouses"] is None and bad["errors"]

    sort = {"field": "NAME", "direction": "ASC"}
    first = staff.execute(WAREHOUSES, {"first": 2, "sortBy": sort})["data"]["warehouses"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    rest = staff.execute(
        WAREHOUSES, {"first": 2, "sortBy": sort, "after": first["pageInfo"]["endCursor"]}
    )["data"]["warehouses"]
    assert rest["pageInfo"]["hasNextPage"] is False
    paged = [edge["node"]["name"] for edge in first["edges"] + rest["edges"]]
    assert paged == sorted(by_name)


def _products_with_stock(make_product, second_warehouse, count):
    second_warehouse.channels.add(*make_product.warehouse.channels.all())
    for index in range(count):
        product = make_product(f"Sản phẩm {index}", f"san-pham-{index}", prices_vnd=(1, 2))
        for variant in product.variants.all():
            Stock.objects.create(warehouse=second_warehouse, product_variant=variant, quantity=3)


def _count(client, first):
    with CaptureQueriesContext(connection) as queries:
        result = client.execute(PRODUCT_STOCKS, {"first": first})
    assert "errors" not in result, result["errors"]
    edges = result["data"]["products"]["edges"]
    assert len(edges) == first
    assert all(len(variant["stocks"]) == 2 for e in edges for variant in e["node"]["variants"])
    return len(queries)


def test_variant_stocks_cost_a_fixed_number_of_queries(
    staff, make_product, second_warehouse, django_assert_max_num_queries
):
    _products_with_stock(make_product, second_warehouse, 20)
    small = _count(staff, 2)
    assert _count(staff, 20) == small
    with django_assert_max_num_queries(small):
        staff.execute(PRODUCT_STOCKS, {"first": 20})


def test_pick_up_option_filter_reads_saleor_values(staff, showroom):
    Warehouse.objects.filter(pk=showroom.pk).update(
        click_and_collect_option=ClickAndCollectOption.ALL_WAREHOUSES
    )
    result = staff.execute(WAREHOUSES, {"first": 5, "filter": {"clickAndCollectOption": "ALL"}})
    assert [e["node"]["slug"] for e in result["data"]["warehouses"]["edges"]] == [showroom.slug]
