"""Staff catalog mutations: success, validation errors that change nothing, and permissions."""

import json

import pytest
from django.test import Client

from backend.core.ids import global_id
from backend.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.warehouse.models import Stock

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"

PRODUCT_CREATE = f"""
mutation ($input: ProductCreateInput!) {{
  productCreate(input: $input) {{ product {{ id name slug }} {ERRORS} }}
}}"""
PRODUCT_UPDATE = f"""
mutation ($id: ID, $ref: String, $input: ProductInput!) {{
  productUpdate(id: $id, externalReference: $ref, input: $input) {{
    product {{ id name }} {ERRORS}
  }}
}}"""
PRODUCT_DELETE = f"""
mutation ($id: ID) {{ productDelete(id: $id) {{ product {{ id }} {ERRORS} }} }}"""
VARIANT_CREATE = f"""
mutation ($input: ProductVariantCreateInput!) {{
  productVariantCreate(input: $input) {{ productVariant {{ id sku }} {ERRORS} }}
}}"""
VARIANT_UPDATE = f"""
mutation ($sku: String, $input: ProductVariantInput!) {{
  productVariantUpdate(sku: $sku, input: $input) {{ productVariant {{ id sku name }} {ERRORS} }}
}}"""
LISTING_UPDATE = f"""
mutation ($id: ID!, $input: ProductChannelListingUpdateInput!) {{
  productChannelListingUpdate(id: $id, input: $input) {{ product {{ id }} {ERRORS} }}
}}"""
VARIANT_LISTING_UPDATE = f"""
mutation ($id: ID, $input: [ProductVariantChannelListingAddInput!]!) {{
  productVariantChannelListingUpdate(id: $id, input: $input) {{ variant {{ id }} {ERRORS} }}
}}"""
STOCKS_UPDATE = """
mutation ($id: ID, $stocks: [StockInput!]!) {
  productVariantStocksUpdate(variantId: $id, stocks: $stocks) {
    productVariant { id } errors { field code message index }
  }
}"""
MEDIA_CREATE = f"""
mutation ($input: ProductMediaCreateInput!) {{
  productMediaCreate(input: $input) {{ media {{ id }} product {{ id }} {ERRORS} }}
}}"""
CATEGORY_CREATE = f"""
mutation ($input: CategoryInput!, $parent: ID) {{
  categoryCreate(input: $input, parent: $parent) {{ category {{ id name slug }} {ERRORS} }}
}}"""


@pytest.fixture
def staff(api_client, catalog_manager_token):
    api_client.token = catalog_manager_token
    return api_client


def run(client, query, variables, name):
    result = client.execute(query, variables)
    assert "errors" not in result, result
    return result["data"][name]


def error_of(payload):
    assert len(payload["errors"]) == 1, payload
    error = payload["errors"][0]
    return error["field"], error["code"]


def listed(product, channel):
    return {
        "id": global_id("Product", product.pk),
        "input": {
            "updateChannels": [{"channelId": global_id("Channel", channel.pk), "isPublished": True}]
        },
    }


# --- Permissions ----------------------------------------------------------------------------


