"""Browsing by place: the provinces page (a map and a list by region with product counts), a
province's page (its products with the listing's filters, its verified producers, its OCOP
points of sale), a former province leading to the unit it joined on 1 July 2025 (address and
search box), a producer's page, and the sitemap sections of these pages."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from backend.ocop import services as ocop_services
from backend.ocop.models import (
    Producer,
    ProducerPhoto,
    ProducerType,
    Province,
    VerificationStatus,
)
from backend.product.models import ProductTranslation
from backend.warehouse.models import ClickAndCollectOption, Warehouse
from storefront.sitemaps import ProducerSitemap, ProvinceSitemap
from tests.storefront_data import Shop

pytestmark = pytest.mark.django_db

LAST_MONTH = date.today() - timedelta(days=30)


def _producer(slug, province_code, verified=True, **fields):
    return Producer.objects.create(
        name=fields.pop("name", f"HTX {slug}"),
        slug=slug,
        legal_type=fields.pop("legal_type", ProducerType.COOPERATIVE),
        province=Province.objects.get(code=province_code),
        verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
        verified_at=timezone.now() if verified else None,
        **fields,
    )


def _photo(producer, alt):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "green").save(buffer, "JPEG")
    image = SimpleUploadedFile("xuong.jpg", buffer.getvalue(), content_type="image/jpeg")
    return ProducerPhoto.objects.create(producer=producer, image=image, alt=alt)


def _products_of(shop, producer, category, names, price=100_000):
    shop.producer = producer
    return [
        shop.product(name, f"{producer.slug}-{number}", category, price=price + number * 1000)
        for number, name in enumerate(names)
    ]


@pytest.fixture
def shop():
    return Shop()


@pytest.fixture
def ninh_binh(shop):
    """Two verified producers of Ninh Bình (one with a story, phone and certificates), an
    unverified one, a Hà Nội producer, and Ninh Bình's points of sale."""
    food = shop.category("Thực phẩm", "thuc-pham")
    crafts = shop.category("Thủ công mỹ nghệ", "thu-cong")
    giao_thuy = _producer(
        "htx-nuoc-mam-giao-thuy",
        "37",
        name="HTX Nước mắm Giao Thủy",
        ward="Xã Giao Thủy",
        address="Xóm 5",
        phone="0228 3895 123",
        story="Làm mắm từ năm 1960.\n\nCá cơm ủ chượp trong chum sành.",
    )
    kim_son = _producer("htx-coi-kim-son", "37", name="HTX Cói Kim Sơn")
    pending = _producer("htx-chua-xac-minh", "37", verified=False, name="HTX Chưa xác minh")
    ha_noi = _producer("htx-ha-noi", "01", name="HTX Hà Nội")
    sauces = _products_of(shop, giao_thuy, food, ["Nước mắm Giao Thủy", "Mắm tép Giao Thủy"])
    (mat,) = _products_of(shop, kim_son, crafts, ["Chiếu cói Kim Sơn"], price=150_000)
    _products_of(shop, pending, food, ["Gạo chưa xác minh"], price=300_000)
    _products_of(shop, ha_noi, food, ["Cốm làng Vòng"])
    shop.producer = giao_thuy
    certificates = {
        "four": shop.certify(sauces[0], 4, LAST_MONTH),
        "three": shop.certify(sauces[1], 3, LAST_MONTH),
        "expired": shop.certify(sauces[1], 5, date(2019, 3, 1), valid_until=date(2022, 2, 28)),
    }
    province = Province.objects.get(code="37")
    showroom = Warehouse.objects.create(
        name="Điểm bán OCOP Ninh Bình",
        slug="diem-ban-ocop-ninh-binh",
        province=province,
        is_private=False,
        click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK,
        street_address="Số 1 Tràng An",
        ward="Phường Hoa Lư",
        phone="0229 3871 000",
        email="ocop@ninhbinh.example",
    )
    showroom.channels.add(shop.channel)
    Warehouse.objects.create(
        name="Kho riêng Ninh Bình", slug="kho-rieng-nb", province=province, is_private=True
    ).channels.add(shop.channel)
    Warehouse.objects.create(
        name="Kho không nhận hàng",
        slug="kho-khong-nhan",
        province=province,
        is_private=False,
        click_and_collect_option=ClickAndCollectOption.DISABLED,
    ).channels.add(shop.channel)
    return {
        "province": province,
        "giao_thuy": giao_thuy,
        "kim_son": kim_son,
        "pending": pending,
        "sauces": sauces,
        "mat": mat,
        "certificates": certificates,
    }


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _names(html) -> list[str]:
    return re.findall(r'<span class="card-name">(.*?)</span>', html)


