"""Search and buyers' lists beyond matching: counts that stop at the limit, broad searches paged
from their top tier, typos corrected towards catalogue words, the daily pass, and the queries a
search costs."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.product.catalogue import query as catalogue_query
from backend.product.listing_index import refresh_listing_index
from backend.product.models import (
    Product,
    ProductListingIndex,
)
from backend.product.vocabulary import VOCABULARY_KEY, forget_local_copy
from tests.fixtures.search import certify
from tests.test_search import FACETS, LIST, RANK, _listed, _slugs, _slugs_of

pytestmark = pytest.mark.django_db


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
    certify(honey, 3, valid_from=timezone.localdate())
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
