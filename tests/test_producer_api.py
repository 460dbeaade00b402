"""A producer's members change their own catalogue through the GraphQL API, Saleor-shaped: the
same mutations as the office's staff, limited to their producer. Another producer's product,
variant, media or warehouse answers NOT_FOUND exactly as an unknown ID does, and nothing
changes; people who belong to no producer are refused as before."""

import pytest

from backend.account.jwt import create_access_token
from backend.core.ids import global_id
from backend.ocop.models import Producer, ProducerMembership, ProducerRole, VerificationStatus
from backend.product.models import (
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductMediaType,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.warehouse.models import Stock, Warehouse
from tests.fixtures.producers import add_member

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
PRODUCT_CREATE = f"""
mutation ($input: ProductCreateInput!) {{
  productCreate(input: $input) {{ product {{ id slug producer {{ id }} }} {ERRORS} }}
}}"""
PRODUCT_UPDATE = f"""
mutation ($id: ID, $input: ProductInput!) {{
  productUpdate(id: $id, input: $input) {{ product {{ id name }} {ERRORS} }}
}}"""
PRODUCT_DELETE = f"""
mutation ($id: ID) {{ productDelete(id: $id) {{ product {{ id }} {ERRORS} }} }}"""
VARIANT_CREATE = f"""
mutation ($input: ProductVariantCreateInput!) {{
  productVariantCreate(input: $input) {{ productVariant {{ id sku }} {ERRORS} }}
}}"""
VARIANT_UPDATE = f"""
mutation ($id: ID, $sku: String, $input: ProductVariantInput!) {{
  productVariantUpdate(id: $id, sku: $sku, input: $input) {{
    productVariant {{ id name }} {ERRORS}
  }}
}}"""
VARIANT_DELETE = f"""
mutation ($id: ID, $sku: String) {{
  productVariantDelete(id: $id, sku: $sku) {{ productVariant {{ id sku }} {ERRORS} }}
}}"""
STOCKS_UPDATE = f"""
mutation ($id: ID, $stocks: [StockInput!]!) {{
  productVariantStocksUpdate(variantId: $id, stocks: $stocks) {{
    productVariant {{ id }} {ERRORS}
  }}
}}"""
LISTING_UPDATE = f"""
mutation ($id: ID!, $input: ProductChannelListingUpdateInput!) {{
  productChannelListingUpdate(id: $id, input: $input) {{ product {{ id }} {ERRORS} }}
}}"""
VARIANT_LISTING_UPDATE = f"""
mutation ($id: ID, $input: [ProductVariantChannelListingAddInput!]!) {{
  productVariantChannelListingUpdate(id: $id, input: $input) {{ variant {{ id }} {ERRORS} }}
}}"""
MEDIA_CREATE = f"""
mutation ($input: ProductMediaCreateInput!) {{
  productMediaCreate(input: $input) {{ media {{ id }} {ERRORS} }}
}}"""
MEDIA_DELETE = f"""
mutation ($id: ID!) {{
  productMediaDelete(id: $id) {{ media {{ id }} product {{ id }} {ERRORS} }}
}}"""
MEDIA_REORDER = f"""
mutation ($productId: ID!, $mediaIds: [ID!]!) {{
  productMediaReorder(productId: $productId, mediaIds: $mediaIds) {{
    media {{ id }} product {{ id }} {ERRORS}
  }}
}}"""
PUBLIC_PRODUCTS = """
query { products(first: 20, channel: "vn") {
  edges { node { slug pricing { priceRange { start { gross { amount } } } } } }
} }"""

UNKNOWN_PK = 987654321


def gid(instance) -> str:
    name = "Warehouse" if isinstance(instance, Warehouse) else type(instance).__name__
    return global_id(name, instance.pk)


def client_for(api_client, user):
    api_client.token = create_access_token(user)
    return api_client


def payload(result, name):
    assert "errors" not in result, result
    return result["data"][name]


def video(product, sort_order=0, url="https://youtu.be/abc"):
    return ProductMedia.objects.create(
        product=product, type=ProductMediaType.VIDEO, external_url=url, sort_order=sort_order
    )


# --- A member builds and publishes a product -----------------------------------------------


def test_member_creates_prices_stocks_and_publishes_a_product(
    api_client, producer_a, producer_catalogue, channel_vn
):
    product_type, category = producer_catalogue
    member = client_for(api_client, producer_a.owner)
    created = payload(
        member.execute(
            PRODUCT_CREATE,
            {
                "input": {
                    "name": "Trà móc câu",
                    "productType": gid(product_type),
                    "category": gid(category),
                }
            },
        ),
        "productCreate",
    )
    assert created["errors"] == []
    # With one producer, the product is theirs without naming it.
    assert created["product"]["producer"]["id"] == gid(producer_a.producer)
    product_id = created["product"]["id"]
    variant_ids = []
    for sku, quantity in (("tra-moc-cau-100", 30), ("tra-moc-cau-500", 8)):
        result = member.execute(
            VARIANT_CREATE,
            {
                "input": {
                    "product": product_id,
                    "sku": sku,
                    "stocks": [{"warehouse": gid(producer_a.warehouse), "quantity": quantity}],
                }
            },
        )
        variant = payload(result, "productVariantCreate")
        assert variant["errors"] == []
        variant_ids.append(variant["productVariant"]["id"])
    channel_id = gid(channel_vn)
    listing = member.execute(
        LISTING_UPDATE,
        {
            "id": product_id,
            "input": {
                "updateChannels": [
                    {
                        "channelId": channel_id,
                        "isPublished": True,
                        "visibleInListings": True,
                        "isAvailableForPurchase": True,
                        "addVariants": variant_ids,
                    }
                ]
            },
        },
    )
    assert payload(listing, "productChannelListingUpdate")["errors"] == []
    for variant_id, price in zip(variant_ids, ("65000", "290000"), strict=True):
        priced = member.execute(
            VARIANT_LISTING_UPDATE,
            {"id": variant_id, "input": [{"channelId": channel_id, "price": price}]},
        )
        assert payload(priced, "productVariantChannelListingUpdate")["errors"] == []

    product = Product.objects.get(slug=created["product"]["slug"])
    assert product.producer == producer_a.producer
    assert sorted(
        Stock.objects.filter(product_variant__product=product).values_list(
            "product_variant__sku", "warehouse_id", "quantity"
        )
    ) == [
        ("tra-moc-cau-100", producer_a.warehouse.pk, 30),
        ("tra-moc-cau-500", producer_a.warehouse.pk, 8),
    ]
    api_client.token = None
    public = api_client.execute(PUBLIC_PRODUCTS)
    shown = {edge["node"]["slug"]: edge["node"] for edge in public["data"]["products"]["edges"]}
    assert product.slug in shown
    assert shown[product.slug]["pricing"]["priceRange"]["start"]["gross"]["amount"] == 65000


def test_member_of_an_unverified_producer_cannot_publish(api_client, producer_a, channel_vn):
    producer_a.producer.verification_status = VerificationStatus.PENDING
    producer_a.producer.save()
    draft = Product.objects.create(
        product_type=producer_a.product.product_type,
        category=producer_a.product.category,
        producer=producer_a.producer,
        name="Trà nõn tôm",
        slug="tra-non-tom",
    )
    member = client_for(api_client, producer_a.owner)
    result = member.execute(
        LISTING_UPDATE,
        {
            "id": gid(draft),
            "input": {"updateChannels": [{"channelId": gid(channel_vn), "isPublished": True}]},
        },
    )
    errors = payload(result, "productChannelListingUpdate")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("isPublished", "INVALID")]
    assert "xác minh" in errors[0]["message"]
    assert not ProductChannelListing.objects.filter(product=draft).exists()


