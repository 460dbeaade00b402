"""What search engines and sharing previews read: robots.txt, sitemap.xml, canonical and hreflang
links, a distinct address per language, Open Graph tags, schema.org JSON-LD, and the weight of
each main page (Django client on PostgreSQL)."""

import re
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from backend.livestream.models import EventStatus, LiveEvent
from backend.ocop.models import CertificationStatus, VerificationStatus
from backend.page.models import Page
from backend.product.models import ProductChannelListing
from tests.shop_pages import add_to_cart, build_shop, place_order, read

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://cho-ocop.example.vn"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
MAX_PAGE_BYTES = 100 * 1024


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.PUBLIC_URL = PUBLIC_URL


@pytest.fixture
def shop_pages():
    return build_shop()


def _event(shop_pages, slug, status):
    start = timezone.now() + timedelta(days=1)
    return LiveEvent.objects.create(
        title=f"Live {slug}",
        slug=slug,
        channel=shop_pages.shop.channel,
        platform="youtube",
        stream_url="https://www.youtube.com/watch?v=abc",
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
        status=status,
    )


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ("/admin/", "/portal/", "/gio-hang/", "/thanh-toan/", "/tai-khoan/", "/graphql/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /tim-kiem/" in lines
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in lines


def _sitemap_urls(client, address) -> dict:
    """{loc: {hreflang: href}} of one sitemap section."""
    response = client.get(address)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_index_lists_every_section_under_the_public_address(client, shop_pages):
    response = client.get("/sitemap.xml")

    root = ElementTree.fromstring(response.content)
    locations = [node.text for node in root.iter(f"{SITEMAP}loc")]
    assert locations == [
        f"{PUBLIC_URL}/sitemap-{section}.xml"
        for section in (
            "pages",
            "content",
            "categories",
            "products",
            "livestreams",
            "provinces",
            "producers",
        )
    ]


def test_sitemap_lists_public_pages_in_both_languages_with_alternates(client, shop_pages):
    hidden = shop_pages.shop.product("Mắm nháp", "mam-nhap", shop_pages.product.category)
    ProductChannelListing.objects.filter(product=hidden).update(is_published=False)
    Page.objects.filter(slug="lien-he").update(is_published=False)
    _event(shop_pages, "live-sap-toi", EventStatus.SCHEDULED)
    _event(shop_pages, "live-nhap", EventStatus.DRAFT)

    products = _sitemap_urls(client, "/sitemap-products.xml")
    assert set(products) == {
        f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/",
        f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/?lang=en",
    }
    assert products[f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/"] == {
        "vi": f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/",
        "en": f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/?lang=en",
        "x-default": f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/",
    }

    content = _sitemap_urls(client, "/sitemap-content.xml")
    assert f"{PUBLIC_URL}/trang/chinh-sach-doi-tra/" in content
    assert f"{PUBLIC_URL}/trang/lien-he/" not in content

    fixed = _sitemap_urls(client, "/sitemap-pages.xml")
    for path in ("/", "/san-pham/", "/ve-ocop/", "/live/"):
        assert f"{PUBLIC_URL}{path}" in fixed

    assert f"{PUBLIC_URL}/danh-muc/thuc-pham/" in _sitemap_urls(client, "/sitemap-categories.xml")
    livestreams = _sitemap_urls(client, "/sitemap-livestreams.xml")
    assert f"{PUBLIC_URL}/live/live-sap-toi/" in livestreams
    assert f"{PUBLIC_URL}/live/live-nhap/" not in livestreams
    assert client.get("/sitemap-khong-co.xml").status_code == 404


def test_sitemap_of_many_products_costs_a_fixed_number_of_queries(
    client, shop_pages, django_assert_max_num_queries
):
    for number in range(30):
        shop_pages.shop.product(f"Trà {number}", f"tra-{number}", shop_pages.product.category)

    with django_assert_max_num_queries(6):
        urls = _sitemap_urls(client, "/sitemap-products.xml")
    assert len(urls) == 62


def test_canonical_keeps_only_the_search_words_and_the_page_number(client, shop_pages):
    listing = read(client.get("/san-pham/?sort=price-asc&stars=4&page=2&utm_source=zalo"))
    assert listing.link("canonical") == [f"{PUBLIC_URL}/san-pham/?page=2"]

    first_page = read(client.get("/danh-muc/thuc-pham/?page=1&sort=newest"))
    assert first_page.link("canonical") == [f"{PUBLIC_URL}/danh-muc/thuc-pham/"]

    search = read(client.get("/tim-kiem/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&sort=name"))
    assert search.link("canonical") == [f"{PUBLIC_URL}/tim-kiem/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm"]


def test_each_language_has_its_own_address_with_hreflang_links(client, shop_pages):
    vietnamese = read(client.get("/san-pham/nuoc-mam-cua-lo/"))
    alternates = {link["hreflang"]: link["href"] for link in vietnamese.links if "hreflang" in link}
    assert alternates == {
        "vi": f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/",
        "en": f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/?lang=en",
        "x-default": f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/",
    }
    assert vietnamese.link("canonical") == [f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/"]
    assert vietnamese.meta_content("og:locale") == ["vi_VN"]
    assert vietnamese.meta_content("og:locale:alternate") == ["en_US"]

    # A crawler (no cookie) opening the English address gets the page in English.
    response = client.get("/san-pham/nuoc-mam-cua-lo/?lang=en")
    english = read(response)
    assert '<html lang="en">' in response.content.decode()
    assert "<h1>Cửa Lò fish sauce</h1>" in response.content.decode()
    assert english.link("canonical") == [f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/?lang=en"]
    assert english.meta_content("og:locale") == ["en_US"]
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    # The visitor's next pages keep the language; ?lang=vi brings Vietnamese back.
    assert '<html lang="en">' in client.get("/san-pham/").content.decode()
    assert '<html lang="vi">' in client.get("/?lang=vi").content.decode()
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_an_unknown_language_in_the_address_is_ignored(client, shop_pages):
    response = client.get("/?lang=fr")

    assert '<html lang="vi">' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_open_graph_and_twitter_tags(client, shop_pages):
    home = read(client.get("/"))
    assert home.meta_content("og:type") == ["website"]
    assert home.meta_content("og:url") == [f"{PUBLIC_URL}/"]
    assert home.meta_content("og:image") == [f"{PUBLIC_URL}/static/storefront/icons/icon-512.png"]
    assert home.meta_content("og:title")[0].startswith("OCOP Market")
    assert home.meta_content("twitter:card") == ["summary"]

    product = read(client.get("/san-pham/nuoc-mam-cua-lo/"))
    assert product.meta_content("og:type") == ["product"]
    assert product.meta_content("og:title") == ["Nước mắm Cửa Lò — OCOP Market"]
    assert product.meta_content("og:description")[0]
    assert product.meta_content("og:url") == [f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/"]
    assert len(product.meta_content("og:image")) == 1


def test_product_json_ld_has_offers_brand_and_the_ocop_certification(client, shop_pages):
    product = read(client.get("/san-pham/nuoc-mam-cua-lo/"))

    (data,) = product.structured("Product")
    url = f"{PUBLIC_URL}/san-pham/nuoc-mam-cua-lo/"
    assert data["name"] == "Nước mắm Cửa Lò"
    assert data["url"] == url
    assert data["sku"] == "nuoc-mam-cua-lo-500ml"
    assert data["brand"] == {"@type": "Brand", "name": "HTX Nước mắm Cửa Lò"}
    assert data["image"]
    assert data["offers"] == [
        {
            "@type": "Offer",
            "sku": "nuoc-mam-cua-lo-500ml",
            "name": "Chai 500 ml",
            "price": 125_000,
            "priceCurrency": "VND",
            "availability": "https://schema.org/InStock",
            "url": url,
        },
        {
            "@type": "Offer",
            "sku": "nuoc-mam-cua-lo-1l",
            "name": "Chai 1 lít",
            "price": 210_000,
            "priceCurrency": "VND",
            "availability": "https://schema.org/OutOfStock",
            "url": url,
        },
    ]
    certification = shop_pages.certification
    assert data["hasCertification"] == {
        "@type": "Certification",
        "name": "OCOP 4★",
        "certificationIdentification": "401/QĐ-UBND",
        "certificationRating": {
            "@type": "Rating",
            "ratingValue": 4,
            "bestRating": 5,
            "worstRating": 1,
        },
        "issuedBy": {"@type": "GovernmentOrganization", "name": "UBND tỉnh Nghệ An"},
        "validFrom": certification.valid_from.isoformat(),
        "validUntil": certification.valid_until.isoformat(),
        "url": f"{PUBLIC_URL}/ocop/verify/{certification.code}/",
    }

    english = read(client.get("/san-pham/nuoc-mam-cua-lo/?lang=en")).structured("Product")[0]
    assert english["name"] == "Cửa Lò fish sauce"
    assert english["url"] == f"{url}?lang=en"


def test_a_revoked_certification_leaves_the_product_json_ld(client, shop_pages):
    shop_pages.certification.status = CertificationStatus.REVOKED
    shop_pages.certification.save()

    (data,) = read(client.get("/san-pham/nuoc-mam-cua-lo/")).structured("Product")
    assert "hasCertification" not in data


def test_home_page_describes_the_shop_and_its_search_box(client, shop_pages):
    home = read(client.get("/"))

    (website,) = home.structured("WebSite")
    assert website["url"] == f"{PUBLIC_URL}/"
    assert website["potentialAction"]["target"]["urlTemplate"] == (
        f"{PUBLIC_URL}/tim-kiem/?q={{search_term_string}}"
    )
    assert website["potentialAction"]["query-input"] == "required name=search_term_string"
    (organization,) = home.structured("Organization")
    assert organization["logo"] == f"{PUBLIC_URL}/static/storefront/icons/icon-512.png"


def _page_weight(client, address) -> int:
    """Bytes of the page's HTML and of the same-origin CSS and JS it links (no images)."""
    response = client.get(address)
    assert response.status_code == 200, address
    page = read(response)
    weight = len(response.content)
    for asset in {*page.stylesheets, *page.scripts}:
        assert asset.startswith(settings.STATIC_URL), asset
        found = finders.find(asset.removeprefix(settings.STATIC_URL))
        weight += Path(found).stat().st_size
    inline = re.findall(r"<img[^>]+src=\"data:", response.content.decode())
    assert not inline, address
    return weight


def test_main_pages_weigh_under_100_kb(client, shop_pages):
    for number in range(24):
        shop_pages.shop.product(f"Trà {number}", f"tra-{number}", shop_pages.product.category)
    _event(shop_pages, "live-sap-toi", EventStatus.SCHEDULED)
    order = place_order(client, shop_pages)
    add_to_cart(client, shop_pages.product.variants.order_by("pk").first())
    producer = shop_pages.shop.producer
    producer.verification_status = VerificationStatus.VERIFIED
    producer.save(update_fields=["verification_status"])

    for address in (
        "/",
        "/tinh-thanh/",  # the heaviest: the map's 40 KB of paths
        f"/tinh-thanh/{shop_pages.shop.province.slug}/",
        f"/nha-san-xuat/{producer.slug}/",
        "/san-pham/",
        "/danh-muc/thuc-pham/",
        "/san-pham/nuoc-mam-cua-lo/",
        "/tim-kiem/?q=tra",
        "/gio-hang/",
        "/thanh-toan/",
        f"/don-hang/{order.token}/",
        "/trang/chinh-sach-doi-tra/",
        "/ve-ocop/",
        "/live/",
        "/live/live-sap-toi/",
    ):
        assert _page_weight(client, address) < MAX_PAGE_BYTES, address


def test_the_language_switcher_does_not_bring_back_the_language_of_the_address(client, shop_pages):
    english = client.get("/san-pham/?lang=en&sort=newest")
    assert 'name="next" value="/san-pham/?sort=newest"' in english.content.decode()

    response = client.post(
        "/i18n/setlang/", {"language": "vi", "next": "/san-pham/?sort=newest"}, follow=True
    )
    assert '<html lang="vi">' in response.content.decode()
