"""A buyer on a phone narrows a category page by OCOP stars and sorts it by price, in a real
browser (Debian chromium through Playwright): plain links, no script needed."""

from datetime import date, timedelta

import pytest

from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.storefront_data import Shop

pytestmark = browser_test_marks


@pytest.fixture
def catalogue():
    shop = Shop()
    food = shop.category("Thực phẩm", "thuc-pham")
    sauces = shop.category("Nước mắm", "nuoc-mam", parent=food)
    teas = shop.category("Trà", "tra", parent=food)
    last_month = date.today() - timedelta(days=30)
    cua_lo = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces, price=125_000)
    shop.certify(cua_lo, 4, last_month)
    shop.product("Nước mắm Vạn Phần", "nuoc-mam-van-phan", sauces, price=95_000)
    tea = shop.product("Trà Shan tuyết", "tra-shan-tuyet", teas, price=210_000)
    shop.certify(tea, 5, last_month)
    shop.product("Mắm tôm chua Huế", "mam-tom-chua-hue", food, price=85_000, quantity=0)
    return shop


def _cards(page) -> list[str]:
    return page.locator(".card .card-name").all_inner_texts()


def test_buyer_filters_by_stars_and_sorts_by_price_on_a_phone(
    live_server, catalogue, browser, tmp_path
):
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/danh-muc/thuc-pham/")
    assert len(_cards(page)) == 4
    assert page.locator(".sorts a[aria-current]").inner_text() == "Tên A–Z"

    page.locator(".filters summary").click()
    page.screenshot(path=str(screenshot_path(tmp_path, "category-filters-vi.png")), full_page=True)
    page.locator(".facets").get_by_role("link", name="Từ 4★ (2)").click()
    page.wait_for_url("**/danh-muc/thuc-pham/?*stars=4*")
    assert sorted(_cards(page)) == ["Nước mắm Cửa Lò", "Trà Shan tuyết"]
    chip = page.locator(".chosen").get_by_role("link", name="Từ 4★")
    assert chip.is_visible()  # the filter in use, removable

    page.get_by_role("link", name="Giá cao đến thấp").click()
    page.wait_for_url("**sort=price-desc*")
    assert "stars=4" in page.url  # the order keeps the filter, in a link to share
    assert _cards(page) == ["Trà Shan tuyết", "Nước mắm Cửa Lò"]
    assert page.locator(".card .price").all_inner_texts() == ["từ 210.000 ₫", "từ 125.000 ₫"]
    assert page.locator(".sorts a[aria-current]").inner_text() == "Giá cao đến thấp"
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path(tmp_path, "category-sorted-vi.png")), full_page=True)

    chip.click()  # takes the filter off, keeps the order
    page.wait_for_url("**sort=price-desc*")
    assert _cards(page)[0] == "Trà Shan tuyết" and len(_cards(page)) == 4