def test_member_of_two_producers_names_one_of_theirs(
    api_client, producer_a, producer_b, producer_catalogue
):
    product_type, _category = producer_catalogue
    user = producer_a.owner
    second = Producer.objects.create(
        name="HTX Chè Shan tuyết",
        slug="che-shan-tuyet",
        legal_type="cooperative",
        province=producer_a.producer.province,
    )
    ProducerMembership.objects.create(producer=second, user=user, role=ProducerRole.STAFF)
    member = client_for(api_client, user)
    base = {"name": "Chè búp", "productType": gid(product_type)}

    unnamed = payload(member.execute(PRODUCT_CREATE, {"input": base}), "productCreate")
    assert [(e["field"], e["code"]) for e in unnamed["errors"]] == [("producer", "REQUIRED")]

    others = payload(
        member.execute(PRODUCT_CREATE, {"input": {**base, "producer": gid(producer_b.producer)}}),
        "productCreate",
    )
    assert [(e["field"], e["code"]) for e in others["errors"]] == [("producer", "NOT_FOUND")]
    assert not Product.objects.filter(name="Chè búp").exists()

    named = payload(
        member.execute(PRODUCT_CREATE, {"input": {**base, "producer": gid(second)}}),
        "productCreate",
    )
    assert named["errors"] == []
    assert Product.objects.get(name="Chè búp").producer == second