def _section(html, css_class) -> str:
    return re.search(rf'<section class="{css_class}".*?</section>', html, re.S).group(0)


def _text(html) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the provinces page ------------------------------------------------------------------------


def test_every_province_is_listed_by_region_with_its_products_on_sale(client, ninh_binh):
    html = _get(client, reverse("storefront:provinces"))
    assert html.count("<h1>") == 1
    regions = re.findall(r'<section class="region".*?</section>', html, re.S)
    assert len(regions) == 7
    listed = re.findall(r'<ul class="province-list">.*?</ul>', html, re.S)
    links = re.findall(r'href="/tinh-thanh/([^/"]+)/"', "".join(listed))
    assert len(links) == len(set(links)) == 34
    red_river = _text(next(region for region in regions if "Đồng bằng sông Hồng" in region))
    assert "Ninh Bình 4 sản phẩm" in red_river  # the unverified producer's product is on sale
    assert "Hà Nội 1 sản phẩm" in red_river
    assert "Hưng Yên 0 sản phẩm" in red_river  # no product: still listed
    assert "Lào Cai" not in red_river


def test_the_map_links_every_province_with_its_count(client, ninh_binh):
    html = _get(client, reverse("storefront:provinces"))
    svg = re.search(r'<figure class="province-map">.*?</figure>', html, re.S).group(0)
    assert 'aria-label="Bản đồ Việt Nam' in svg
    areas = re.findall(r'<a href="/tinh-thanh/([^/"]+)/"[^>]*>\s*<title>(.*?)</title>', svg)
    assert len(areas) == 34
    assert ("ninh-binh", "Ninh Bình — 4 sản phẩm") in areas
    assert ("hung-yen", "Hưng Yên — 0 sản phẩm") in areas
    assert svg.count("<path ") == 34
    assert re.search(r"<text x=\"[\d.]+\" y=\"[\d.]+\">Quần đảo Hoàng Sa</text>", svg)
    assert "Quần đảo Trường Sa" in svg


def test_the_provinces_page_costs_a_fixed_number_of_queries(
    client, shop, django_assert_max_num_queries
):
    food = shop.category("Thực phẩm", "thuc-pham")
    for number, code in enumerate(["01", "37", "48", "79", "96"] * 8):
        producer = _producer(f"htx-{number}", code)
        _products_of(shop, producer, food, [f"Đặc sản {number}"])
    # The channel, the province counts, the provinces.
    with django_assert_max_num_queries(4):
        _get(client, reverse("storefront:provinces"))


# --- a province's page -------------------------------------------------------------------------


