"""Accent-insensitive Vietnamese product search, ranked by relevance (backend/product/search.py)."""

import pytest
from django.db import connection

from backend.product.models import Product
from backend.product.search import search_products

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


def test_sqlite_fallback_matches_words_and_ranks_without_trigrams(pantry):
    products = search_products(Product.objects.all(), "NUOC  mắm", trigram=False)
    ranked = [p.slug for p in products.order_by("-search_rank", "slug")]
    assert ranked == ["nuoc-mam-cat-hai", "mam-ruoc", "banh-da-ke"]
    assert "TrigramWordSimilarity" not in str(products.query)
    assert "WORD_SIMILARITY" not in str(products.query).upper()
    assert not search_products(Product.objects.all(), "nuoc mma", trigram=False).exists()


def test_trigram_indexes_exist_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'product_product'"
        )
        indexes = dict(cursor.fetchall())
    for name, column in (
        ("product_product_search_document_trgm", "search_document"),
        ("product_product_search_name_trgm", "search_name"),
    ):
        assert "gin" in indexes[name] and f"{column} gin_trgm_ops" in indexes[name]


def test_storefront_search_is_ranked(pantry):
    from storefront.catalog import search

    assert [p.slug for p in search(Product.objects.all(), "nuoc mam")] == [
        "nuoc-mam-cat-hai",
        "mam-ruoc",
        "banh-da-ke",
    ]
