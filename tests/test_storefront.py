"""The consumer shop as a buyer meets it: Vietnamese by default, only published products,
prices like `125.000 ₫`, bounded SQL per page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from backend.core.money import format_money
from backend.product.models import CategoryTranslation, ProductMedia, ProductTranslation
from storefront.editorjs import render_editorjs
from tests.storefront_data import DESCRIPTION, Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return Shop()


@pytest.fixture
def groups(shop):
    food = shop.category("Thực phẩm", "thuc-pham")
    return {
        "food": food,
        "sauces": shop.category("Nước mắm", "nuoc-mam", parent=food),
        "drinks": shop.category("Đồ uống", "do-uong"),
    }


def text(response):
    return response.content.decode()


def test_home_shows_groups_and_newest_products_in_vietnamese(client, shop, groups):
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    page = text(client.get("/"))
    assert "Nhóm sản phẩm OCOP" in page
    assert "Thực phẩm" in page and "Đồ uống" in page
    assert "Nước mắm Cửa Lò" in page
    assert "125.000 ₫" in page
    assert '<html lang="vi">' in page


def test_home_counts_each_group_and_leads_to_the_provinces_with_products(client, shop, groups):
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    shop.product("Mắm tôm", "mam-tom", groups["food"])

    page = text(client.get("/"))

    # A subcategory's products count in its group; a group without products says 0.
    assert 'Thực phẩm <span class="group-count">2</span>' in page
    assert 'Đồ uống <span class="group-count">0</span>' in page
    province_url = reverse("storefront:province", args=[shop.province.slug])
    assert (
        f'<a href="{province_url}">{shop.province.name} <span class="group-count">2</span>' in page
    )
    assert reverse("storefront:provinces") in page


def test_english_is_one_click_away(client, shop, groups):
    response = client.post(reverse("storefront:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = text(client.get("/"))
    assert "OCOP product groups" in page
    assert "Nhóm sản phẩm OCOP" not in page


def test_star_badge_shows_only_for_a_valid_certificate(client, shop, groups):
    certified = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    expired = shop.product("Gạo Ái Nghĩa", "gao-ai-nghia", groups["food"])
    certificate = shop.certify(certified, 4, date.today() - timedelta(days=30))
    shop.certify(expired, 3, date(2019, 3, 1), valid_until=date(2022, 2, 28))

    home = text(client.get("/"))
    assert home.count("OCOP 4★") == 1
    assert "OCOP 3★" not in home  # expired: the product still sells, without a badge
    detail = text(client.get(reverse("storefront:product", args=["nuoc-mam-cua-lo"])))
    assert "OCOP 4★" in detail and "401/QĐ-UBND" in detail
    assert f'href="/ocop/verify/{certificate.code}/"' in detail
    assert "Tra cứu chứng nhận" in detail
    assert "OCOP 3★" not in text(client.get(reverse("storefront:product", args=["gao-ai-nghia"])))


def test_english_shows_translated_names_and_falls_back_to_vietnamese(client, shop, groups):
    translated = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    shop.product("Trà Shan tuyết", "tra-shan-tuyet", groups["food"])
    ProductTranslation.objects.create(
        product=translated, language_code="en", name="Cua Lo fish sauce"
    )
    CategoryTranslation.objects.create(category=groups["food"], language_code="en", name="Food")
    client.post(reverse("storefront:set_language"), {"language": "en", "next": "/"})

    home = text(client.get("/"))
    assert "Cua Lo fish sauce" in home and "Nước mắm Cửa Lò" not in home
    assert "Trà Shan tuyết" in home  # no English name yet: the Vietnamese one stays
    assert '>Food <span class="group-count">' in home
    detail = text(client.get(reverse("storefront:product", args=["nuoc-mam-cua-lo"])))
    assert "<h1>Cua Lo fish sauce</h1>" in detail


def test_browser_language_alone_keeps_vietnamese(client, shop, groups):
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="vi">' in page
    assert "Nhóm sản phẩm OCOP" in page


def test_category_lists_products_of_subcategories_not_other_groups(client, shop, groups):
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    shop.product("Trà Shan tuyết", "tra-shan-tuyet", groups["drinks"])
    page = text(client.get(reverse("storefront:category", args=["thuc-pham"])))
    assert "Nước mắm Cửa Lò" in page
    assert "Trà Shan tuyết" not in page
    assert "1 sản phẩm" in page


def test_unpublished_and_unlisted_products_stay_out_of_listings(client, shop, groups):
    shop.product("Mật ong bạc hà", "mat-ong-bac-ha", groups["food"], published=False)
    shop.product("Mắm tôm chua", "mam-tom-chua", groups["food"], visible_in_listings=False)
    home = text(client.get("/"))
    category = text(client.get(reverse("storefront:category", args=["thuc-pham"])))
    for page in (home, category):
        assert "Mật ong bạc hà" not in page
        assert "Mắm tôm chua" not in page
    # A product hidden from listings is still reachable by its link; an unpublished one is not.
    assert client.get(reverse("storefront:product", args=["mam-tom-chua"])).status_code == 200
    assert client.get(reverse("storefront:product", args=["mat-ong-bac-ha"])).status_code == 404


def test_category_is_paginated_24_per_page(client, shop, groups):
    for number in range(30):
        shop.product(f"Sản phẩm {number:02d}", f"san-pham-{number:02d}", groups["food"])
    first = text(client.get(reverse("storefront:category", args=["thuc-pham"])))
    second = text(client.get(reverse("storefront:category", args=["thuc-pham"]), {"page": 2}))
    assert first.count('class="card"') == 24
    assert second.count('class="card"') == 6
    assert "Sản phẩm 23" in first and "Sản phẩm 24" in second
    assert "Trang 1 / 2" in first


@pytest.mark.parametrize("count", [3, 30])
def test_category_page_costs_a_fixed_number_of_queries(
    client, shop, groups, count, django_assert_max_num_queries
):
    for number in range(count):
        shop.product(f"Sản phẩm {number:02d}", f"san-pham-{number:02d}", groups["sauces"])
    url = reverse("storefront:category", args=["thuc-pham"])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_home_costs_a_fixed_number_of_queries(client, shop, groups, django_assert_max_num_queries):
    for number in range(15):
        shop.product(f"Sản phẩm {number:02d}", f"san-pham-{number:02d}", groups["food"])
    # + the footer's menu when its cache is cold
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_product_page_shows_origin_price_stock_and_description(
    client, shop, groups, django_assert_max_num_queries
):
    product = shop.product(
        "Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"], description=DESCRIPTION
    )
    shop.variant(product, "nuoc-mam-1l", "Chai 1 lít", 230_000, quantity=0)
    ProductMedia.objects.create(
        product=product, external_url="https://cdn.example/nuoc-mam.jpg", alt="Chai nước mắm"
    )
    # The 8th: its upcoming livestream, if any; then the producer's count, related products,
    # the showrooms offering pick-up, and the footer's menu (cached per language).
    with django_assert_max_num_queries(15):
        page = text(client.get(reverse("storefront:product", args=["nuoc-mam-cua-lo"])))
    assert "<h1>Nước mắm Cửa Lò</h1>" in page
    assert "HTX Nước mắm Cửa Lò" in page
    assert shop.province.name in page
    assert "125.000 ₫" in page and "230.000 ₫" in page
    assert "Còn 10" in page and "Hết hàng" in page
    assert "<h2>Hương vị biển</h2>" in page
    assert "<li>Độ đạm 40°N</li>" in page
    assert '<img src="https://cdn.example/nuoc-mam.jpg" alt="Chai nước mắm"' in page


def test_stock_in_a_warehouse_outside_the_channel_does_not_count(client, shop, groups):
    from backend.warehouse.models import Stock, Warehouse

    product = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"], quantity=0)
    elsewhere = Warehouse.objects.create(name="Kho khác", slug="kho-khac")
    Stock.objects.create(warehouse=elsewhere, product_variant=product.variants.get(), quantity=5)
    page = text(client.get(reverse("storefront:product", args=["nuoc-mam-cua-lo"])))
    assert "Hết hàng" in page and "Còn 5" not in page


def test_unknown_product_or_category_is_404(client, shop):
    assert client.get(reverse("storefront:product", args=["khong-co"])).status_code == 404
    assert client.get(reverse("storefront:category", args=["khong-co"])).status_code == 404


def test_search_ignores_vietnamese_accents(client, shop, groups, django_assert_max_num_queries):
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    shop.product("Trà Shan tuyết", "tra-shan-tuyet", groups["drinks"])
    shop.product("Nước mắm chưa bán", "nuoc-mam-chua-ban", groups["sauces"], published=False)
    for query in ("nuoc mam", "NƯỚC MẮM", "mắm cua lo"):
        # 7: the first search also reads the vocabulary searches are spell-corrected with, and
        # the footer's menu (cached per language after that).
        with django_assert_max_num_queries(7):
            page = text(client.get(reverse("storefront:search"), {"q": query}))
        assert "Nước mắm Cửa Lò" in page, query
        assert "Trà Shan tuyết" not in page
        assert "Nước mắm chưa bán" not in page


def test_a_misspelt_search_says_what_it_shows_instead(client, shop, groups):
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", groups["sauces"])
    shop.product("Trà Shan tuyết", "tra-shan-tuyet", groups["drinks"])
    page = text(client.get(reverse("storefront:search"), {"q": "nuoc mma"}))
    assert "Nước mắm Cửa Lò" in page and "Trà Shan tuyết" not in page
    assert "Kết quả cho “nuoc mam”" in page
    assert "Không có sản phẩm nào khớp đúng “nuoc mma”." in page
    exact = text(client.get(reverse("storefront:search"), {"q": "nước mắm"}))
    assert "Kết quả cho “nước mắm”" in exact and "khớp đúng" not in exact


def block(kind, **data):
    return {"type": kind, "data": data}


def test_description_escapes_markup_typed_by_producers():
    html = render_editorjs(
        {
            "blocks": [
                block("paragraph", text="<script>alert(1)</script>Ngon"),
                block("header", text="<img src=x onerror=alert(1)>", level=1),
                block("list", style="ordered", items=[{"content": "<b onclick=x>a"}]),
                block("paragraph", text='<a href="javascript:alert(1)">Xem</a> thêm'),
                block("raw", html="<iframe></iframe>"),
            ]
        }
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;Ngon" in html
    assert "<h2>&lt;img src=x onerror=alert(1)&gt;</h2>" in html
    assert "<ol><li>&lt;b onclick=x&gt;a</li></ol>" in html
    assert "<p>Xem thêm</p>" in html
    assert "iframe" not in html and "javascript" not in html


def test_description_keeps_editorjs_inline_formatting():
    html = render_editorjs(
        {"blocks": [block("paragraph", text="Ủ <b>12 tháng</b>,<br>rất <i>thơm</i>")]}
    )
    assert html == "<p>Ủ <b>12 tháng</b>,<br>rất <i>thơm</i></p>"


def test_description_accepts_a_json_string_and_ignores_garbage():
    assert render_editorjs('{"blocks": [{"type": "paragraph", "data": {"text": "Xin chào"}}]}') == (
        "<p>Xin chào</p>"
    )
    assert render_editorjs("not json") == ""
    assert render_editorjs(None) == ""


def test_money_filter_formats_vnd_like_the_shop():
    from storefront.templatetags.storefront import money

    assert money(125_000, "VND") == "125.000 ₫" == format_money(125_000, "VND")
    assert money(None) == ""