def test_a_province_page_shows_its_products_producers_and_points_of_sale(client, ninh_binh):
    html = _get(client, reverse("storefront:province", args=["ninh-binh"]))
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Ninh Bình"]
    text = _text(html)
    assert "Đồng bằng sông Hồng" in text
    assert "Từ ngày 1/7/2025, Ninh Bình được hợp nhất từ Hà Nam, Nam Định, Ninh Bình" in text
    assert set(_names(html)) == {
        "Nước mắm Giao Thủy",
        "Mắm tép Giao Thủy",
        "Chiếu cói Kim Sơn",
        "Gạo chưa xác minh",
    }
    producers = _text(_section(html, "producers"))
    assert "HTX Nước mắm Giao Thủy Hợp tác xã · 2 sản phẩm" in producers
    assert "HTX Cói Kim Sơn Hợp tác xã · 1 sản phẩm" in producers
    assert "Chưa xác minh" not in producers and "HTX Hà Nội" not in producers
    assert 'href="/nha-san-xuat/htx-nuoc-mam-giao-thuy/"' in html
    points = _section(html, "points-of-sale")
    assert "Điểm bán OCOP Ninh Bình" in points
    assert "Số 1 Tràng An, Phường Hoa Lư" in points
    assert 'href="tel:02293871000"' in points and "ocop@ninhbinh.example" in points
    assert "Kho riêng" not in points and "Kho không nhận hàng" not in points


def test_a_province_that_kept_its_borders_says_so(client, ninh_binh):
    html = _get(client, reverse("storefront:province", args=["ha-noi"]))
    assert "Hà Nội giữ nguyên địa giới trong đợt sắp xếp năm 2025." in html
    assert _names(html) == ["Cốm làng Vòng"]
    assert "Chưa có điểm bán OCOP nhận hàng tại đây." in html


def test_a_province_page_filters_and_sorts_as_the_category_page(client, ninh_binh):
    url = reverse("storefront:province", args=["ninh-binh"])
    html = _get(client, url)
    assert 'id="facet-group"' in html and 'id="facet-province"' not in html  # one province
    assert _names(_get(client, url, stars=4)) == ["Nước mắm Giao Thủy"]
    assert set(_names(_get(client, url, stars=3))) == {"Nước mắm Giao Thủy", "Mắm tép Giao Thủy"}
    assert _names(_get(client, url, group="thu-cong")) == ["Chiếu cói Kim Sơn"]
    assert _names(_get(client, url, sort="price-desc"))[0] == "Gạo chưa xác minh"
    assert _names(_get(client, url, sort="price-asc"))[0] == "Nước mắm Giao Thủy"
    assert set(_names(_get(client, url, max_price=120_000))) == {
        "Nước mắm Giao Thủy",
        "Mắm tép Giao Thủy",
    }


def test_a_former_province_leads_to_the_unit_it_joined(client, ninh_binh):
    response = client.get(reverse("storefront:province", args=["nam-dinh"]))
    assert response.status_code == 301
    assert response["Location"] == "/tinh-thanh/ninh-binh/?tu=nam-dinh"
    html = _get(client, response["Location"])
    assert "Nam Định nay thuộc Ninh Bình (sắp xếp đơn vị hành chính từ 1/7/2025)" in html
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Ninh Bình"]


def test_a_province_name_in_the_address_leads_to_its_page(client, ninh_binh):
    response = client.get("/tinh-thanh/Nam Định/")
    assert response.status_code == 301
    assert response["Location"] == "/tinh-thanh/ninh-binh/?tu=nam-dinh"
    response = client.get("/tinh-thanh/Ninh Bình/")
    assert response.status_code == 301 and response["Location"] == "/tinh-thanh/ninh-binh/"


def test_a_merger_line_only_for_a_former_province_of_this_one(client, ninh_binh):
    url = reverse("storefront:province", args=["ninh-binh"])
    assert "nay thuộc" not in _get(client, url)
    assert "nay thuộc" not in _get(client, url, tu="ha-giang")  # now part of Tuyên Quang
    assert "nay thuộc" not in _get(client, url, tu="ninh-binh")
    assert "Hà Nam nay thuộc Ninh Bình" in _get(client, url, tu="ha-nam")


def test_the_merger_line_in_english(client, ninh_binh):
    client.post(reverse("storefront:set_language"), {"language": "en", "next": "/"})
    html = _get(client, "/tinh-thanh/ninh-binh/", tu="nam-dinh")
    assert (
        "Nam Định is now part of Ninh Bình (administrative reorganisation from 1 July 2025)" in html
    )


