"""Products as the Saleor storefront reads them: list, detail, visibility, prices, stock."""

import base64

import pytest

from backend.core.ids import global_id

pytestmark = pytest.mark.django_db

PRODUCT_LIST = """
query ProductList($first: Int = 9, $channel: String!, $languageCode: LanguageCodeEnum!) {
  products(first: $first, channel: $channel) {
    totalCount
    edges {
      node {
        id name slug
        pricing { priceRange { start { gross { amount currency } } stop { gross { amount } } } }
        category { id name }
        thumbnail(size: 512, format: WEBP) { url alt }
        translation(languageCode: $languageCode) { name }
      }
    }
  }
}
"""

PRODUCT_DETAILS = """
query ProductDetails($slug: String!, $channel: String!, $languageCode: LanguageCodeEnum!,
                     $slugLanguageCode: LanguageCodeEnum) {
  product(slug: $slug, channel: $channel, slugLanguageCode: $slugLanguageCode) {
    id name slug description seoTitle seoDescription
    translation(languageCode: $languageCode) { id language { code } name slug description }
    thumbnail(size: 1024, format: WEBP) { url alt }
    media { url(size: 1024, format: WEBP) alt type }
    category { name slug }
    productType { name slug hasVariants }
    isAvailable isAvailableForPurchase
    pricing { onSale priceRange { start { gross { amount currency } } }
              priceRangeUndiscounted { start { gross { amount } } } }
    variants {
      id name sku quantityAvailable
      pricing { price { gross { amount currency } } priceUndiscounted { gross { amount } } }
      attributes(variantSelection: VARIANT_SELECTION) {
        attribute { slug name } values { name slug }
      }
      media { alt }
    }
    defaultVariant { sku }
    attributes { attribute { slug } values { slug } }
    metadata { key value }
  }
}
"""


def _slugs(result):
    return [edge["node"]["slug"] for edge in result["data"]["products"]["edges"]]


def test_anonymous_list_shows_only_published_priced_products(api_client, catalog):
    result = api_client.execute(PRODUCT_LIST, {"channel": "vn", "languageCode": "EN"})
    assert "errors" not in result
    assert _slugs(result) == ["nuoc-mam-cat-hai", "nuoc-mam-phu-quoc", "tra-shan-tuyet"]
    assert result["data"]["products"]["totalCount"] == 3


def test_list_prices_are_in_channel_currency(api_client, catalog):
    vn = api_client.execute(PRODUCT_LIST, {"channel": "vn", "languageCode": "VI"})
    phu_quoc = next(
        e["node"]
        for e in vn["data"]["products"]["edges"]
        if e["node"]["slug"] == "nuoc-mam-phu-quoc"
    )
    price_range = phu_quoc["pricing"]["priceRange"]
    assert price_range["start"]["gross"] == {"amount": 120000.0, "currency": "VND"}
    assert price_range["stop"]["gross"] == {"amount": 210000.0}
    assert phu_quoc["translation"]["name"] == "Nước mắm Phú Quốc"

    intl = api_client.execute(PRODUCT_LIST, {"channel": "intl", "languageCode": "EN"})
    assert _slugs(intl) == ["nuoc-mam-phu-quoc"]
    node = intl["data"]["products"]["edges"][0]["node"]
    assert node["pricing"]["priceRange"]["start"]["gross"] == {"amount": 5.5, "currency": "USD"}
    assert node["translation"]["name"] == "Phu Quoc fish sauce"


def test_thumbnail_is_the_webp_thumbnail_address(api_client, catalog):
    result = api_client.execute(PRODUCT_LIST, {"channel": "vn", "languageCode": "EN"})
    node = next(
        e["node"]
        for e in result["data"]["products"]["edges"]
        if e["node"]["slug"] == "nuoc-mam-phu-quoc"
    )
    media_id = global_id("ProductMedia", catalog["media"].pk)
    assert node["thumbnail"] == {
        "url": f"http://testserver/thumbnail/{media_id}/512/webp/",
        "alt": "Chai nước mắm",
    }
    assert base64.b64decode(node["id"]).decode() == f"Product:{catalog['phu_quoc'].pk}"


def test_product_details_as_the_storefront_asks(api_client, catalog):
    variables = {"slug": "nuoc-mam-phu-quoc", "channel": "vn", "languageCode": "EN"}
    result = api_client.execute(PRODUCT_DETAILS, variables)
    assert "errors" not in result, result
    product = result["data"]["product"]
    assert product["name"] == "Nước mắm Phú Quốc"
    assert '"blocks"' in product["description"]
    assert product["translation"]["name"] == "Phu Quoc fish sauce"
    assert product["translation"]["language"] == {"code": "EN"}
    assert product["productType"] == {"name": "Đặc sản", "slug": "dac-san", "hasVariants": True}
    assert product["isAvailable"] is True
    assert product["pricing"]["onSale"] is False
    assert product["pricing"]["priceRangeUndiscounted"]["start"]["gross"]["amount"] == 120000
    image, video = product["media"]
    assert image["type"] == "IMAGE" and image["url"].endswith("/1024/webp/")
    assert video == {"url": "https://www.youtube.com/watch?v=ocop", "alt": "Video", "type": "VIDEO"}
    small, large = product["variants"]
    assert small["sku"] == "nuoc-mam-phu-quoc-0"
    assert small["pricing"]["price"]["gross"] == {"amount": 120000.0, "currency": "VND"}
    assert small["quantityAvailable"] == 10
    assert small["attributes"] == [
        {
            "attribute": {"slug": "dung-tich", "name": "Dung tích"},
            "values": [{"name": "500 ml", "slug": "500ml"}],
        }
    ]
    assert small["media"] == [{"alt": "Chai nước mắm"}]
    assert large["media"] == []
    assert product["defaultVariant"] == {"sku": "nuoc-mam-phu-quoc-0"}
    assert product["attributes"] == [
        {"attribute": {"slug": "vung-mien"}, "values": [{"slug": "mien-nam"}]}
    ]


