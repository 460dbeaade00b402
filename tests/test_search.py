"""Accent-insensitive Vietnamese product search, ranked by relevance (backend/product/search.py),
and the listing index buyers' lists, searches and facets read (backend/product/listing_index.py)."""

import datetime
import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.attribute.models import AssignedProductAttributeValue
from backend.ocop.models import (
    Certification,
    Province,
)
from backend.product.catalogue import query as catalogue_query
from backend.product.listing_index import refresh_listing_index
from backend.product.models import (
    Product,
    ProductChannelListing,
    ProductListingIndex,
    ProductVariantChannelListing,
)
from backend.product.pricing import update_discounted_prices
from backend.product.search import search_products
from backend.warehouse.models import Stock

pytestmark = pytest.mark.django_db

SEARCH = """
query ($search: String, $first: Int, $after: String, $sortBy: ProductOrder) {
  products(search: $search, first: $first, after: $after, channel: "vn", sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug } }
  }
}
"""
RANK = {"field": "RANK", "direction": "DESC"}


def _slugs(api_client, search, **variables):
    result = api_client.execute(SEARCH, {"search": search, "first": 20, **variables})
    assert "errors" not in result, result["errors"]
    return [edge["node"]["slug"] for edge in result["data"]["products"]["edges"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nuoc mam", "nuoc-mam-cat-hai"),
        ("Nước Mắm", "nuoc-mam-cat-hai"),
        ("dau lac", "dau-lac-nghe-an"),
        ("ĐẦU LẠC", "dau-lac-nghe-an"),
        ("  gao   st25 ", "gao-st25"),
        ("gạo", "gao-st25"),
    ],
)
def test_search_ignores_accents_case_and_spaces(api_client, pantry, query, expected):
    assert _slugs(api_client, query)[0] == expected


def test_d_and_dj_are_the_same_letter(api_client, pantry):
    assert _slugs(api_client, "banh da") == ["banh-da-ke"]
    assert _slugs(api_client, "bánh đa") == ["banh-da-ke"]


def test_name_match_ranks_above_description_match_and_exact_phrase_first(api_client, pantry):
    ranked = _slugs(api_client, "nuoc mam", sortBy=RANK)
    # Exact phrase in the name, then both words in the name, then the description only.
    assert ranked == ["nuoc-mam-cat-hai", "mam-ruoc", "banh-da-ke"]
    # Without sortBy a search is ordered by rank too.
    assert _slugs(api_client, "nuoc mam") == ranked


def test_unrelated_query_finds_nothing(api_client, pantry):
    assert _slugs(api_client, "ca phe") == []


def test_typo_in_name_still_found_on_postgresql(api_client, pantry):
    assert _slugs(api_client, "nuoc mma")[0] == "nuoc-mam-cat-hai"


