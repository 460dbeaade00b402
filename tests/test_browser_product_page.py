"""The product page on a phone in a real browser (Debian chromium through Playwright): the
buy bar stays at the bottom of the screen, a photo opens large in a dialog, every address the page
asks for answers."""

import pytest
from django.core.files.base import ContentFile

from backend.product.models import ProductMedia
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.fixtures.catalog import image_bytes
from tests.storefront_data import DESCRIPTION, Shop

pytestmark = browser_test_marks


@pytest.fixture
def product():
    shop = Shop()
    sauces = shop.category("Nước mắm", "nuoc-mam")
    product = shop.product(
        "Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces, price=125_000, description=DESCRIPTION
    )
    shop.variant(product, "nuoc-mam-1l", "Chai 1 lít", 230_000, quantity=4)
    for number, color in enumerate([(200, 60, 30), (30, 160, 60)]):
        ProductMedia.objects.create(
            product=product,
            image=ContentFile(image_bytes("JPEG", (900, 900), color), name=f"mam-{number}.jpg"),
            alt=f"Chai nước mắm {number}",
            sort_order=number,
        )
    return product


def test_the_buy_bar_stays_at_the_bottom_of_a_phone_and_a_photo_opens_large(
    live_server, product, browser, tmp_path
):
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    missing = []
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    page.goto(f"{live_server.url}/san-pham/nuoc-mam-cua-lo/")
    bar = page.locator(".buy-bar")
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)  # on screen before scrolling
    assert bar.get_by_role("button", name="Mua ngay").is_visible()
    page.mouse.wheel(0, 2000)
    assert bar.bounding_box()["y"] == pytest.approx(box["y"], abs=1)  # and after
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path(tmp_path, "product-phone-vi.png")), full_page=False)

    # The bar's price follows the variant chosen.
    page.get_by_label("Chai 1 lít").check()
    assert bar.locator(".buy-bar-price").inner_text() == "230.000 ₫"

    page.mouse.wheel(0, -4000)
    page.locator(".gallery a.zoom").first.click()
    dialog = page.locator("dialog.zoom-dialog")
    assert dialog.is_visible()
    assert dialog.locator("img").get_attribute("alt") == "Chai nước mắm 0"
    page.screenshot(path=str(screenshot_path(tmp_path, "product-zoom-vi.png")))
    dialog.get_by_role("button", name="Đóng").click()
    assert not dialog.is_visible()
    assert page.url.endswith("/san-pham/nuoc-mam-cua-lo/")  # the photo link did not navigate
    assert missing == []


def test_on_a_desktop_the_filters_are_a_sidebar_and_the_buy_buttons_stay_in_the_page(
    live_server, product, browser, tmp_path
):
    page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/danh-muc/nuoc-mam/")
    filters, results = page.locator(".listing > .filters"), page.locator(".listing-results")
    assert page.locator(".facets").is_visible()  # open without a tap
    assert (
        filters.bounding_box()["x"] + filters.bounding_box()["width"]
        < (results.bounding_box()["x"])
    )
    page.screenshot(path=str(screenshot_path(tmp_path, "category-desktop-vi.png")))

    page.goto(f"{live_server.url}/san-pham/nuoc-mam-cua-lo/")
    bar = page.locator(".buy-bar")
    assert bar.evaluate("element => getComputedStyle(element).position") == "static"
    page.screenshot(path=str(screenshot_path(tmp_path, "product-desktop-vi.png")))
