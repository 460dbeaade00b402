"""Accent-insensitive Vietnamese product search, ranked by relevance (backend/product/search.py),
and the listing index buyers' lists, searches and facets read (backend/product/listing_index.py)."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.attribute.models import AssignedProductAttributeValue
from backend.ocop.models import (
    Certification,
    IssuerLevel,
    Producer,
    ProducerType,
    Province,
    VerificationStatus,
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
from backend.product.vocabulary import VOCABULARY_KEY, forget_local_copy
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


@pytest.fixture
def pantry(make_product, category_tree):
    food = category_tree["food"]
    products = {
        "nuoc_mam": make_product("Nước mắm Cát Hải", "nuoc-mam-cat-hai", food),
        "dau_lac": make_product("Dầu lạc Nghệ An", "dau-lac-nghe-an", food),
        "gao": make_product("Gạo ST25 Sóc Trăng", "gao-st25", food),
        "mam_ruoc": make_product("Mắm ruốc nước cốt", "mam-ruoc", food),
        "banh": make_product("Bánh đa kê", "banh-da-ke", food),
    }
    # A product whose description, not its name, mentions fish sauce.
    products["banh"].description_plaintext = "Ăn kèm nước mắm pha chua ngọt."
    products["banh"].save()
    return products


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


@pytest.fixture
def ocop_catalog(catalog, make_product, category_tree, product_type):
    """The catalog fixture's products plus two producers' products with OCOP certifications:
    4★ Nam Định (now Ninh Bình) fish sauce, 5★ Đà Nẵng tea, an uncertified Đà Nẵng honey."""
    nam_dinh = Producer.objects.create(
        name="HTX Hải Hậu",
        slug="htx-hai-hau",
        legal_type=ProducerType.COOPERATIVE,
        province=Province.objects.get(code="37"),
        verification_status=VerificationStatus.VERIFIED,
    )
    da_nang = Producer.objects.create(
        name="Công ty Duy Xuyên",
        slug="cong-ty-duy-xuyen",
        legal_type=ProducerType.ENTERPRISE,
        province=Province.objects.get(code="48"),
        verification_status=VerificationStatus.VERIFIED,
    )
    items = {
        "hai_hau": make_product(
            "Nước mắm Hải Hậu", "nm-hai-hau", category_tree["fish_sauce"], prices_vnd=(90_000,)
        ),
        "tra_xanh": make_product(
            "Trà xanh Duy Xuyên",
            "tra-xanh-duy-xuyen",
            category_tree["tea"],
            prices_vnd=(70_000, 300_000),
            region=product_type.values["north"],
        ),
        "mat_ong": make_product(
            "Mật ong rừng Duy Xuyên", "mat-ong-duy-xuyen", category_tree["food"], stock=0
        ),
    }
    for key, owner in (("hai_hau", nam_dinh), ("tra_xanh", da_nang), ("mat_ong", da_nang)):
        items[key].producer = owner
        items[key].save()
    _certify(items["hai_hau"], 4)
    _certify(items["tra_xanh"], 5)
    return {**catalog, **items, "nam_dinh": nam_dinh, "da_nang": da_nang}


def _certify(product, stars, **fields):
    today = timezone.localdate()
    values = {
        "product": product,
        "producer": product.producer,
        "stars": stars,
        "product_group": "food",
        "decision_number": f"{product.pk}-{stars}/QĐ-UBND",
        "decision_date": today - datetime.timedelta(days=30),
        "issuer_level": IssuerLevel.PROVINCE,
        "issuer_name": "UBND tỉnh",
        "valid_from": today - datetime.timedelta(days=30),
        "verification_status": VerificationStatus.VERIFIED,
        **fields,
    }
    return Certification.objects.create(**values)


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


# --- counting, ranking and typos --------------------------------------------------------------


def test_total_count_stops_at_the_limit_and_says_so(api_client, ocop_catalog, monkeypatch):
    monkeypatch.setattr(catalogue_query, "PRODUCT_LIST_COUNT_LIMIT", 2)
    page = _listed(api_client, first=1)[0]["products"]
    assert (page["totalCount"], page["totalCountExact"]) == (2, False)
    ranked = _listed(api_client, first=1, search="nuoc mam")[0]["products"]
    assert (ranked["totalCount"], ranked["totalCountExact"]) == (2, False)
    # Every page gives the same answer.
    after = ranked["pageInfo"]["endCursor"]
    next_page = _listed(api_client, first=1, search="nuoc mam", after=after)[0]["products"]
    assert (next_page["totalCount"], next_page["totalCountExact"]) == (2, False)
    under = _listed(api_client, search="tra xanh")[0]["products"]
    assert (under["totalCount"], under["totalCountExact"]) == (1, True)


def _search_walk(api_client, search, size):
    """Every page of a ranked search, paging forward: (slugs, counts, whether each page read
    the search documents, i.e. ranked every match)."""
    slugs, counts, read_documents, cursor = [], set(), [], None
    while True:
        with CaptureQueriesContext(connection) as queries:
            result = api_client.execute(
                LIST, {"search": search, "first": size, "after": cursor, "sortBy": RANK}
            )
        page = result["data"]["products"]
        slugs += _slugs_of(result["data"])
        counts.add((page["totalCount"], page["totalCountExact"]))
        read_documents.append(any("search_document" in q["sql"] for q in queries))
        if not page["pageInfo"]["hasNextPage"]:
            return slugs, counts, read_documents
        cursor = page["pageInfo"]["endCursor"]


def test_broad_search_pages_from_its_top_tier_as_the_full_ranking_would(
    api_client, make_product, monkeypatch
):
    for index in range(7):
        make_product(f"Nước mắm loại {index}", f"nuoc-mam-{index}")
        make_product(f"Mắm tôm nước {index}", f"mam-tom-{index}")
    full_ranking = _search_walk(api_client, "nuoc mam", 3)
    assert full_ranking[1] == {(14, True)}
    assert all(full_ranking[2])
    # Seven names start with "nuoc mam": with a counting limit of five, that tier alone
    # answers the pages it fills, and the rest fall back to ranking every match.
    monkeypatch.setattr(catalogue_query, "PRODUCT_LIST_COUNT_LIMIT", 5)
    slugs, counts, read_documents = _search_walk(api_client, "nuoc mam", 3)
    assert slugs == full_ranking[0]
    assert counts == {(5, False)}
    assert read_documents == [False, False, True, True, True]


def test_a_list_on_one_page_is_its_own_count(api_client, ocop_catalog):
    def page_and_counts(first):
        with CaptureQueriesContext(connection) as queries:
            result = api_client.execute(LIST, {"first": first})
        page = result["data"]["products"]
        return page, [q["sql"] for q in queries if "COUNT(" in q["sql"]]

    whole, counts = page_and_counts(50)
    assert not whole["pageInfo"]["hasNextPage"]
    assert (whole["totalCount"], whole["totalCountExact"]) == (len(whole["edges"]), True)
    assert counts == []
    part, counts = page_and_counts(2)
    assert (part["totalCount"], part["totalCountExact"]) == (len(whole["edges"]), True)
    assert len(counts) == 1


def test_shorter_names_rank_first_within_a_tier(api_client, make_product):
    make_product("Trà xanh Thái Nguyên đặc biệt loại một", "tra-dac-biet")
    make_product("Trà xanh", "tra-xanh")
    make_product("Trà xanh Thái Nguyên", "tra-thai-nguyen")
    assert _slugs(api_client, "tra xanh", sortBy=RANK) == [
        "tra-xanh",
        "tra-thai-nguyen",
        "tra-dac-biet",
    ]


def test_typos_are_a_fallback_when_nothing_matches_exactly(api_client, make_product):
    make_product("Mật ong rừng U Minh", "mat-ong-u-minh")
    assert _slugs(api_client, "mat ong rugn") == ["mat-ong-u-minh"]
    make_product("Mật ong rugn", "mat-ong-rugn")  # a typo in the product's own name
    assert _slugs(api_client, "mat ong rugn") == ["mat-ong-rugn"]


def test_a_misspelt_word_is_read_as_the_closest_catalogue_word(api_client, make_product):
    make_product("Nước mắm Cát Hải", "nuoc-mam-cat-hai")
    make_product("Nước mía Sóc Trăng", "nuoc-mia")
    make_product("Nước mía sầu riêng", "nuoc-mia-sau-rieng")
    # "mma" is one edit from both "mam" and "mia"; swapped letters are the likelier slip.
    assert _slugs(api_client, "nuoc mma") == ["nuoc-mam-cat-hai"]
    # One edit from "mia" only.
    assert sorted(_slugs(api_client, "nuoc mija")) == ["nuoc-mia", "nuoc-mia-sau-rieng"]
    # "mua" (mưa, rain) is a word, not a slip for "mia": no product is "nước mưa".
    assert _slugs(api_client, "nuoc mua") == []
    # Two edits in a long word, and a word glued to its accents by a Telex slip.
    assert _slugs(api_client, "nuoc mia sau rrieeng") == ["nuoc-mia-sau-rieng"]
    assert _slugs(api_client, "nuocw mia soc") == ["nuoc-mia"]
    # Too far from every word: nothing, rather than a guess.
    assert _slugs(api_client, "nuoc xyz") == []


def test_known_words_that_no_product_holds_together_find_nothing(api_client, make_product):
    make_product("Trà xanh Thái Nguyên", "tra-xanh")
    make_product("Miến dong Tân Cương", "mien-dong-tan-cuong")
    # Every word is in some name, so none is a typo, and no product is "trà tân cương".
    assert _slugs(api_client, "tra tan cuong") == []


def test_corrected_search_pages_and_counts_like_the_corrected_words(api_client, make_product):
    for index in range(5):
        make_product(f"Mật ong hoa nhãn {index}", f"mat-ong-{index}")
    make_product("Bánh đa kê", "banh-da-ke")
    as_meant = _search_walk(api_client, "mat ong", 2)
    assert _search_walk(api_client, "mat ogn", 2)[:2] == as_meant[:2]
    assert len(as_meant[0]) == 5


def test_words_of_a_saved_product_are_corrected_towards_at_once(api_client, make_product):
    make_product("Nước mắm Cát Hải", "nuoc-mam-cat-hai")
    assert _slugs(api_client, "nuoc mam") == ["nuoc-mam-cat-hai"]  # the vocabulary is read
    make_product("Chè Shan tuyết Suối Giàng", "che-shan-tuyet")
    assert _slugs(api_client, "che shan tuyte") == ["che-shan-tuyet"]


def test_words_written_in_bulk_are_corrected_towards_after_the_refresh(api_client, make_product):
    from backend.product.tasks import refresh_search_vocabulary_task

    make_product("Nước mắm Cát Hải", "nuoc-mam-cat-hai")
    assert _slugs(api_client, "nuoc mam") == ["nuoc-mam-cat-hai"]  # the vocabulary is read
    tea = make_product("Chè Shan tuyết", "che-shan-tuyet")
    # Written without save() (an import, a generated catalogue): the vocabulary lacks "tuyet".
    Product.objects.filter(pk=tea.pk).update(
        search_document="che shan tuyet", search_name="che shan tuyet", name="Chè Shan tuyết"
    )
    refresh_listing_index([tea.pk])
    forget_local_copy()
    cache.set(VOCABULARY_KEY, {"nuoc": 1, "mam": 1, "cat": 1, "hai": 1, "che": 1, "shan": 1})
    # A word the vocabulary lacks still matches as typed...
    assert _slugs(api_client, "shan tuyet") == ["che-shan-tuyet"]
    # ...but is no correction yet, until the scheduled rebuild reads the catalogue.
    assert _slugs(api_client, "shan tuyte") == []
    assert refresh_search_vocabulary_task.delay().get() >= 5
    assert _slugs(api_client, "shan tuyte") == ["che-shan-tuyet"]


def test_only_a_search_with_an_unknown_word_costs_a_query_more(api_client, make_product):
    make_product("Nước mắm Cát Hải", "nuoc-mam-cat-hai")
    make_product("Trà xanh", "tra-xanh")

    def queries_of(search):
        with CaptureQueriesContext(connection) as queries:
            _slugs(api_client, search)
        return len(queries)

    queries_of("nuoc mam")  # the vocabulary is read
    known_but_apart = queries_of("tra mam")
    assert queries_of("tra mma") == known_but_apart + 1  # the check that "mma" matches nothing


def test_daily_pass_shows_badges_that_start_and_repairs_stock_flags(ocop_catalog):
    from backend.product.tasks import refresh_listing_index_daily

    honey = ocop_catalog["mat_ong"]
    # A certification decided earlier that starts today: nothing was written today, so only
    # the daily pass (scheduled after midnight) can show it.
    _certify(honey, 3, valid_from=timezone.localdate())
    ProductListingIndex.objects.filter(product=honey).update(badge_stars=None, badge_until=None)
    tea = ProductListingIndex.objects.filter(product=ocop_catalog["tea"])
    tea.update(in_stock=False)  # as a race between two sell-outs could leave it
    assert refresh_listing_index_daily() >= 1
    assert ProductListingIndex.objects.get(product=honey, channel__slug="vn").badge_stars == 3
    assert all(row.in_stock for row in tea)


SEARCH_CARDS = """
query ($search: String, $first: Int) {
  products(search: $search, first: $first, channel: "vn") {
    totalCount
    edges { node {
      slug thumbnail { url } category { slug }
      pricing { priceRange { start { gross { amount } } } }
      assignedAttributes { attribute { slug } }
    } }
  }
}
"""


def test_search_page_costs_the_same_queries_whatever_its_size(
    api_client, make_product, category_tree, product_type, django_assert_max_num_queries
):
    for index in range(12):
        make_product(
            f"Nước mắm loại {index}",
            f"nuoc-mam-loai-{index}",
            category_tree["fish_sauce"],
            region=product_type.values["north"],
        )
    counts = []
    api_client.execute(SEARCH_CARDS, {"search": "nuoc mam", "first": 1})  # reads the vocabulary
    for first in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            result = api_client.execute(SEARCH_CARDS, {"search": "nuoc mam", "first": first})
        assert len(result["data"]["products"]["edges"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The channel, the ranked page with its count, the products, then categories, media,
    # listing, variant prices, type attributes, choice values and assigned values. (Inside the
    # test's transaction the channel, categories, type attributes and choice values are read
    # for each request; a server process keeps copies: tests/test_reference_data.py.)
    with django_assert_max_num_queries(10):
        api_client.execute(SEARCH_CARDS, {"search": "nuoc mam", "first": 12})


def test_large_columns_load_only_for_queries_that_read_them(
    api_client, catalog, django_assert_max_num_queries
):
    lean = '{ products(first: 10, channel: "vn") { edges { node { slug } } } }'
    with CaptureQueriesContext(connection) as queries:
        api_client.execute(lean)
    product_select = next(q["sql"] for q in queries if 'FROM "product_product"' in q["sql"])
    assert '"product_product"."description"' not in product_select
    full = """query { products(first: 10, channel: "vn") { edges { node { ...Texts } } } }
    fragment Texts on Product { description metadata { key } }"""
    with django_assert_max_num_queries(len(queries)):  # no query per product for the columns
        result = api_client.execute(full)
    descriptions = [edge["node"]["description"] for edge in result["data"]["products"]["edges"]]
    assert all("blocks" in description for description in descriptions)


def test_beat_refreshes_the_listing_index_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["product-refresh-listing-index"]
    assert entry["task"] == "backend.product.tasks.refresh_listing_index_daily"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {10})


def test_listing_index_refreshes_are_never_jit_compiled(db):
    """Each write to the catalogue refreshes the listing index from a trigger; on a large
    catalogue PostgreSQL would JIT-compile that refresh for about a second per statement."""
    if connection.vendor != "postgresql":
        pytest.skip("the listing index is maintained on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE proname IN "
            "('product_listing_index_refresh', 'product_listing_index_refresh_stock')"
        )
        settings = dict(cursor.fetchall())
    assert settings == {
        "product_listing_index_refresh": ["jit=off"],
        "product_listing_index_refresh_stock": ["jit=off"],
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        (" ".join(["nuoc mam"] * 1000), ["nuoc-mam-cat-hai"]),  # 2,000 words
        (" ".join(f"tu{index}" for index in range(2000)), []),
        ("nuoc mam " + "x" * 50_000, []),  # one huge word
    ],
    ids=["2000-words", "2000-different-words", "huge-word"],
)
def test_overlong_searches_answer_from_their_first_words(api_client, pantry, search, expected):
    assert _slugs(api_client, search)[:1] == expected
    facets = api_client.execute(FACETS, {"search": search})
    assert "errors" not in facets, facets["errors"]