def test_rank_pagination_is_stable_without_gaps_or_duplicates(api_client, make_product):
    for index in range(7):
        make_product(f"Nước mắm loại {index}", f"nuoc-mam-{index}")
        make_product(f"Mắm tôm nước {index}", f"mam-tom-{index}")
    expected = _slugs(api_client, "nuoc mam", sortBy=RANK)
    assert len(expected) == 14
    seen, cursor = [], None
    while True:
        result = api_client.execute(
            SEARCH, {"search": "nuoc mam", "first": 3, "after": cursor, "sortBy": RANK}
        )
        page = result["data"]["products"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
    assert seen == expected
    assert result["data"]["products"]["totalCount"] == 14
    # Names starting with the phrase come before names merely holding both words.
    assert {slug[:9] for slug in expected[:7]} == {"nuoc-mam-"}


def test_search_sql_is_plain_word_matching_on_any_database(pantry):
    products = search_products(Product.objects.all(), "NUOC  mắm")
    ranked = [p.slug for p in products.order_by("-search_rank", "slug")]
    assert ranked == ["nuoc-mam-cat-hai", "mam-ruoc", "banh-da-ke"]
    sql = str(products.query).upper()
    assert "SIMILARITY" not in sql and "%>" not in sql  # nothing PostgreSQL-only
    corrected = search_products(Product.objects.all(), "nuoc mma")
    assert corrected.order_by("-search_rank", "slug")[0].slug == "nuoc-mam-cat-hai"


def test_only_the_search_documents_carry_trigram_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE tablename IN ('product_product', 'product_productlistingindex') "
            "AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        indexes = {(table, name): definition for table, name, definition in cursor.fetchall()}
    # Searches match documents; names (ranked from the matched rows) need no trigram index.
    assert set(indexes) == {
        ("product_product", "product_product_search_document_trgm"),
        ("product_productlistingindex", "listing_index_search_document_trgm"),
    }
    assert all("search_document gin_trgm_ops" in d for d in indexes.values())


def test_storefront_search_is_ranked(client, pantry):
    page = client.get("/tim-kiem/", {"q": "nuoc mam"}).content.decode()
    names = ["Nước mắm Cát Hải", "Mắm ruốc nước cốt", "Bánh đa kê"]
    assert "Không có sản phẩm nào khớp đúng" not in page  # read as typed
    positions = [page.index(f'<span class="card-name">{name}</span>') for name in names]
    assert positions == sorted(positions)


# --- the listing index buyers' lists read (backend/product/listing_index.py) ------------------

LIST = """
query ($filter: ProductFilterInput, $where: ProductWhereInput, $search: String,
       $sortBy: ProductOrder, $first: Int, $after: String) {
  products(first: $first, after: $after, channel: "vn", filter: $filter, where: $where,
           search: $search, sortBy: $sortBy) {
    totalCount totalCountExact
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      slug
      pricing { priceRange { start { gross { amount currency } } stop { gross { amount } } } }
    } }
  }
}
"""
FACETS = """
query ($filter: ProductFilterInput, $search: String) {
  productFacets(channel: "vn", filter: $filter, search: $search) {
    provinces { slug name count } stars { stars count } categories { slug name count }
    producerTypes { type count } inStock
    priceRange { min { amount currency } max { amount currency } }
  }
}
"""


def _listed(api_client, query=LIST, **variables):
    with CaptureQueriesContext(connection) as queries:
        result = api_client.execute(query, {"first": 50, **variables})
    assert "errors" not in result, result["errors"]
    used_index = any("product_productlistingindex" in q["sql"] for q in queries)
    return result["data"], used_index


def _slugs_of(data) -> list[str]:
    return [edge["node"]["slug"] for edge in data["products"]["edges"]]


def _global_id(type_name, pk):
    from backend.core.ids import global_id

    return global_id(type_name, pk)


LIST_VARIABLES = [
    {},
    {"filter": {"categories": ["CATEGORY:food"]}},
    {"where": {"category": {"eq": "CATEGORY:fish_sauce"}}},
    {"filter": {"attributes": [{"slug": "vung-mien", "values": ["mien-bac"]}]}},
    {"where": {"attributes": [{"slug": "dung-tich", "values": ["1l"]}]}},
    {"filter": {"provinces": ["Nam Định"]}},
    {"filter": {"ocopStars": [4, 5]}},
    {"filter": {"minOcopStars": 5}},
    {"filter": {"ocopCertified": False}},
    {"filter": {"producerTypes": ["enterprise"]}},
    {"filter": {"minimalPrice": {"gte": 80000, "lte": 120000}}},
    {"where": {"minimalPrice": {"range": {"gte": 100000}}}},
    {"filter": {"stockAvailability": "OUT_OF_STOCK"}},
    {"filter": {"stockAvailability": "IN_STOCK", "search": "nuoc mam"}},
    {"search": "nuoc mam", "sortBy": {"field": "RANK", "direction": "DESC"}},
    # Misspelt: answered as "nuoc mam" on both paths.
    {"filter": {"search": "nuoc mma"}},
    {"search": "nuoc mma", "sortBy": {"field": "RANK", "direction": "DESC"}},
    {"search": "tra", "sortBy": {"field": "PRICE", "direction": "DESC"}},
    {"sortBy": {"field": "NAME", "direction": "DESC"}},
    {"sortBy": {"field": "CREATED_AT", "direction": "ASC"}},
    {"where": {"name": {"oneOf": ["Trà Shan tuyết", "Nước mắm Cát Hải"]}}},
    {"filter": {"isPublished": False}},
    # Fields the index has no column for keep their catalogue condition.
    {"filter": {"price": {"gte": 200000}}},
    {"where": {"OR": [{"slug": {"eq": "tra-shan-tuyet"}}, {"minimalPrice": {"eq": 90000}}]}},
]


def _resolved(variables, ocop_catalog):
    """`variables` with CATEGORY:<key> placeholders turned into category IDs."""
    text = json.dumps(variables)
    for key, category in (("food", "food"), ("fish_sauce", "fish_sauce")):
        text = text.replace(f"CATEGORY:{key}", _global_id("Category", _CATEGORIES[category].pk))
    return json.loads(text)


_CATEGORIES = {}


@pytest.mark.parametrize("variables", LIST_VARIABLES)
def test_listing_index_lists_what_the_catalogue_query_lists(
    api_client, ocop_catalog, category_tree, monkeypatch, variables
):
    _CATEGORIES.update(category_tree)
    variables = _resolved(variables, ocop_catalog)
    indexed, used_index = _listed(api_client, **variables)
    assert used_index or not _slugs_of(indexed)  # an impossible filter needs no query
    monkeypatch.setattr(catalogue_query, "listing_index_enabled", lambda: False)
    catalogue, used_index = _listed(api_client, **variables)
    assert not used_index
    assert indexed == catalogue


def test_listing_index_is_used_for_buyers_only(api_client, ocop_catalog, catalog_manager_token):
    api_client.token = catalog_manager_token
    data, used_index = _listed(api_client)
    assert not used_index
    assert "mat-ong-bac-ha" in _slugs_of(data)  # staff also see unpublished products


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"filter": {"categories": ["CATEGORY:food"]}},
        {"search": "duy xuyen"},
        {"search": "duy xuyne"},
    ],
)
def test_facets_from_the_index_match_the_catalogue_query(
    api_client, ocop_catalog, category_tree, monkeypatch, variables
):
    _CATEGORIES.update(category_tree)
    variables = _resolved(variables, ocop_catalog)
    indexed, used_index = _listed(api_client, FACETS, **variables)
    assert used_index
    monkeypatch.setattr(catalogue_query, "listing_index_enabled", lambda: False)
    catalogue, used_index = _listed(api_client, FACETS, **variables)
    assert not used_index
    assert indexed == catalogue