def test_member_deletes_a_variant_and_orders_and_deletes_media(api_client, producer_a):
    product = producer_a.product
    second = ProductVariant.objects.create(product=product, sku="tra-2", name="Hộp 1 kg")
    first_media, second_media = video(product, 0), video(product, 1, "https://youtu.be/def")
    member = client_for(api_client, producer_a.owner)

    default = producer_a.variant
    deleted = payload(member.execute(VARIANT_DELETE, {"sku": default.sku}), "productVariantDelete")
    assert deleted == {"productVariant": {"id": gid(default), "sku": default.sku}, "errors": []}
    assert list(product.variants.values_list("pk", "is_default")) == [(second.pk, True)]

    reordered = payload(
        member.execute(
            MEDIA_REORDER,
            {"productId": gid(product), "mediaIds": [gid(second_media), gid(first_media)]},
        ),
        "productMediaReorder",
    )
    assert reordered["errors"] == []
    assert [m["id"] for m in reordered["media"]] == [gid(second_media), gid(first_media)]
    assert list(product.media.order_by("sort_order").values_list("pk", flat=True)) == [
        second_media.pk,
        first_media.pk,
    ]

    removed = payload(member.execute(MEDIA_DELETE, {"id": gid(first_media)}), "productMediaDelete")
    assert removed == {
        "media": {"id": gid(first_media)},
        "product": {"id": gid(product)},
        "errors": [],
    }
    assert list(product.media.values_list("pk", flat=True)) == [second_media.pk]


def test_member_keeps_stock_only_in_their_own_warehouses(api_client, producer_a, warehouse):
    member = client_for(api_client, producer_a.owner)
    variant_id = gid(producer_a.variant)
    own = member.execute(
        STOCKS_UPDATE,
        {"id": variant_id, "stocks": [{"warehouse": gid(producer_a.warehouse), "quantity": 7}]},
    )
    assert payload(own, "productVariantStocksUpdate")["errors"] == []
    assert Stock.objects.get(product_variant=producer_a.variant).quantity == 7

    showroom = member.execute(
        STOCKS_UPDATE, {"id": variant_id, "stocks": [{"warehouse": gid(warehouse), "quantity": 3}]}
    )
    errors = payload(showroom, "productVariantStocksUpdate")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("warehouse", "NOT_FOUND")]
    assert not Stock.objects.filter(warehouse=warehouse).exists()


# --- Another producer's data: NOT_FOUND, as an unknown ID ------------------------------------