@pytest.mark.parametrize(
    "url", ["/tinh-thanh/khong-co-tinh-nay/", "/tinh-thanh/99/", "/nha-san-xuat/khong-co/"]
)
def test_unknown_places_are_not_found(client, ninh_binh, url):
    assert client.get(url).status_code == 404


def test_a_province_page_costs_a_fixed_number_of_queries(
    client, shop, django_assert_max_num_queries
):
    food = shop.category("Thực phẩm", "thuc-pham")
    province = Province.objects.get(code="37")
    for number in range(30):
        producer = _producer(f"htx-nb-{number:02d}", "37")
        products = _products_of(
            shop, producer, food, [f"Đặc sản {number:02d}", f"Quà {number:02d}"]
        )
        shop.producer = producer
        shop.certify(products[0], 3 + number % 3, LAST_MONTH)
        showroom = Warehouse.objects.create(
            name=f"Điểm bán {number:02d}",
            slug=f"diem-ban-{number:02d}",
            province=province,
            is_private=False,
            click_and_collect_option=ClickAndCollectOption.LOCAL_STOCK,
        )
        showroom.channels.add(shop.channel)
    url = reverse("storefront:province", args=["ninh-binh"])
    # The channel, the province, the province and group counts, the count, the page, its
    # images, the producers, the points of sale.
    with django_assert_max_num_queries(9):
        html = _get(client, url, stars=3, sort="price-desc")
    assert len(_names(html)) == 24
    assert _text(_section(html, "producers")).count("Hợp tác xã · 2 sản phẩm") == 30
    assert _section(html, "points-of-sale").count("<li>") == 30


# --- the search box ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Nam Định", "nam dinh", "nước mắm Nam Định", "tỉnh Nam Định"])
def test_searching_a_former_province_says_where_it_is_now(client, ninh_binh, query):
    html = _get(client, reverse("storefront:search"), q=query)
    line = re.search(r'<p class="former-province">(.*?)</p>', html, re.S).group(1)
    assert _text(line).strip() == (
        "Nam Định nay thuộc Ninh Bình (sắp xếp đơn vị hành chính từ 1/7/2025)."
    )
    assert 'href="/tinh-thanh/ninh-binh/"' in line
    assert html.index('class="former-province"') < html.index('class="listing"')


@pytest.mark.parametrize("query", ["Ninh Bình", "nước mắm", "Hà Nội"])
def test_searching_a_current_province_or_a_product_has_no_merger_line(client, ninh_binh, query):
    assert 'class="former-province"' not in _get(client, reverse("storefront:search"), q=query)


# --- a producer's page -------------------------------------------------------------------------


def test_a_producer_page_shows_who_they_are_and_what_they_sell(client, ninh_binh):
    _photo(ninh_binh["giao_thuy"], "Chum mắm ngoài sân")
    html = _get(client, reverse("storefront:producer", args=["htx-nuoc-mam-giao-thuy"]))
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["HTX Nước mắm Giao Thủy"]
    text = _text(html)
    assert "Hợp tác xã" in text and "Nhà sản xuất đã xác minh" in text
    assert '<a href="/tinh-thanh/ninh-binh/">Ninh Bình</a>' in html
    assert "Xóm 5, Xã Giao Thủy" in text
    assert 'href="tel:02283895123"' in html
    assert "<p>Làm mắm từ năm 1960.</p>" in html and "<p>Cá cơm ủ chượp" in html
    assert re.search(r'<img src="[^"]+xuong[^"]*\.jpg" alt="Chum mắm ngoài sân"', html)
    assert set(_names(html)) == {"Nước mắm Giao Thủy", "Mắm tép Giao Thủy"}