def test_media_without_size_is_the_original_file(api_client, catalog):
    query = '{ product(slug: "nuoc-mam-phu-quoc", channel: "vn") { media { url } } }'
    urls = [m["url"] for m in api_client.execute(query)["data"]["product"]["media"]]
    assert urls[0].startswith("http://testserver/media/products/")
    assert urls[1] == "https://www.youtube.com/watch?v=ocop"


def test_product_by_translated_slug(api_client, catalog):
    variables = {
        "slug": "phu-quoc-fish-sauce",
        "channel": "vn",
        "languageCode": "EN",
        "slugLanguageCode": "EN",
    }
    result = api_client.execute(PRODUCT_DETAILS, variables)
    assert result["data"]["product"]["slug"] == "nuoc-mam-phu-quoc"


@pytest.mark.parametrize("slug", ["khong-co", "mat-ong-bac-ha", "ca-phe-cau-dat"])
def test_unknown_hidden_or_unpriced_product_is_null_for_buyers(api_client, catalog, slug):
    result = api_client.execute(
        PRODUCT_DETAILS, {"slug": slug, "channel": "vn", "languageCode": "EN"}
    )
    assert result == {"data": {"product": None}}


def test_malformed_or_foreign_id_is_null(api_client, catalog):
    query = 'query ($id: ID) { product(id: $id, channel: "vn") { slug } }'
    for bad in ["khong-phai-id", global_id("Category", catalog["phu_quoc"].pk)]:
        assert api_client.execute(query, {"id": bad}) == {"data": {"product": None}}
    good = global_id("Product", catalog["phu_quoc"].pk)
    assert api_client.execute(query, {"id": good})["data"]["product"]["slug"] == (
        "nuoc-mam-phu-quoc"
    )


def test_staff_with_manage_products_sees_unpublished(api_client, catalog, catalog_manager_token):
    result = api_client.execute(
        PRODUCT_LIST,
        {"channel": "vn", "languageCode": "EN", "first": 20},
        token=catalog_manager_token,
    )
    assert set(_slugs(result)) == {
        "nuoc-mam-cat-hai",
        "nuoc-mam-phu-quoc",
        "tra-shan-tuyet",
        "mat-ong-bac-ha",
        "ca-phe-cau-dat",
    }
    hidden = api_client.execute(
        PRODUCT_DETAILS,
        {"slug": "mat-ong-bac-ha", "channel": "vn", "languageCode": "EN"},
        token=catalog_manager_token,
    )
    assert hidden["data"]["product"]["name"] == "Mật ong bạc hà"


def test_product_missing_channel_uses_default_channel(api_client, catalog):
    result = api_client.execute("{ products(first: 10) { edges { node { slug channel } } } }")
    nodes = [edge["node"] for edge in result["data"]["products"]["edges"]]
    assert {node["channel"] for node in nodes} == {"vn"}
    assert len(nodes) == 3


def test_unknown_channel_is_an_error(api_client, catalog):
    result = api_client.execute('{ products(first: 5, channel: "mars") { edges { node { id } } } }')
    assert result["data"]["products"] is None
    assert "mars" in result["errors"][0]["message"]


def test_quantity_available_subtracts_allocations_and_is_capped(api_client, catalog):
    from backend.warehouse.models import Stock

    small = catalog["phu_quoc"].variants.order_by("sort_order").first()
    Stock.objects.filter(product_variant=small).update(quantity=500, quantity_allocated=420)
    query = """query ($sku: String) { productVariant(sku: $sku, channel: "vn") {
        quantityAvailable product { slug } } }"""
    data = api_client.execute(query, {"sku": small.sku})["data"]["productVariant"]
    assert data == {"quantityAvailable": 50, "product": {"slug": "nuoc-mam-phu-quoc"}}
    Stock.objects.filter(product_variant=small).update(quantity_allocated=480)
    data = api_client.execute(query, {"sku": small.sku})["data"]["productVariant"]
    assert data["quantityAvailable"] == 20
    sold_out = api_client.execute(query, {"sku": "nuoc-mam-cat-hai-0"})["data"]["productVariant"]
    assert sold_out["quantityAvailable"] == 0


def test_variant_without_price_in_channel_is_hidden(api_client, catalog):
    query = """query ($sku: String) { productVariant(sku: $sku, channel: "intl") { sku } }"""
    assert api_client.execute(query, {"sku": "tra-shan-tuyet-0"}) == {
        "data": {"productVariant": None}
    }
    assert api_client.execute(query, {"sku": "nuoc-mam-phu-quoc-1"})["data"]["productVariant"]