def test_facets_cost_one_query_on_the_index(
    api_client, ocop_catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the channel, then every facet in one pass
        facets = api_client.execute(FACETS)["data"]["productFacets"]
    assert facets["stars"] == [{"stars": 5, "count": 1}, {"stars": 4, "count": 1}]
    assert facets["inStock"] == 4  # of 6 listed: Cát Hải and the honey are sold out
    assert facets["priceRange"]["max"] == {"amount": 300_000.0, "currency": "VND"}


def test_facets_of_a_misspelt_search_are_those_of_its_correction(api_client, ocop_catalog):
    as_meant = api_client.execute(FACETS, {"search": "nuoc mam"})["data"]["productFacets"]
    assert sum(row["count"] for row in as_meant["categories"]) >= 2
    misspelt = api_client.execute(FACETS, {"search": "nuoc mma"})["data"]["productFacets"]
    assert misspelt == as_meant


def test_renamed_product_is_found_by_its_new_name_at_once(api_client, ocop_catalog):
    product = ocop_catalog["cat_hai"]
    product.name, product.slug = "Mắm tôm Hạ Long", "mam-tom-ha-long"
    product.description_plaintext = "Mắm tôm đặc sản Quảng Ninh."
    product.save()
    found, _ = _listed(api_client, search="mam tom ha long")
    assert _slugs_of(found) == ["mam-tom-ha-long"]
    gone, _ = _listed(api_client, search="cat hai")
    assert _slugs_of(gone) == []


def test_unpublished_and_scheduled_products_leave_the_lists(api_client, ocop_catalog):
    listing = ProductChannelListing.objects.get(product=ocop_catalog["tea"], channel__slug="vn")
    listing.is_published = False
    listing.save()
    assert "tra-shan-tuyet" not in _slugs_of(_listed(api_client)[0])
    listing.is_published = True
    listing.published_at = timezone.now() + datetime.timedelta(hours=1)
    listing.save()
    assert "tra-shan-tuyet" not in _slugs_of(_listed(api_client)[0])
    ProductChannelListing.objects.filter(pk=listing.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "tra-shan-tuyet" in _slugs_of(_listed(api_client)[0])


def test_price_changes_reach_filters_and_facets(api_client, ocop_catalog):
    variant = ocop_catalog["tea"].variants.get()
    ProductVariantChannelListing.objects.filter(variant=variant, channel__slug="vn").update(
        price_amount=450_000
    )
    update_discounted_prices([ocop_catalog["tea"].pk])
    expensive, _ = _listed(api_client, filter={"minimalPrice": {"gte": 400000}})
    assert _slugs_of(expensive) == ["tra-shan-tuyet"]
    price_range = expensive["products"]["edges"][0]["node"]["pricing"]["priceRange"]
    assert price_range["start"]["gross"] == {"amount": 450_000.0, "currency": "VND"}
    facets = api_client.execute(FACETS)["data"]["productFacets"]
    assert facets["priceRange"]["max"]["amount"] == 450_000.0


def test_selling_out_and_restocking_change_stock_filter_and_facet(api_client, ocop_catalog):
    before = api_client.execute(FACETS)["data"]["productFacets"]["inStock"]
    stocks = Stock.objects.filter(product_variant__product=ocop_catalog["tea"])
    stocks.update(quantity_allocated=F("quantity"))  # how the stock service allocates
    out, _ = _listed(api_client, filter={"stockAvailability": "OUT_OF_STOCK"})
    assert "tra-shan-tuyet" in _slugs_of(out)
    assert api_client.execute(FACETS)["data"]["productFacets"]["inStock"] == before - 1
    stocks.update(quantity_allocated=0)
    assert api_client.execute(FACETS)["data"]["productFacets"]["inStock"] == before


def test_revoked_and_expired_badges_leave_star_filters_and_facets(
    api_client, ocop_catalog, monkeypatch
):
    from backend.ocop.services import revoke_certification

    revoke_certification(
        Certification.objects.get(product=ocop_catalog["hai_hau"]), None, "Vi phạm"
    )
    facets = api_client.execute(FACETS)["data"]["productFacets"]
    assert facets["stars"] == [{"stars": 5, "count": 1}]
    # A badge whose last day has passed is gone without any write: the date is compared on read.
    Certification.objects.filter(product=ocop_catalog["tra_xanh"]).update(
        valid_until=timezone.localdate()
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(catalogue_query, "today", lambda: tomorrow)
    assert api_client.execute(FACETS)["data"]["productFacets"]["stars"] == []
    certified, _ = _listed(api_client, filter={"ocopCertified": True})
    assert _slugs_of(certified) == []


def test_producer_province_and_attribute_changes_reach_the_lists(
    api_client, ocop_catalog, product_type
):
    producer = ocop_catalog["nam_dinh"]
    producer.province = Province.objects.get(code="01")
    producer.save()
    in_ha_noi, _ = _listed(api_client, filter={"provinces": ["ha-noi"]})
    assert _slugs_of(in_ha_noi) == ["nm-hai-hau"]
    south = {"attributes": [{"slug": "vung-mien", "values": ["mien-nam"]}]}
    assert "nm-hai-hau" not in _slugs_of(_listed(api_client, filter=south)[0])
    AssignedProductAttributeValue.objects.create(
        product=ocop_catalog["hai_hau"], value=product_type.values["south"]
    )
    assert "nm-hai-hau" in _slugs_of(_listed(api_client, filter=south)[0])


def test_repair_rebuilds_rows_from_the_catalogue(ocop_catalog):
    tea = ocop_catalog["tea"]
    ProductListingIndex.objects.filter(product=tea).delete()
    refresh_listing_index([tea.pk])
    rows = ProductListingIndex.objects.filter(product=tea)
    assert {row.channel.slug for row in rows} == {"vn"}
    assert rows.get().search_name == "tra shan tuyet"
