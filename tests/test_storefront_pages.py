"""Content pages, the OCOP badge page, the footer, favicon and manifest, breadcrumbs and one
<h1> on every shop page (Django client on PostgreSQL)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from backend.livestream.models import EventStatus, LiveEvent
from backend.menu.models import Menu
from backend.page.models import Page
from storefront.footer import cache_key
from tests.shop_pages import add_to_cart, build_shop, place_order, read, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_footer():
    cache.delete_many([cache_key(code) for code, _name in settings.LANGUAGES])


@pytest.fixture
def shop_pages():
    return build_shop()


def test_content_page_shows_its_title_and_editorjs_content(client, shop_pages):
    response = client.get("/trang/chinh-sach-doi-tra/")

    assert response.status_code == 200
    page = read(response)
    assert page.h1_count == 1
    body = text(response)
    assert "<h1>Chính sách đổi trả</h1>" in body
    assert "<p>Trong 7 ngày kể từ khi nhận hàng" in body
    assert '<li aria-current="page">Chính sách đổi trả</li>' in body
    assert "<title>Chính sách đổi trả — OCOP Market</title>" in body


def test_content_page_in_english_by_address_or_cookie(client, shop_pages):
    by_address = text(client.get("/trang/chinh-sach-bao-mat/?lang=en"))
    assert "<h1>Privacy policy</h1>" in by_address
    assert "We collect only what delivery and customer care need" in by_address

    # The language named in the address stays for the next pages.
    assert "<h1>Contact</h1>" in text(client.get("/trang/lien-he/"))


def test_contact_page_gives_the_hotline_email_and_office(client, shop_pages):
    body = text(client.get("/trang/lien-he/"))

    assert "Đường dây nóng: 1800 0000" in body
    assert "hotro@ocop.example" in body
    assert "Văn phòng Điều phối Chương trình OCOP tỉnh Ninh Bình" in body
    assert "minh họa" in body


def test_unpublished_future_and_unknown_pages_are_404(client, shop_pages):
    Page.objects.filter(slug="chinh-sach-bao-mat").update(is_published=False)
    Page.objects.filter(slug="lien-he").update(published_at=timezone.now() + timedelta(days=1))

    assert client.get("/trang/chinh-sach-bao-mat/").status_code == 404
    assert client.get("/trang/lien-he/").status_code == 404
    assert client.get("/trang/khong-co/").status_code == 404


def test_demo_builds_the_five_policy_pages_in_both_languages(shop_pages):
    pages = Page.objects.prefetch_related("translations").order_by("slug")

    assert {page.slug for page in pages} == {
        "gioi-thieu",
        "chinh-sach-giao-hang",
        "chinh-sach-doi-tra",
        "chinh-sach-bao-mat",
        "lien-he",
    }
    for page in pages:
        assert page.is_published and page.content["blocks"]
        english = page.translations.get(language_code="en")
        assert english.title and english.content["blocks"]


def test_footer_links_the_policy_pages_of_the_footer_menu(client, shop_pages):
    Page.objects.filter(slug="chinh-sach-bao-mat").update(is_published=False)
    cache.delete_many([cache_key(code) for code, _name in settings.LANGUAGES])

    body = text(client.get("/"))
    footer = body[body.index('<footer class="site-footer">') :]

    for slug, title in [
        ("gioi-thieu", "Giới thiệu"),
        ("chinh-sach-giao-hang", "Chính sách giao hàng"),
        ("chinh-sach-doi-tra", "Chính sách đổi trả"),
        ("lien-he", "Liên hệ"),
    ]:
        assert f'<a href="/trang/{slug}/">{title}</a>' in footer
    assert "/trang/chinh-sach-bao-mat/" not in footer
    assert '<a href="/danh-muc/thuc-pham/">Thực phẩm</a>' in footer
    assert '<a href="/ve-ocop/">' in footer
    assert '<a href="tel:18000000">1800 0000</a>' in footer
    assert '<a href="/live/">' in footer and '<a href="/live/quy-dinh/">' in footer
    assert 'href="/?lang=en" hreflang="en" lang="en"' in footer
    assert 'href="/?lang=vi" hreflang="vi" lang="vi" aria-current="true"' in footer


def test_footer_in_english_and_cached_per_language(client, shop_pages):
    client.get("/")
    english = text(client.get("/?lang=en"))
    assert '<a href="/trang/chinh-sach-doi-tra/">Returns policy</a>' in english
    assert '<a href="/danh-muc/thuc-pham/">Food</a>' in english

    with CaptureQueriesContext(connection) as queries:
        client.get("/?lang=en")
    assert not [q for q in queries if "menu_menuitem" in q["sql"]]

    # Editing a page forgets the cached footer.
    page = Page.objects.get(slug="lien-he")
    page.translations.filter(language_code="en").update(title="Contact")
    page.is_published = False
    page.save()
    assert "/trang/lien-he/" not in text(client.get("/?lang=en"))


def test_footer_costs_one_query_in_any_language_then_none(client, shop_pages):
    client.get("/?lang=en")
    cache.delete_many([cache_key(code) for code, _name in settings.LANGUAGES])

    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")

    def footer_queries(queries):
        return [query for query in queries if "menu_menuitem" in query["sql"]]

    assert len(footer_queries(cold)) == 1
    assert not footer_queries(warm)


def test_footer_without_a_menu_keeps_the_ocop_pages_and_the_hotline(client, shop_pages):
    Menu.objects.filter(slug="footer").delete()

    body = text(client.get("/"))
    footer = body[body.index('<footer class="site-footer">') :]
    assert "/trang/" not in footer
    assert '<a href="/ve-ocop/">' in footer
    assert '<a href="tel:18000000">1800 0000</a>' in footer


def test_about_ocop_page_explains_stars_validity_and_verification(client, shop_pages):
    response = client.get("/ve-ocop/")

    assert response.status_code == 200
    assert read(response).h1_count == 1
    body = text(response)
    for fact in (
        "90–100",
        "70–89",
        "50–69",
        "36 tháng",
        "1489/QĐ-TTg",
        "Bộ Nông nghiệp và Môi trường",
    ):
        assert fact in body
    assert 'for="certificate-code"' in body

    english = text(client.get("/ve-ocop/?lang=en"))
    assert "36 months of validity" in english


def test_about_ocop_opens_a_certificate_by_its_code(client, shop_pages):
    code = shop_pages.certification.code

    response = client.get("/ve-ocop/", {"ma": f" {code} "})
    assert response.status_code == 302
    assert response["Location"] == f"/ocop/verify/{code}/"

    bad = client.get("/ve-ocop/", {"ma": "<script>"})
    assert bad.status_code == 400
    assert 'role="alert"' in bad.content.decode()
    assert "&lt;script&gt;" in bad.content.decode()


def test_favicon_and_web_app_manifest(client, shop_pages):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301
    assert favicon["Location"].endswith("/icons/icon-32.png")

    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["name"] == "OCOP Market" and data["lang"] == "vi" and data["start_url"] == "/"
    assert data["theme_color"] == "#1f6f43"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes

    for size in (32, 180, 192, 512):
        path = finders.find(f"storefront/icons/icon-{size}.png")
        with Image.open(path) as image:
            assert image.size == (size, size)
    head = read(client.get("/"))
    assert head.link("manifest") == ["/manifest.webmanifest"]
    assert head.link("icon", type="image/svg+xml")
    assert head.link("apple-touch-icon")


def test_skip_link_leads_to_the_main_content(client, shop_pages):
    body = text(client.get("/"))
    assert '<a class="skip-link" href="#content">Bỏ qua, đến nội dung chính</a>' in body
    assert '<main class="wrap" id="content"' in body


def _shop_page_addresses(client, shop_pages):
    event = LiveEvent.objects.create(
        title="Phiên live nước mắm",
        slug="phien-live-nuoc-mam",
        channel=shop_pages.shop.channel,
        platform="youtube",
        stream_url="https://www.youtube.com/watch?v=abc",
        scheduled_start=timezone.now() + timedelta(days=1),
        scheduled_end=timezone.now() + timedelta(days=1, hours=1),
        status=EventStatus.SCHEDULED,
    )
    order = place_order(client, shop_pages)
    add_to_cart(client, shop_pages.product.variants.order_by("pk").first())
    return {
        "/": None,
        "/san-pham/": "Tất cả sản phẩm",
        "/danh-muc/thuc-pham/": "Thực phẩm",
        "/san-pham/nuoc-mam-cua-lo/": None,
        "/tim-kiem/?q=nuoc+mam": "Tìm kiếm",
        "/tim-kiem/": "Tìm kiếm",
        "/gio-hang/": "Giỏ hàng của bạn",
        "/thanh-toan/": "Thanh toán",
        f"/don-hang/{order.token}/": f"Đơn hàng #{order.number}",
        "/trang/gioi-thieu/": "Giới thiệu",
        "/ve-ocop/": "Ý nghĩa các hạng sao OCOP",
        "/live/": "Livestream OCOP",
        "/live/quy-dinh/": "Quy định bán hàng qua livestream",
        f"/live/{event.slug}/": event.title,
    }


def test_every_shop_page_has_one_h1_and_breadcrumbs(client, shop_pages):
    for address, current in _shop_page_addresses(client, shop_pages).items():
        response = client.get(address)
        assert response.status_code == 200, address
        assert read(response).h1_count == 1, address
        if current is not None:
            body = text(response)
            assert '<nav class="breadcrumbs" aria-label="' in body, address
            assert f'<li aria-current="page">{current}</li>' in body, address