def permission_cases(product, variant, channel, warehouse, product_type):
    product_id = global_id("Product", product.pk)
    variant_id = global_id("ProductVariant", variant.pk)
    return [
        (
            PRODUCT_CREATE,
            {"input": {"name": "X", "productType": global_id("ProductType", product_type.pk)}},
        ),
        (PRODUCT_UPDATE, {"id": product_id, "input": {"name": "Đổi tên"}}),
        (PRODUCT_DELETE, {"id": product_id}),
        (VARIANT_CREATE, {"input": {"product": product_id, "sku": "NEW"}}),
        (VARIANT_UPDATE, {"sku": variant.sku, "input": {"name": "Đổi"}}),
        (LISTING_UPDATE, listed(product, channel)),
        (
            VARIANT_LISTING_UPDATE,
            {
                "id": variant_id,
                "input": [{"channelId": global_id("Channel", channel.pk), "price": "1000"}],
            },
        ),
        (
            STOCKS_UPDATE,
            {
                "id": variant_id,
                "stocks": [{"warehouse": global_id("Warehouse", warehouse.pk), "quantity": 5}],
            },
        ),
        (MEDIA_CREATE, {"input": {"product": product_id, "mediaUrl": "https://youtu.be/abc"}}),
        (CATEGORY_CREATE, {"input": {"name": "Đồ uống"}}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_every_mutation_needs_manage_products(
    who,
    api_client,
    customer_token,
    staff_product,
    staff_variant,
    channel_vn,
    staff_warehouse,
    staff_product_type,
):
    if who == "customer":
        api_client.token = customer_token
    cases = permission_cases(
        staff_product, staff_variant, channel_vn, staff_warehouse, staff_product_type
    )
    for query, variables in cases:
        result = api_client.execute(query, variables)
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
        assert "MANAGE_PRODUCTS" in result["errors"][0]["message"]
        assert list(result["data"].values()) == [None]
    assert Product.objects.get().name == "Mật ong rừng U Minh"
    assert ProductVariant.objects.get().name == "Chai 500 ml"
    assert Category.objects.count() == 1
    assert not ProductChannelListing.objects.exists()
    assert not Stock.objects.exists()
    assert not ProductMedia.objects.exists()


# --- Products -------------------------------------------------------------------------------


def test_product_create_makes_ascii_slug_and_plaintext(staff, staff_product_type, staff_category):
    description = {
        "blocks": [{"type": "paragraph", "data": {"text": "Mật ong <b>nguyên chất</b>"}}]
    }
    payload = run(
        staff,
        PRODUCT_CREATE,
        {
            "input": {
                "name": "Nước mắm Phú Quốc",
                "productType": global_id("ProductType", staff_product_type.pk),
                "category": global_id("Category", staff_category.pk),
                "description": json.dumps(description),
                "weight": 0.75,
                "seo": {"title": "Nước mắm ngon"},
            }
        },
        "productCreate",
    )
    assert payload["errors"] == []
    assert payload["product"]["slug"] == "nuoc-mam-phu-quoc"
    product = Product.objects.get(slug="nuoc-mam-phu-quoc")
    assert payload["product"]["id"] == global_id("Product", product.pk)
    assert product.category == staff_category
    assert product.description_plaintext == "Mật ong nguyên chất"
    assert product.weight_grams == 750
    assert product.seo_title == "Nước mắm ngon"


def test_product_create_second_same_name_gets_suffixed_slug(staff, staff_product_type):
    variables = {
        "input": {
            "name": "Trà Shan tuyết",
            "productType": global_id("ProductType", staff_product_type.pk),
        }
    }
    first = run(staff, PRODUCT_CREATE, variables, "productCreate")["product"]["slug"]
    second = run(staff, PRODUCT_CREATE, variables, "productCreate")["product"]["slug"]
    assert (first, second) == ("tra-shan-tuyet", "tra-shan-tuyet-2")


def test_product_create_errors_change_nothing(staff, staff_product, staff_product_type):
    type_id = global_id("ProductType", staff_product_type.pk)
    cases = [
        (
            {"name": "A", "productType": global_id("ProductType", 999999)},
            ("productType", "NOT_FOUND"),
        ),
        ({"name": "A", "productType": "not-an-id"}, ("productType", "GRAPHQL_ERROR")),
        (
            {"name": "A", "productType": type_id, "category": global_id("Category", 999999)},
            ("category", "NOT_FOUND"),
        ),
        ({"name": "A", "productType": type_id, "slug": staff_product.slug}, ("slug", "UNIQUE")),
        ({"name": "", "productType": type_id}, ("name", "REQUIRED")),
    ]
    for input, expected in cases:
        payload = run(staff, PRODUCT_CREATE, {"input": input}, "productCreate")
        assert payload["product"] is None
        assert error_of(payload) == expected
    assert Product.objects.count() == 1


def test_product_update_by_id_and_external_reference(staff, staff_product):
    product_id = global_id("Product", staff_product.pk)
    payload = run(
        staff,
        PRODUCT_UPDATE,
        {"id": product_id, "input": {"name": "Mật ong bạc hà", "externalReference": "ERP-1"}},
        "productUpdate",
    )
    assert payload == {"product": {"id": product_id, "name": "Mật ong bạc hà"}, "errors": []}
    payload = run(
        staff,
        PRODUCT_UPDATE,
        {"ref": "ERP-1", "input": {"name": "Mật ong hoa cà phê"}},
        "productUpdate",
    )
    assert payload["product"]["id"] == product_id
    staff_product.refresh_from_db()
    assert staff_product.name == "Mật ong hoa cà phê"
    assert staff_product.slug == "staff-mat-ong-rung"


def test_product_update_errors(staff, staff_product, channel_vn):
    cases = [
        ({"id": global_id("Product", 999999), "input": {"name": "X"}}, ("id", "NOT_FOUND")),
        ({"input": {"name": "X"}}, ("id", "GRAPHQL_ERROR")),
        ({"ref": "nope", "input": {"name": "X"}}, ("externalReference", "NOT_FOUND")),
    ]
    for variables, expected in cases:
        assert error_of(run(staff, PRODUCT_UPDATE, variables, "productUpdate")) == expected
    run(
        staff,
        LISTING_UPDATE,
        listed(staff_product, channel_vn),
        "productChannelListingUpdate",
    )
    payload = run(
        staff,
        PRODUCT_UPDATE,
        {"id": global_id("Product", staff_product.pk), "input": {"category": None, "name": "Mới"}},
        "productUpdate",
    )
    assert error_of(payload) == ("category", "PRODUCT_WITHOUT_CATEGORY")
    staff_product.refresh_from_db()
    assert (staff_product.name, staff_product.category_id) != ("Mới", None)
    assert staff_product.category_id is not None


def test_product_delete_returns_id_and_removes_everything(staff, staff_product, staff_variant):
    product_id = global_id("Product", staff_product.pk)
    payload = run(staff, PRODUCT_DELETE, {"id": product_id}, "productDelete")
    assert payload == {"product": {"id": product_id}, "errors": []}
    assert not Product.objects.exists() and not ProductVariant.objects.exists()
    payload = run(staff, PRODUCT_DELETE, {"id": product_id}, "productDelete")
    assert error_of(payload) == ("id", "NOT_FOUND")


# --- Variants and stocks --------------------------------------------------------------------


def test_variant_create_with_stocks(staff, staff_product, staff_warehouse):
    payload = run(
        staff,
        VARIANT_CREATE,
        {
            "input": {
                "product": global_id("Product", staff_product.pk),
                "sku": "MO-1000",
                "name": "Chai 1 lít",
                "trackInventory": True,
                "quantityLimitPerCustomer": 3,
                "stocks": [
                    {"warehouse": global_id("Warehouse", staff_warehouse.pk), "quantity": 40}
                ],
            }
        },
        "productVariantCreate",
    )
    assert payload["errors"] == [] and payload["productVariant"]["sku"] == "MO-1000"
    variant = ProductVariant.objects.get(sku="MO-1000")
    assert variant.product == staff_product and variant.quantity_limit_per_customer == 3
    assert variant.stocks.get().quantity == 40


def test_variant_create_errors_change_nothing(staff, staff_product, staff_variant, staff_warehouse):
    product_id = global_id("Product", staff_product.pk)
    warehouse_id = global_id("Warehouse", staff_warehouse.pk)
    cases = [
        ({"product": product_id, "sku": staff_variant.sku}, ("sku", "UNIQUE")),
        ({"product": global_id("Product", 999999), "sku": "X"}, ("product", "NOT_FOUND")),
        (
            {
                "product": product_id,
                "sku": "X",
                "stocks": [{"warehouse": warehouse_id, "quantity": -1}],
            },
            ("quantity", "INVALID"),
        ),
        (
            {
                "product": product_id,
                "sku": "X",
                "stocks": [{"warehouse": global_id("Warehouse", 999999), "quantity": 1}],
            },
            ("warehouse", "NOT_FOUND"),
        ),
        (
            {
                "product": product_id,
                "sku": "X",
                "stocks": [{"warehouse": warehouse_id, "quantity": 1}] * 2,
            },
            ("warehouse", "DUPLICATED_INPUT_ITEM"),
        ),
    ]
    for input, expected in cases:
        payload = run(staff, VARIANT_CREATE, {"input": input}, "productVariantCreate")
        assert payload["productVariant"] is None
        assert error_of(payload) == expected
    assert list(ProductVariant.objects.values_list("sku", flat=True)) == ["MO-500"]
    assert not Stock.objects.exists()


def test_variant_update_by_sku(staff, staff_product, staff_variant):
    ProductVariant.objects.create(product=staff_product, sku="MO-250")
    payload = run(
        staff,
        VARIANT_UPDATE,
        {"sku": "MO-500", "input": {"name": "Chai nửa lít", "sku": "MO-0500"}},
        "productVariantUpdate",
    )
    assert payload["productVariant"] == {
        "id": global_id("ProductVariant", staff_variant.pk),
        "sku": "MO-0500",
        "name": "Chai nửa lít",
    }
    payload = run(
        staff,
        VARIANT_UPDATE,
        {"sku": "MO-0500", "input": {"sku": "MO-250"}},
        "productVariantUpdate",
    )
    assert error_of(payload) == ("sku", "UNIQUE")
    payload = run(
        staff, VARIANT_UPDATE, {"sku": "MO-404", "input": {"name": "X"}}, "productVariantUpdate"
    )
    assert error_of(payload) == ("sku", "NOT_FOUND")
    staff_variant.refresh_from_db()
    assert staff_variant.sku == "MO-0500"


def test_stocks_update_sets_absolute_quantities(staff, staff_variant, staff_warehouse):
    variables = {
        "id": global_id("ProductVariant", staff_variant.pk),
        "stocks": [{"warehouse": global_id("Warehouse", staff_warehouse.pk), "quantity": 12}],
    }
    assert run(staff, STOCKS_UPDATE, variables, "productVariantStocksUpdate")["errors"] == []
    variables["stocks"][0]["quantity"] = 7
    assert run(staff, STOCKS_UPDATE, variables, "productVariantStocksUpdate")["errors"] == []
    assert Stock.objects.get().quantity == 7


def test_stocks_update_refuses_negative_and_below_allocated(staff, staff_variant, staff_warehouse):
    Stock.objects.create(
        product_variant=staff_variant, warehouse=staff_warehouse, quantity=10, quantity_allocated=4
    )
    variant_id = global_id("ProductVariant", staff_variant.pk)
    warehouse_id = global_id("Warehouse", staff_warehouse.pk)
    for quantity in (-1, 3):
        payload = run(
            staff,
            STOCKS_UPDATE,
            {"id": variant_id, "stocks": [{"warehouse": warehouse_id, "quantity": quantity}]},
            "productVariantStocksUpdate",
        )
        assert payload["productVariant"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("quantity", "INVALID")]
    assert payload["errors"][0]["index"] == 0
    assert Stock.objects.get().quantity == 10


# --- Channel listings and prices ------------------------------------------------------------


def test_channel_listing_publishes_and_adds_variants(
    staff, staff_product, staff_variant, channel_vn
):
    variables = listed(staff_product, channel_vn)
    variables["input"]["updateChannels"][0].update(
        {
            "isAvailableForPurchase": True,
            "visibleInListings": False,
            "addVariants": [global_id("ProductVariant", staff_variant.pk)],
        }
    )
    assert run(staff, LISTING_UPDATE, variables, "productChannelListingUpdate")["errors"] == []
    listing = ProductChannelListing.objects.get()
    assert listing.is_published and listing.published_at is not None
    assert listing.available_for_purchase_at is not None and not listing.visible_in_listings
    assert listing.currency == "VND"
    assert ProductVariantChannelListing.objects.get().channel == channel_vn

    variables = {
        "id": global_id("Product", staff_product.pk),
        "input": {"removeChannels": [global_id("Channel", channel_vn.pk)]},
    }
    assert run(staff, LISTING_UPDATE, variables, "productChannelListingUpdate")["errors"] == []
    assert not ProductChannelListing.objects.exists()
    assert not ProductVariantChannelListing.objects.exists()


def test_channel_listing_errors(staff, staff_product, channel_vn):
    channel_id = global_id("Channel", channel_vn.pk)
    product_id = global_id("Product", staff_product.pk)
    cases = [
        (
            {"updateChannels": [{"channelId": global_id("Channel", 999999)}]},
            ("channelId", "NOT_FOUND"),
        ),
        (
            {"updateChannels": [{"channelId": channel_id}], "removeChannels": [channel_id]},
            ("input", "DUPLICATED_INPUT_ITEM"),
        ),
    ]
    for input, expected in cases:
        payload = run(
            staff, LISTING_UPDATE, {"id": product_id, "input": input}, "productChannelListingUpdate"
        )
        assert error_of(payload) == expected
    Product.objects.filter(pk=staff_product.pk).update(category=None)
    payload = run(
        staff,
        LISTING_UPDATE,
        listed(staff_product, channel_vn),
        "productChannelListingUpdate",
    )
    assert error_of(payload) == ("isPublished", "PRODUCT_WITHOUT_CATEGORY")
    assert not ProductChannelListing.objects.exists()


def test_variant_prices_stored_in_minor_units_and_cheapest_price_kept(
    staff, staff_product, staff_variant, channel_vn, channel_intl
):
    for channel in (channel_vn, channel_intl):
        run(staff, LISTING_UPDATE, listed(staff_product, channel), "productChannelListingUpdate")
    second = ProductVariant.objects.create(product=staff_product, sku="MO-1000")
    prices = [
        (staff_variant, [("125000", channel_vn), ("12.5", channel_intl)]),
        (second, [("99000", channel_vn)]),
    ]
    for variant, entries in prices:
        payload = run(
            staff,
            VARIANT_LISTING_UPDATE,
            {
                "id": global_id("ProductVariant", variant.pk),
                "input": [
                    {
                        "channelId": global_id("Channel", channel.pk),
                        "price": price,
                        "costPrice": price,
                    }
                    for price, channel in entries
                ],
            },
            "productVariantChannelListingUpdate",
        )
        assert payload["errors"] == [] and payload["variant"]["id"] == global_id(
            "ProductVariant", variant.pk
        )
    vnd = ProductVariantChannelListing.objects.get(variant=staff_variant, channel=channel_vn)
    usd = ProductVariantChannelListing.objects.get(variant=staff_variant, channel=channel_intl)
    assert (vnd.price_amount, vnd.currency, usd.price_amount, usd.currency) == (
        125000,
        "VND",
        1250,
        "USD",
    )
    assert ProductChannelListing.objects.get(channel=channel_vn).discounted_price_amount == 99000
    assert ProductChannelListing.objects.get(channel=channel_intl).discounted_price_amount == 1250


def test_variant_price_errors_change_nothing(
    staff, staff_product, staff_variant, channel_vn, channel_intl
):
    run(
        staff,
        LISTING_UPDATE,
        listed(staff_product, channel_vn),
        "productChannelListingUpdate",
    )
    variant_id = global_id("ProductVariant", staff_variant.pk)
    vnd = global_id("Channel", channel_vn.pk)
    cases = [
        ([{"channelId": vnd, "price": "125000.5"}], ("price", "INVALID_PRICE")),
        (
            [
                {"channelId": vnd, "price": "1000"},
                {"channelId": global_id("Channel", channel_intl.pk), "price": "1"},
            ],
            ("channelId", "PRODUCT_NOT_ASSIGNED_TO_CHANNEL"),
        ),
        (
            [{"channelId": vnd, "price": "1000"}, {"channelId": vnd, "price": "2000"}],
            ("channelId", "DUPLICATED_INPUT_ITEM"),
        ),
        ([{"channelId": vnd, "price": "1000", "costPrice": "0.1"}], ("costPrice", "INVALID_PRICE")),
    ]
    for input, expected in cases:
        payload = run(
            staff,
            VARIANT_LISTING_UPDATE,
            {"id": variant_id, "input": input},
            "productVariantChannelListingUpdate",
        )
        assert payload["variant"] is None
        assert error_of(payload) == expected
    assert not ProductVariantChannelListing.objects.exists()
    negative = staff.execute(
        VARIANT_LISTING_UPDATE, {"id": variant_id, "input": [{"channelId": vnd, "price": "-5"}]}
    )
    assert negative["errors"] and not ProductVariantChannelListing.objects.exists()


# --- Categories -----------------------------------------------------------------------------


def test_category_create_under_parent(staff, staff_category):
    payload = run(
        staff,
        CATEGORY_CREATE,
        {
            "input": {"name": "Mật ong", "seo": {"description": "Mật ong OCOP"}},
            "parent": global_id("Category", staff_category.pk),
        },
        "categoryCreate",
    )
    assert payload["errors"] == [] and payload["category"]["slug"] == "mat-ong"
    category = Category.objects.get(slug="mat-ong")
    assert category.parent == staff_category and category.level == 1
    assert category.seo_description == "Mật ong OCOP"


def test_category_create_errors(staff, staff_category):
    cases = [
        (
            {"input": {"name": "Mật ong"}, "parent": global_id("Category", 999999)},
            ("parent", "NOT_FOUND"),
        ),
        ({"input": {"name": "Khác", "slug": staff_category.slug}}, ("slug", "UNIQUE")),
        ({"input": {"slug": "khong-ten"}}, ("name", "REQUIRED")),
    ]
    for variables, expected in cases:
        payload = run(staff, CATEGORY_CREATE, variables, "categoryCreate")
        assert payload["category"] is None and error_of(payload) == expected
    assert Category.objects.count() == 1


@pytest.mark.parametrize(
    "accept_language, message",
    [("en", "A category name is required."), ("vi", "Tên danh mục là bắt buộc.")],
)
def test_staff_errors_follow_the_requests_language(
    catalog_manager_token, staff_category, accept_language, message
):
    """A dashboard asking in English is answered in English, a Vietnamese one in Vietnamese."""
    response = Client().post(
        "/graphql/",
        {"query": CATEGORY_CREATE, "variables": {"input": {"slug": "khong-ten"}}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {catalog_manager_token}",
        HTTP_ACCEPT_LANGUAGE=accept_language,
    )
    [error] = response.json()["data"]["categoryCreate"]["errors"]
    assert (error["field"], error["message"]) == ("name", message)
    assert Category.objects.count() == 1