def test_a_producer_page_lists_only_certificates_a_buyer_may_trust(client, ninh_binh):
    html = _get(client, reverse("storefront:producer", args=["htx-nuoc-mam-giao-thuy"]))
    certificates = ninh_binh["certificates"]
    listed = _section(html, "certifications")
    assert re.findall(r'<span class="ocop-badge">(.*?)</span>', listed) == ["OCOP 4★", "OCOP 3★"]
    assert f'href="/ocop/verify/{certificates["four"].code}/"' in listed
    assert certificates["expired"].code not in listed
    assert "Quyết định 401/QĐ-UBND" in _text(listed)
    assert 'href="/san-pham/htx-nuoc-mam-giao-thuy-0/"' in listed
    ocop_services.revoke_certification(certificates["four"], None, "Sai thông tin")
    html = _get(client, reverse("storefront:producer", args=["htx-nuoc-mam-giao-thuy"]))
    assert certificates["four"].code not in _section(html, "certifications")


def test_a_producer_page_in_english(client, ninh_binh):
    ProductTranslation.objects.create(
        product=ninh_binh["sauces"][0], language_code="en", name="Giao Thuy fish sauce"
    )
    client.post(reverse("storefront:set_language"), {"language": "en", "next": "/"})
    html = _get(client, reverse("storefront:producer", args=["htx-nuoc-mam-giao-thuy"]))
    text = _text(html)
    assert "Cooperative ✔ Verified producer" in text and "About the producer" in text
    listed = _text(_section(html, "certifications"))
    assert "OCOP 4★ Giao Thuy fish sauce Decision 401/QĐ-UBND, valid until" in listed
    assert "Mắm tép Giao Thủy" in listed  # no translation: its Vietnamese name


def test_a_producer_without_certificates(client, ninh_binh):
    html = _get(client, reverse("storefront:producer", args=["htx-coi-kim-son"]))
    assert "Hiện chưa có chứng nhận OCOP còn hiệu lực." in html
    assert _names(html) == ["Chiếu cói Kim Sơn"]


def test_an_unverified_producer_has_no_page(client, ninh_binh):
    assert client.get(reverse("storefront:producer", args=["htx-chua-xac-minh"])).status_code == 404


def test_a_producer_page_costs_a_fixed_number_of_queries(
    client, shop, django_assert_max_num_queries
):
    food = shop.category("Thực phẩm", "thuc-pham")
    producer = _producer("htx-nhieu-san-pham", "37")
    products = _products_of(shop, producer, food, [f"Đặc sản {n:02d}" for n in range(40)])
    shop.producer = producer
    for number, product in enumerate(products):
        shop.certify(product, 3 + number % 3, LAST_MONTH)
        _photo(producer, f"Ảnh {number}")
    # The channel, the producer, its photos, its certifications, the province and group
    # counts, the count, the page, its images.
    with django_assert_max_num_queries(9):
        html = _get(client, reverse("storefront:producer", args=[producer.slug]))
    assert len(_names(html)) == 24
    assert _section(html, "certifications").count('class="ocop-badge"') == 40


# --- pages for everyone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/tinh-thanh/", "/tinh-thanh/ninh-binh/", "/nha-san-xuat/htx-nuoc-mam-giao-thuy/"],
)
def test_breadcrumbs_and_one_heading(client, ninh_binh, url):
    html = _get(client, url)
    assert html.count("<h1") == 1
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert _text(trail).split()[:3] == ["Trang", "chủ", "Tỉnh"]
    assert '"@type": "BreadcrumbList"' in html
    assert "storefront/places" in html and ".css" in html


def test_sitemap_sections_list_pages_that_open(ninh_binh):
    client = Client()
    provinces = [ProvinceSitemap().location(item) for item in ProvinceSitemap().items()]
    producers = [ProducerSitemap().location(item) for item in ProducerSitemap().items()]
    assert len(provinces) == 34 and "/tinh-thanh/ninh-binh/" in provinces
    assert producers == [
        "/nha-san-xuat/htx-coi-kim-son/",
        "/nha-san-xuat/htx-ha-noi/",
        "/nha-san-xuat/htx-nuoc-mam-giao-thuy/",
    ]
    for url in [*provinces[:3], "/tinh-thanh/ninh-binh/", *producers]:
        assert client.get(url).status_code == 200, url
