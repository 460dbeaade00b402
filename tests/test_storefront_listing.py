"""The shop's product lists (a category, a search, every product) filtered and sorted from their
address: the same catalogue query the API answers (backend/product/catalogue/), so both list the
same products for the same filter, on the listing index and on the catalogue tables alike."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backend.core.ids import global_id
from backend.ocop.models import Producer, ProducerType, Province
from backend.product.catalogue import query as catalogue_query
from backend.warehouse.models import HolderKind, Stock, holder_key
from backend.warehouse.services import hold_stock
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db

LAST_MONTH = date.today() - timedelta(days=30)


@pytest.fixture
def shop():
    return Shop()


@pytest.fixture
def catalogue(shop):
    """Six products of two producers (Hà Nội, Đà Nẵng) in two groups, with badges from none
    to 5★, prices from 60.000 ₫ to 210.000 ₫, two of them sold out."""
    food = shop.category("Thực phẩm", "thuc-pham")
    sauces = shop.category("Nước mắm", "nuoc-mam", parent=food)
    teas = shop.category("Trà", "tra", parent=food)
    crafts = shop.category("Thủ công mỹ nghệ", "thu-cong")
    da_nang = Producer.objects.create(
        name="HTX Nam Ô",
        slug="htx-nam-o",
        legal_type=ProducerType.COOPERATIVE,
        province=Province.objects.get(code="48"),
    )
    items = {
        "cua_lo": shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces, price=125_000),
        "nam_o": shop.product("Nước mắm Nam Ô", "nuoc-mam-nam-o", sauces, price=95_000),
        "shan": shop.product("Trà Shan tuyết", "tra-shan-tuyet", teas, price=210_000),
        "tra_xanh": shop.product("Trà xanh Đà Nẵng", "tra-xanh", teas, price=60_000, quantity=0),
        "mam_tom": shop.product("Mắm tôm chua", "mam-tom-chua", food, price=85_000, quantity=0),
        "non_la": shop.product("Nón lá", "non-la", crafts, price=150_000),
    }
    for key in ("nam_o", "tra_xanh", "non_la"):
        items[key].producer = da_nang
        items[key].save()
    shop.certify(items["cua_lo"], 4, LAST_MONTH)
    shop.certify(items["nam_o"], 3, LAST_MONTH)
    shop.certify(items["shan"], 5, LAST_MONTH)
    shop.certify(items["mam_tom"], 4, date(2019, 3, 1), valid_until=date(2022, 2, 28))
    shop.certify(items["non_la"], 5, LAST_MONTH)
    return items


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def facet_links(html) -> dict[str, tuple[str, int, bool]]:
    """{option label: (its link, its count, whether it is chosen)} of the filter panel."""
    found = re.findall(
        r'<li><a href="([^"]*)"( aria-current="true")?>([^<]*?) <span class="facet-count">'
        r"\((\d+)\)</span>",
        html,
    )
    return {
        label: (unescape(href), int(count), bool(current)) for href, current, label, count in found
    }


def _names(html) -> list[str]:
    return re.findall(r'<span class="card-name">(.*?)</span>', html)


def _slugs(html) -> list[str]:
    return re.findall(r'<li class="card">\s*<a href="/san-pham/([^/]+)/">', html)


def _listed(client, **params) -> set[str]:
    return set(_names(_page(client, reverse("storefront:products"), **params)))


EVERYTHING = {
    "Nước mắm Cửa Lò",
    "Nước mắm Nam Ô",
    "Trà Shan tuyết",
    "Trà xanh Đà Nẵng",
    "Mắm tôm chua",
    "Nón lá",
}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, EVERYTHING),
        ({"stars": 3}, {"Nước mắm Cửa Lò", "Nước mắm Nam Ô", "Trà Shan tuyết", "Nón lá"}),
        ({"stars": 4}, {"Nước mắm Cửa Lò", "Trà Shan tuyết", "Nón lá"}),  # not the expired 4★
        ({"stars": 5}, {"Trà Shan tuyết", "Nón lá"}),
        ({"province": "da-nang"}, {"Nước mắm Nam Ô", "Trà xanh Đà Nẵng", "Nón lá"}),
        # A former province (Quảng Nam) means the unit it joined (Đà Nẵng).
        ({"province": "quang-nam"}, {"Nước mắm Nam Ô", "Trà xanh Đà Nẵng", "Nón lá"}),
        ({"group": "tra"}, {"Trà Shan tuyết", "Trà xanh Đà Nẵng"}),
        # A top-level group holds its subgroups' products.
        (
            {"group": "thuc-pham"},
            {
                "Nước mắm Cửa Lò",
                "Nước mắm Nam Ô",
                "Trà Shan tuyết",
                "Trà xanh Đà Nẵng",
                "Mắm tôm chua",
            },
        ),
        (
            {"min_price": 90_000, "max_price": 150_000},
            {"Nước mắm Cửa Lò", "Nước mắm Nam Ô", "Nón lá"},
        ),
        ({"min_price": 200_000}, {"Trà Shan tuyết"}),
        ({"max_price": 85_000}, {"Trà xanh Đà Nẵng", "Mắm tôm chua"}),
        ({"in_stock": 1}, {"Nước mắm Cửa Lò", "Nước mắm Nam Ô", "Trà Shan tuyết", "Nón lá"}),
    ],
)
def test_each_filter_narrows_what_a_buyer_sees(client, catalogue, params, expected):
    assert _listed(client, **params) == expected


def test_filters_combine(client, catalogue):
    assert _listed(client, stars=4, province="da-nang") == {"Nón lá"}
    assert _listed(client, in_stock=1, group="nuoc-mam", max_price=100_000) == {"Nước mắm Nam Ô"}
    assert _listed(client, stars=5, group="nuoc-mam") == set()
    page = _page(client, reverse("storefront:products"), stars=5, group="nuoc-mam")
    assert "Không có sản phẩm nào khớp với bộ lọc." in page
    assert "Xoá bộ lọc" in page


def test_a_category_page_filters_within_its_category(client, catalogue):
    url = reverse("storefront:category", args=["thuc-pham"])
    assert set(_names(_page(client, url))) == EVERYTHING - {"Nón lá"}
    assert set(_names(_page(client, url, stars=5))) == {"Trà Shan tuyết"}
    assert set(_names(_page(client, url, province="da-nang", in_stock=1))) == {"Nước mắm Nam Ô"}
    # The groups and provinces on offer are the category's, counted within the other filters.
    facets = facet_links(_page(client, url, stars=5))
    assert facets["Trà"] == ("?stars=5&group=tra", 1, False)
    assert "Nước mắm" not in facets  # no 5★ fish sauce
    assert "Thủ công mỹ nghệ" not in facets
    assert "Đà Nẵng" not in facets
    assert facets["Hà Nội"][1] == 1


def test_the_search_page_filters_its_matches(client, catalogue):
    url = reverse("storefront:search")
    # Both names start with the words; the shorter one covers more of its name.
    assert _names(_page(client, url, q="nuoc mam")) == ["Nước mắm Nam Ô", "Nước mắm Cửa Lò"]
    assert _names(_page(client, url, q="nuoc mam", province="da-nang")) == ["Nước mắm Nam Ô"]
    page = _page(client, url, q="nuoc mam", stars=5)
    assert _names(page) == [] and "Không có sản phẩm nào khớp với bộ lọc." in page
    assert 'name="q" value="nuoc mam"' in page  # applying filters keeps the search


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price-asc", ["tra-xanh", "mam-tom-chua", "nuoc-mam-nam-o", "nuoc-mam-cua-lo", "non-la"]),
        ("price-desc", ["tra-shan-tuyet", "non-la", "nuoc-mam-cua-lo", "nuoc-mam-nam-o"]),
        ("newest", ["non-la", "mam-tom-chua", "tra-xanh", "tra-shan-tuyet", "nuoc-mam-nam-o"]),
        ("name", ["mam-tom-chua", "non-la", "nuoc-mam-cua-lo", "nuoc-mam-nam-o"]),
    ],
)
def test_sorts(client, catalogue, sort, expected):
    slugs = _slugs(_page(client, reverse("storefront:products"), sort=sort))
    assert slugs[: len(expected)] == expected


def test_most_stars_first(client, catalogue):
    html = _page(client, reverse("storefront:products"), sort="stars")
    badges = [int(stars) for stars in re.findall(r"OCOP (\d)★</span>", html)]
    assert badges == [5, 5, 4, 3]
    assert set(_names(html)[4:]) == {"Trà xanh Đà Nẵng", "Mắm tôm chua"}  # no badge: last


def test_a_search_is_sorted_by_relevance_unless_asked_otherwise(client, catalogue):
    url = reverse("storefront:search")
    page = _page(client, url, q="nuoc mam cua lo")
    assert _names(page) == ["Nước mắm Cửa Lò"]
    assert re.search(r'aria-current="true">Liên quan nhất<', page)
    cheapest_first = _page(client, url, q="nuoc mam", sort="price-asc")
    assert _names(cheapest_first) == ["Nước mắm Nam Ô", "Nước mắm Cửa Lò"]
    # Relevance is only offered where there is a search.
    assert "Liên quan nhất" not in _page(client, reverse("storefront:products"))


def test_links_keep_the_filters_and_the_order(client, shop, catalogue):
    food = shop.category("Đặc sản", "dac-san")
    for number in range(30):
        shop.product(f"Đặc sản {number:02d}", f"dac-san-{number:02d}", food, price=50_000)
    url = reverse("storefront:category", args=["dac-san"])
    page = _page(client, url, sort="price-desc", max_price=100_000)
    assert "30 sản phẩm" in page
    assert 'href="?sort=price-desc&amp;max_price=100000&amp;page=2"' in page
    assert 'href="?sort=newest&amp;max_price=100000"' in page  # another order, same filter
    assert 'name="sort" value="price-desc"' in page  # applying filters keeps the order
    chip = re.search(r'<li><a href="([^"]*)" title="Bỏ bộ lọc này">Đến 100.000 ₫', page)
    assert chip and chip.group(1) == "?sort=price-desc"


def test_values_the_shop_cannot_read_are_ignored(client, catalogue):
    assert _listed(client, stars=9, province="atlantis", min_price="abc", sort="x") == EVERYTHING
    assert _listed(client, group="khong-co") == set()  # no product of such a group


def test_in_stock_agrees_with_the_product_page(client, shop, catalogue):
    # Every unit of Nón lá is held for a marketplace order awaiting payment.
    variant = catalogue["non_la"].variants.get()
    hold_stock(
        holder_key(HolderKind.MARKETPLACE_ORDER, "shopee-1"),
        {variant.pk: Stock.objects.get(product_variant=variant).quantity},
        shop.channel,
        until=timezone.now() + timedelta(minutes=10),
    )
    in_stock = _listed(client, in_stock=1)
    assert in_stock == {"Nước mắm Cửa Lò", "Nước mắm Nam Ô", "Trà Shan tuyết"}
    for product in catalogue.values():
        page = _page(client, reverse("storefront:product", args=[product.slug]))
        assert ("Hết hàng" not in page) == (product.name in in_stock), product.name


def test_more_products_than_counted_say_so(client, catalogue, monkeypatch):
    monkeypatch.setattr(catalogue_query, "PRODUCT_LIST_COUNT_LIMIT", 2)
    page = _page(client, reverse("storefront:products"))
    assert "Hơn 2 sản phẩm" in page


def test_english_labels(client, catalogue):
    client.post(reverse("storefront:set_language"), {"language": "en", "next": "/"})
    page = _page(client, reverse("storefront:products"), stars=4)
    assert "Sort by" in page and "Price: low to high" in page and ">4★ and up <" in page


GRAPHQL = """
query ($filter: ProductFilterInput) {
  products(first: 100, channel: "vn", filter: $filter) { edges { node { slug } } }
}
"""


@pytest.mark.parametrize("listing_index", [True, False], ids=["listing-index", "catalogue"])
@pytest.mark.parametrize(
    ("params", "graphql_filter"),
    [
        ({"stars": 4}, {"minOcopStars": 4}),
        ({"province": "quang-nam"}, {"provinces": ["quang-nam"]}),
        ({"group": "tra"}, {"categories": ["CATEGORY:tra"]}),
        (
            {"min_price": 90_000, "max_price": 150_000},
            {"minimalPrice": {"gte": 90000, "lte": 150000}},
        ),
        ({"in_stock": 1}, {"stockAvailability": "IN_STOCK"}),
        (
            {"stars": 3, "province": "da-nang", "in_stock": 1, "max_price": 200_000},
            {
                "minOcopStars": 3,
                "provinces": ["da-nang"],
                "stockAvailability": "IN_STOCK",
                "minimalPrice": {"lte": 200000},
            },
        ),
        ({"q": "nuoc mam", "stars": 3}, {"search": "nuoc mam", "minOcopStars": 3}),
    ],
)
def test_the_shop_and_the_api_list_the_same_products(
    client, api_client, catalogue, monkeypatch, params, graphql_filter, listing_index
):
    from backend.product.models import Category

    if not listing_index:
        monkeypatch.setattr(catalogue_query, "listing_index_enabled", lambda: False)
    tea = global_id("Category", Category.objects.get(slug="tra").pk)
    graphql_filter = {
        key: [tea] if value == ["CATEGORY:tra"] else value for key, value in graphql_filter.items()
    }
    result = api_client.execute(GRAPHQL, {"filter": graphql_filter})
    api = {edge["node"]["slug"] for edge in result["data"]["products"]["edges"]}
    url = reverse("storefront:search" if "q" in params else "storefront:products")
    with CaptureQueriesContext(connection) as queries:
        shop = set(_slugs(_page(client, url, **params)))
    assert any("product_productlistingindex" in q["sql"] for q in queries) == listing_index
    assert shop == api
    assert shop  # every combination lists something


@pytest.mark.parametrize("count", [5, 40])
def test_a_filtered_sorted_list_costs_a_fixed_number_of_queries(
    client, shop, count, django_assert_max_num_queries
):
    group = shop.category("Đặc sản", "dac-san")
    for number in range(count):
        product = shop.product(
            f"Đặc sản {number:02d}", f"dac-san-{number:02d}", group, price=40_000 + number
        )
        if number % 2:
            shop.certify(product, 3 + number % 3, LAST_MONTH)
    url = reverse("storefront:category", args=["dac-san"])
    params = {"stars": 3, "province": shop.province.slug, "in_stock": 1, "sort": "price-desc"}
    # The category tree and the channel (each read once per request in a test's
    # transaction), the province and group counts, the count, the page, its images, and the
    # footer's menu (cached per language after that).
    with django_assert_max_num_queries(7):
        html = _page(client, url, min_price=40_000, **params)
    assert len(_names(html)) == min(count // 2, 24)


def test_a_search_with_no_word_lists_and_counts_nothing(client, api_client, catalogue):
    page = _page(client, reverse("storefront:search"), q="🍯🍯")
    assert _names(page) == [] and "Không có sản phẩm nào khớp" in page
    facets = api_client.execute(
        '{ productFacets(channel: "vn", search: "🍯") { provinces { slug } inStock } }'
    )
    assert facets["data"]["productFacets"] == {"provinces": [], "inStock": 0}


# --- the filter panel: every option a link with its count ---------------------------------


@pytest.mark.parametrize("listing_index", [True, False], ids=["listing-index", "catalogue"])
def test_the_producer_type_filter_and_the_counts_within_it(
    client, catalogue, monkeypatch, listing_index
):
    if not listing_index:
        monkeypatch.setattr(catalogue_query, "listing_index_enabled", lambda: False)
    Producer.objects.filter(slug="htx-nam-o").update(legal_type=ProducerType.ENTERPRISE)
    for product in (catalogue["nam_o"], catalogue["tra_xanh"], catalogue["non_la"]):
        product.save()  # the listing index reads the producer's type when a product changes
    html = _page(client, reverse("storefront:products"), producer_type="enterprise")
    assert set(_names(html)) == {"Nước mắm Nam Ô", "Trà xanh Đà Nẵng", "Nón lá"}
    facets = facet_links(html)
    # The producer types counted without their own filter; the others within it.
    assert facets["Doanh nghiệp"] == ("?", 3, True)  # chosen: its link takes it off
    assert facets["Hợp tác xã"] == ("?producer_type=cooperative", 3, False)
    assert facets["Từ 3★"][1:] == (2, False) and facets["Từ 4★"][1] == 1
    assert facets["Đà Nẵng"][1] == 3 and "Hà Nội" not in facets
    assert facets["Nước mắm"][1] == facets["Trà"][1] == facets["Thủ công mỹ nghệ"][1] == 1
    assert facets["Chỉ sản phẩm còn hàng"] == ("?producer_type=enterprise&in_stock=1", 2, False)
    assert re.search(r'<a href="\?" title="Bỏ bộ lọc này">Doanh nghiệp', html)  # its chip
    # A type the shop does not know is ignored.
    assert _listed(client, producer_type="hang-xom") == EVERYTHING


@pytest.mark.parametrize("listing_index", [True, False], ids=["listing-index", "catalogue"])
def test_each_filter_counts_within_the_others_and_links_keep_them(
    client, catalogue, monkeypatch, listing_index
):
    if not listing_index:
        monkeypatch.setattr(catalogue_query, "listing_index_enabled", lambda: False)
    html = _page(
        client,
        reverse("storefront:products"),
        province="da-nang",
        stars=4,
        sort="price-asc",
        page=2,
    )
    assert _names(html) == ["Nón lá"]
    facets = facet_links(html)
    # Provinces with 4★ and more: Hà Nội's two are offered beside the one chosen.
    assert facets["Hà Nội"] == ("?stars=4&sort=price-asc&province=ha-noi", 2, False)
    assert facets["Đà Nẵng"] == ("?stars=4&sort=price-asc", 1, True)
    # Stars in Đà Nẵng: 3★ Nam Ô and 5★ Nón lá.
    assert facets["Từ 3★"] == ("?province=da-nang&sort=price-asc&stars=3", 2, False)
    assert facets["Từ 4★"] == ("?province=da-nang&sort=price-asc", 1, True)
    assert facets["5★"][1] == 1
    assert facets["Chỉ sản phẩm còn hàng"][1] == 1
    assert facets["Hợp tác xã"][1] == 1
    assert 'aria-current="true">Đà Nẵng' in html


def test_a_former_province_in_the_address_is_chosen_as_the_unit_it_joined(client, catalogue):
    facets = facet_links(_page(client, reverse("storefront:products"), province="quang-nam"))
    assert facets["Đà Nẵng"] == ("?", 3, True)


def test_the_price_range_stays_a_small_form_keeping_the_other_filters(client, catalogue):
    html = _page(client, reverse("storefront:search"), q="nuoc mam", stars=3, page=2)
    form = re.search(r'<form class="facet price-form".*?</form>', html, re.S).group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert hidden == {"q": "nuoc mam", "stars": "3"}
    assert 'name="min_price"' in form and 'name="max_price"' in form


@pytest.mark.parametrize("count", [5, 40])
def test_every_filter_chosen_still_costs_a_fixed_number_of_queries(
    client, shop, count, django_assert_max_num_queries
):
    group = shop.category("Đặc sản", "dac-san")
    for number in range(count):
        product = shop.product(f"Đặc sản {number:02d}", f"dac-san-{number:02d}", group)
        shop.certify(product, 3 + number % 3, LAST_MONTH)
    params = {
        "stars": 4,
        "province": shop.province.slug,
        "group": "dac-san",
        "producer_type": "cooperative",
        "in_stock": 1,
        "min_price": 1_000,
        "sort": "newest",
    }
    # The category tree and the channel, every facet (one query), the count, the page, its
    # images; the footer's menu when its cache is cold.
    with django_assert_max_num_queries(7):
        html = _page(client, reverse("storefront:products"), **params)
    four_stars_and_up = sum(1 for number in range(count) if number % 3)
    assert facet_links(html)["Hợp tác xã"] == (
        f"?stars=4&province={shop.province.slug}&group=dac-san&in_stock=1&min_price=1000"
        "&sort=newest",
        four_stars_and_up,
        True,
    )
    assert len(_names(html)) == min(four_stars_and_up, 24)
