"""The OCOP catalogue API: provinces (current and former), producers, the star badge on products,
OCOP product filters and facet counts."""

import datetime

import pytest
from django.utils import timezone

from backend.ocop.models import (
    Certification,
    CertificationStatus,
    IssuerLevel,
    Producer,
    ProducerType,
    Province,
    VerificationStatus,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def certify(
    product,
    stars,
    *,
    valid_from=None,
    status=CertificationStatus.VALID,
    verification=VerificationStatus.VERIFIED,
    decision="3981/QĐ-UBND",
):
    return Certification.objects.create(
        product=product,
        producer=product.producer,
        stars=stars,
        product_group="food",
        decision_number=decision,
        decision_date=valid_from or TODAY - datetime.timedelta(days=30),
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh Nam Định",
        certificate_number="GCN-01",
        valid_from=valid_from or TODAY - datetime.timedelta(days=30),
        status=status,
        verification_status=verification,
    )


def producer(name, slug, legal_type, province_code, verified=True):
    return Producer.objects.create(
        name=name,
        slug=slug,
        legal_type=legal_type,
        province=Province.objects.get(code=province_code),
        address="Xã Hải Đông, Huyện Hải Hậu, Tỉnh Nam Định",
        story="Ba đời làm nước mắm.",
        verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
    )


@pytest.fixture
def ocop(make_product, category_tree):
    """Ninh Bình (ex-Nam Định) cooperative: a 4★ fish sauce and a tea whose certificate ran out;
    Đà Nẵng enterprise: a 5★ (and 3★) fish sauce and a revoked 4★ tea; an unverified Hà Nội
    household with a 3★ whose certification nobody verified."""
    hai_hau = producer("HTX Nước mắm Hải Hậu", "htx-hai-hau", ProducerType.COOPERATIVE, "37")
    duy_xuyen = producer("Công ty Duy Xuyên", "cong-ty-duy-xuyen", ProducerType.ENTERPRISE, "48")
    ha_noi = producer("Hộ Bà Lan", "ho-ba-lan", ProducerType.HOUSEHOLD_BUSINESS, "01", False)
    fish, tea = category_tree["fish_sauce"], category_tree["tea"]
    items = {
        "four": make_product("Nước mắm Hải Hậu", "nm-hai-hau", fish, prices_vnd=(90_000,)),
        "expired": make_product("Trà Hải Hậu", "tra-hai-hau", tea, prices_vnd=(50_000,), stock=0),
        "five": make_product("Nước mắm Duy Xuyên", "nm-duy-xuyen", fish, prices_vnd=(300_000,)),
        "revoked": make_product("Trà Duy Xuyên", "tra-duy-xuyen", tea, prices_vnd=(70_000,)),
        "pending": make_product("Trà Bà Lan", "tra-ba-lan", tea, prices_vnd=(40_000,)),
    }
    owners = {
        "four": hai_hau,
        "expired": hai_hau,
        "five": duy_xuyen,
        "revoked": duy_xuyen,
        "pending": ha_noi,
    }
    for key, product in items.items():
        product.producer = owners[key]
        product.save()
    certify(items["four"], 4)
    certify(items["expired"], 5, valid_from=TODAY - datetime.timedelta(days=3 * 366))
    certify(items["five"], 5)
    certify(items["five"], 3, decision="12/QĐ-UBND")
    certify(items["revoked"], 4, status=CertificationStatus.REVOKED)
    certify(items["pending"], 3, verification=VerificationStatus.PENDING)
    return {**items, "hai_hau": hai_hau, "duy_xuyen": duy_xuyen, "ha_noi": ha_noi}


def _data(result):
    assert "errors" not in result, result["errors"]
    return result["data"]


def _slugs(api_client, filter_input, argument="filter"):
    input_type = "ProductFilterInput" if argument == "filter" else "ProductWhereInput"
    query = (
        f'query ($f: {input_type}) {{ products(first: 50, channel: "vn", {argument}: $f) '
        "{ edges { node { slug } } } }"
    )
    edges = _data(api_client.execute(query, {"f": filter_input}))["products"]["edges"]
    return sorted(edge["node"]["slug"] for edge in edges)


# --- provinces --------------------------------------------------------------------------------


def test_provinces_lists_the_34_current_units_and_optionally_the_former_ones(api_client):
    query = """query ($legacy: Boolean) { provinces(includeLegacy: $legacy) {
        code name slug isLegacy legacyNames current { slug } } }"""
    current = _data(api_client.execute(query))["provinces"]
    assert len(current) == 34
    ninh_binh = next(p for p in current if p["code"] == "37")
    assert ninh_binh["slug"] == "ninh-binh"
    assert sorted(ninh_binh["legacyNames"]) == ["Hà Nam", "Nam Định", "Ninh Bình"]
    everything = _data(api_client.execute(query, {"legacy": True}))["provinces"]
    assert len(everything) == 34 + 63
    nam_dinh = next(p for p in everything if p["isLegacy"] and p["name"] == "Nam Định")
    assert nam_dinh["current"]["slug"] == "ninh-binh"


@pytest.mark.parametrize("slug", ["ninh-binh", "nam-dinh", "Nam Định", "Tỉnh Hà Nam"])
def test_province_by_slug_resolves_former_provinces_to_the_current_unit(api_client, slug):
    query = "query ($slug: String!) { province(slug: $slug) { code name } }"
    province = _data(api_client.execute(query, {"slug": slug}))["province"]
    assert province == {"code": "37", "name": "Ninh Bình"}


def test_unknown_province_is_null(api_client):
    query = '{ province(slug: "paris") { name } }'
    assert _data(api_client.execute(query))["province"] is None


def test_province_lists_its_producers_products(api_client, ocop):
    query = """{ province(slug: "quang-nam") { name
        products(first: 10, channel: "vn") { totalCount edges { node { slug } } } } }"""
    province = _data(api_client.execute(query))["province"]
    assert province["name"] == "Đà Nẵng"
    assert province["products"]["totalCount"] == 2
    slugs = {edge["node"]["slug"] for edge in province["products"]["edges"]}
    assert slugs == {"nm-duy-xuyen", "tra-duy-xuyen"}


# --- producers --------------------------------------------------------------------------------

PRODUCER = """query ($slug: String!) { producer(slug: $slug) {
    name legalType verified address story province { name }
    products(first: 10, channel: "vn") { edges { node { slug producer { slug } } } } } }"""


def test_producer_by_slug_with_its_products(api_client, ocop):
    found = _data(api_client.execute(PRODUCER, {"slug": "htx-hai-hau"}))["producer"]
    assert found["name"] == "HTX Nước mắm Hải Hậu"
    assert found["legalType"] == "cooperative"
    assert found["verified"] is True
    assert found["province"]["name"] == "Ninh Bình"
    assert sorted(edge["node"]["slug"] for edge in found["products"]["edges"]) == [
        "nm-hai-hau",
        "tra-hai-hau",
    ]
    assert {edge["node"]["producer"]["slug"] for edge in found["products"]["edges"]} == {
        "htx-hai-hau"
    }


def test_unverified_producers_are_hidden_from_buyers_but_not_from_staff(
    api_client, ocop, catalog_manager_token
):
    assert _data(api_client.execute(PRODUCER, {"slug": "ho-ba-lan"}))["producer"] is None
    query = '{ product(slug: "tra-ba-lan", channel: "vn") { producer { slug } province { slug } } }'
    product = _data(api_client.execute(query))["product"]
    assert product == {"producer": None, "province": {"slug": "ha-noi"}}
    as_staff = api_client.execute(PRODUCER, {"slug": "ho-ba-lan"}, token=catalog_manager_token)
    assert _data(as_staff)["producer"]["verified"] is False


def test_producers_connection_filters_by_province_type_and_name(api_client, ocop):
    query = """query ($f: ProducerFilterInput) { producers(first: 10, filter: $f) {
        totalCount edges { node { slug } } } }"""

    def slugs(filter_input=None):
        result = _data(api_client.execute(query, {"f": filter_input}))["producers"]
        return [edge["node"]["slug"] for edge in result["edges"]]

    assert slugs() == ["cong-ty-duy-xuyen", "htx-hai-hau"]  # by name; unverified left out
    assert slugs({"province": "Quảng Nam"}) == ["cong-ty-duy-xuyen"]
    assert slugs({"legalType": "cooperative"}) == ["htx-hai-hau"]
    assert slugs({"search": "hải hậu"}) == ["htx-hai-hau"]


# --- the star badge ---------------------------------------------------------------------------

BADGE = """query ($slug: String!) { product(slug: $slug, channel: "vn") {
    ocopCertification { stars decisionNumber certificateNumber validFrom validUntil verified
                        issuer { level name } } } }"""


def _badge(api_client, slug):
    return _data(api_client.execute(BADGE, {"slug": slug}))["product"]["ocopCertification"]


def test_product_shows_its_best_valid_certification(api_client, ocop):
    badge = _badge(api_client, "nm-hai-hau")
    assert badge["stars"] == 4
    assert badge["issuer"] == {"level": "province", "name": "UBND tỉnh Nam Định"}
    assert badge["verified"] is True
    valid_from = datetime.date.fromisoformat(badge["validFrom"])
    assert datetime.date.fromisoformat(badge["validUntil"]).year == valid_from.year + 3
    assert _badge(api_client, "nm-duy-xuyen")["stars"] == 5


@pytest.mark.parametrize("slug", ["tra-hai-hau", "tra-duy-xuyen", "tra-ba-lan"])
def test_expired_revoked_or_unverified_certifications_show_no_badge(api_client, ocop, slug):
    assert _badge(api_client, slug) is None


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("argument", ["filter", "where"])
def test_ocop_filters_use_valid_badges_and_current_provinces(api_client, ocop, argument):
    def slugs(value):
        return _slugs(api_client, value, argument)

    assert slugs({"ocopStars": [4]}) == ["nm-hai-hau"]
    assert slugs({"ocopStars": [3]}) == []  # the 3★ of nm-duy-xuyen is not its badge
    assert slugs({"minOcopStars": 4}) == ["nm-duy-xuyen", "nm-hai-hau"]
    assert slugs({"ocopCertified": True}) == ["nm-duy-xuyen", "nm-hai-hau"]
    assert slugs({"ocopCertified": False}) == ["tra-ba-lan", "tra-duy-xuyen", "tra-hai-hau"]
    assert slugs({"provinces": ["Nam Định"]}) == ["nm-hai-hau", "tra-hai-hau"]
    assert slugs({"provinces": ["ninh-binh", "ha-noi"]}) == [
        "nm-hai-hau",
        "tra-ba-lan",
        "tra-hai-hau",
    ]
    assert slugs({"producerTypes": ["enterprise"]}) == ["nm-duy-xuyen", "tra-duy-xuyen"]
    assert slugs({"provinces": ["quang-nam"], "ocopCertified": True}) == ["nm-duy-xuyen"]


def test_producers_filter_takes_producer_ids(api_client, ocop):
    query = '{ producer(slug: "cong-ty-duy-xuyen") { id } }'
    producer_id = _data(api_client.execute(query))["producer"]["id"]
    assert _slugs(api_client, {"producers": [producer_id]}) == ["nm-duy-xuyen", "tra-duy-xuyen"]


# --- facets -----------------------------------------------------------------------------------

FACETS = """query ($f: ProductFilterInput, $search: String) {
  productFacets(channel: "vn", filter: $f, search: $search) {
    provinces { slug name count } stars { stars count } categories { slug count }
    producerTypes { type count } inStock priceRange { min { amount currency } max { amount } }
  } }"""


def test_facets_count_the_matching_products_in_one_query_each(
    api_client, ocop, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        facets = _data(api_client.execute(FACETS))["productFacets"]
    assert facets["provinces"] == [
        {"slug": "da-nang", "name": "Đà Nẵng", "count": 2},
        {"slug": "ninh-binh", "name": "Ninh Bình", "count": 2},
        {"slug": "ha-noi", "name": "Hà Nội", "count": 1},
    ]
    assert facets["stars"] == [{"stars": 5, "count": 1}, {"stars": 4, "count": 1}]
    assert facets["categories"] == [{"slug": "tra", "count": 3}, {"slug": "nuoc-mam", "count": 2}]
    assert facets["producerTypes"] == [
        {"type": "cooperative", "count": 2},
        {"type": "enterprise", "count": 2},
        {"type": "household", "count": 1},
    ]
    assert facets["inStock"] == 4
    assert facets["priceRange"] == {
        "min": {"amount": 40_000.0, "currency": "VND"},
        "max": {"amount": 300_000.0},
    }


def test_facets_follow_the_filter(api_client, ocop):
    facets = _data(api_client.execute(FACETS, {"f": {"provinces": ["Nam Định"]}}))
    facets = facets["productFacets"]
    assert facets["provinces"] == [{"slug": "ninh-binh", "name": "Ninh Bình", "count": 2}]
    assert facets["stars"] == [{"stars": 4, "count": 1}]
    assert facets["inStock"] == 1
    assert facets["priceRange"]["max"] == {"amount": 90_000.0}


def test_badge_links_to_the_public_verification_page(api_client, ocop, settings):
    query = '{ product(slug: "nm-hai-hau", channel: "vn") { ocopCertification { verifyUrl } } }'
    url = _data(api_client.execute(query))["product"]["ocopCertification"]["verifyUrl"]
    code = Certification.objects.get(product=ocop["four"]).code
    assert url == f"{settings.PUBLIC_URL.rstrip('/')}/ocop/verify/{code}/"
    path = url.removeprefix(settings.PUBLIC_URL.rstrip("/"))
    assert api_client.client.get(path).status_code == 200


def test_producers_page_costs_a_fixed_number_of_queries(
    api_client, ocop, django_assert_max_num_queries
):
    query = """{ producers(first: 50) { totalCount edges { node {
        name verified province { name legacyNames } } } } }"""
    with django_assert_max_num_queries(4):
        producers = _data(api_client.execute(query))["producers"]
    assert producers["totalCount"] == 2
    provinces = [edge["node"]["province"] for edge in producers["edges"]]
    assert [province["name"] for province in provinces] == ["Đà Nẵng", "Ninh Bình"]
    assert set(provinces[1]["legacyNames"]) == {"Hà Nam", "Nam Định", "Ninh Bình"}