def foreign_cases(a, b, channel):
    """(mutation, payload name, variables naming a's data, the same naming an unknown object).
    The member acting belongs to producer b."""
    media = video(a.product)
    unknown_product = global_id("Product", UNKNOWN_PK)
    unknown_variant = global_id("ProductVariant", UNKNOWN_PK)
    unknown_media = global_id("ProductMedia", UNKNOWN_PK)
    unknown_warehouse = global_id("Warehouse", UNKNOWN_PK)
    unknown_producer = global_id("Producer", UNKNOWN_PK)
    price = [{"channelId": gid(channel), "price": "1000"}]
    publish = {"updateChannels": [{"channelId": gid(channel), "isPublished": False}]}

    def stocks(warehouse_id):
        return [{"warehouse": warehouse_id, "quantity": 99}]

    def pair(mutation, name, build, known, unknown):
        return (mutation, name, build(known), build(unknown))

    return [
        pair(
            PRODUCT_UPDATE,
            "productUpdate",
            lambda i: {"id": i, "input": {"name": "Bị đổi"}},
            gid(a.product),
            unknown_product,
        ),
        pair(
            PRODUCT_UPDATE,
            "productUpdate",
            lambda i: {"id": gid(b.product), "input": {"producer": i}},
            gid(a.producer),
            unknown_producer,
        ),
        pair(
            PRODUCT_CREATE,
            "productCreate",
            lambda i: {
                "input": {
                    "name": "Lạ",
                    "productType": gid(a.product.product_type),
                    "producer": i,
                }
            },
            gid(a.producer),
            unknown_producer,
        ),
        pair(PRODUCT_DELETE, "productDelete", lambda i: {"id": i}, gid(a.product), unknown_product),
        pair(
            VARIANT_CREATE,
            "productVariantCreate",
            lambda i: {"input": {"product": i, "sku": "la-1"}},
            gid(a.product),
            unknown_product,
        ),
        pair(
            VARIANT_UPDATE,
            "productVariantUpdate",
            lambda i: {"id": i, "input": {"name": "Bị đổi"}},
            gid(a.variant),
            unknown_variant,
        ),
        pair(
            VARIANT_UPDATE,
            "productVariantUpdate",
            lambda sku: {"sku": sku, "input": {"name": "Bị đổi"}},
            a.variant.sku,
            "khong-co-sku",
        ),
        pair(
            VARIANT_DELETE,
            "productVariantDelete",
            lambda i: {"id": i},
            gid(a.variant),
            unknown_variant,
        ),
        pair(
            STOCKS_UPDATE,
            "productVariantStocksUpdate",
            lambda i: {"id": i, "stocks": stocks(gid(b.warehouse))},
            gid(a.variant),
            unknown_variant,
        ),
        pair(
            STOCKS_UPDATE,
            "productVariantStocksUpdate",
            lambda i: {"id": gid(b.variant), "stocks": stocks(i)},
            gid(a.warehouse),
            unknown_warehouse,
        ),
        pair(
            VARIANT_CREATE,
            "productVariantCreate",
            lambda i: {"input": {"product": gid(b.product), "sku": "la-2", "stocks": stocks(i)}},
            gid(a.warehouse),
            unknown_warehouse,
        ),
        pair(
            LISTING_UPDATE,
            "productChannelListingUpdate",
            lambda i: {"id": i, "input": publish},
            gid(a.product),
            unknown_product,
        ),
        pair(
            LISTING_UPDATE,
            "productChannelListingUpdate",
            lambda i: {
                "id": gid(b.product),
                "input": {"updateChannels": [{"channelId": gid(channel), "addVariants": [i]}]},
            },
            gid(a.variant),
            unknown_variant,
        ),
        pair(
            VARIANT_LISTING_UPDATE,
            "productVariantChannelListingUpdate",
            lambda i: {"id": i, "input": price},
            gid(a.variant),
            unknown_variant,
        ),
        pair(
            MEDIA_CREATE,
            "productMediaCreate",
            lambda i: {"input": {"product": i, "mediaUrl": "https://youtu.be/xyz"}},
            gid(a.product),
            unknown_product,
        ),
        pair(MEDIA_DELETE, "productMediaDelete", lambda i: {"id": i}, gid(media), unknown_media),
        pair(
            MEDIA_REORDER,
            "productMediaReorder",
            lambda i: {"productId": i, "mediaIds": [gid(media)]},
            gid(a.product),
            unknown_product,
        ),
    ]


