"""A buyer in a real browser (Debian chromium through Playwright): home → category → product,
Vietnamese first, then English. Never `playwright install`; the system chromium is used."""

import pytest

from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.storefront_data import DESCRIPTION, Shop

pytestmark = browser_test_marks


@pytest.fixture
def catalogue():
    shop = Shop()
    food = shop.category("Thực phẩm", "thuc-pham")
    sauces = shop.category("Nước mắm", "nuoc-mam", parent=food)
    shop.category("Đồ uống", "do-uong")
    shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces, description=DESCRIPTION)
    shop.product("Mắm tôm chua Huế", "mam-tom-chua-hue", food, price=85_000, quantity=0)
    return shop


def test_buyer_browses_to_a_product_in_vietnamese_then_english(
    live_server, catalogue, browser, tmp_path
):
    # A buyer whose browser prefers Vietnamese, on a phone-sized screen.
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Nhóm sản phẩm OCOP").is_visible()

    page.get_by_role("link", name="Thực phẩm").click()
    page.wait_for_url("**/danh-muc/thuc-pham/")
    assert page.locator("h1").inner_text() == "Thực phẩm"
    assert page.locator(".card").count() == 2
    page.screenshot(path=str(screenshot_path(tmp_path, "category-vi.png")), full_page=True)

    page.get_by_role("link", name="Nước mắm Cửa Lò").click()
    page.wait_for_url("**/san-pham/nuoc-mam-cua-lo/")
    assert page.locator("h1").inner_text() == "Nước mắm Cửa Lò"
    assert page.locator(".variant-option .price").first.inner_text() == "125.000 ₫"
    assert page.locator(".variant-option .stock.in").first.inner_text().startswith("Còn ")
    page.screenshot(path=str(screenshot_path(tmp_path, "product-vi.png")), full_page=True)

    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.url.endswith("/san-pham/nuoc-mam-cua-lo/")
    assert page.locator(".variant-option .stock.in").first.inner_text().endswith(" in stock")
    assert page.get_by_role("heading", name="Description").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".variant-option .price").first.inner_text() == "125.000 ₫"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="OCOP product groups").is_visible()
    page.screenshot(path=str(screenshot_path(tmp_path, "home-en.png")), full_page=True)