def catalogue_state():
    """Everything a catalogue mutation could change."""
    return {
        "products": list(Product.objects.order_by("pk").values()),
        "variants": list(ProductVariant.objects.order_by("pk").values()),
        "listings": list(ProductChannelListing.objects.order_by("pk").values()),
        "prices": list(ProductVariantChannelListing.objects.order_by("pk").values()),
        "stocks": list(Stock.objects.order_by("pk").values()),
        "media": list(ProductMedia.objects.order_by("pk").values()),
    }


def test_another_producers_data_answers_not_found_like_an_unknown_id(
    api_client, producer_a, producer_b, channel_vn
):
    cases = foreign_cases(producer_a, producer_b, channel_vn)
    before = catalogue_state()
    member = client_for(api_client, producer_b.owner)
    for mutation, name, foreign, unknown in cases:
        answer = payload(member.execute(mutation, foreign), name)
        expected = payload(member.execute(mutation, unknown), name)
        errors = answer["errors"]
        assert len(errors) == 1 and errors[0]["code"] == "NOT_FOUND", (name, foreign, answer)
        # The very answer an unknown ID gets, apart from the ID the message repeats.
        for variables_value, unknown_value in zip(
            _strings(foreign), _strings(unknown), strict=True
        ):
            errors = [
                {**e, "message": e["message"].replace(variables_value, unknown_value)}
                for e in errors
            ]
        assert errors == expected["errors"], (name, foreign)
        assert {k: v for k, v in answer.items() if k != "errors"} == {
            k: None for k in answer if k != "errors"
        }
    assert catalogue_state() == before


def _strings(value):
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


# --- Who may call the catalogue mutations ----------------------------------------------------


def test_a_customer_without_a_producer_is_refused(
    api_client, customer_token, producer_a, producer_b, channel_vn
):
    cases = foreign_cases(producer_a, producer_b, channel_vn)
    before = catalogue_state()
    api_client.token = customer_token
    for mutation, name, foreign, _unknown in cases:
        result = api_client.execute(mutation, foreign)
        assert result["data"][name] is None, name
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert catalogue_state() == before


def test_a_member_no_longer_active_is_refused(api_client, producer_a):
    member = add_member(producer_a.producer, "cu@tra-tan-cuong.vn")
    token = create_access_token(member)
    member.is_active = False
    member.save()
    result = api_client.execute(
        PRODUCT_UPDATE, {"id": gid(producer_a.product), "input": {"name": "X"}}, token=token
    )
    assert result["data"]["productUpdate"] is None
    assert Product.objects.get(pk=producer_a.product.pk).name == producer_a.product.name


def test_staff_with_manage_products_act_for_every_producer(
    api_client, catalog_manager_token, producer_a, producer_b, channel_vn
):
    api_client.token = catalog_manager_token
    updated = api_client.execute(
        PRODUCT_UPDATE, {"id": gid(producer_a.product), "input": {"name": "Trà đặc sản"}}
    )
    assert payload(updated, "productUpdate")["errors"] == []
    moved = api_client.execute(
        PRODUCT_UPDATE,
        {"id": gid(producer_a.product), "input": {"producer": gid(producer_b.producer)}},
    )
    assert payload(moved, "productUpdate")["errors"] == []
    assert Product.objects.get(pk=producer_a.product.pk).producer == producer_b.producer
    stocked = api_client.execute(
        STOCKS_UPDATE,
        {
            "id": gid(producer_b.variant),
            "stocks": [{"warehouse": gid(producer_a.warehouse), "quantity": 4}],
        },
    )
    assert payload(stocked, "productVariantStocksUpdate")["errors"] == []
    media = video(producer_b.product)
    removed = api_client.execute(MEDIA_DELETE, {"id": gid(media)})
    assert payload(removed, "productMediaDelete")["errors"] == []
    deleted = api_client.execute(VARIANT_DELETE, {"id": gid(producer_b.variant)})
    assert payload(deleted, "productVariantDelete")["errors"] == []
    assert not ProductVariant.objects.filter(pk=producer_b.variant.pk).exists()
