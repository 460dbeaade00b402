"""axe-core (through axe-playwright-python) on the shop's main pages, in Debian chromium, on a
phone (390 px) and a desktop screen, in Vietnamese and English: no serious or critical
violation. Plus the keyboard: the first Tab reaches the "skip to content" link, visibly."""

import re

import pytest
from django.test import Client

from backend.ocop.models import VerificationStatus
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.shop_pages import build_shop, place_order

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = browser_test_marks

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def shop_pages():
    shop_pages = build_shop()
    producer = shop_pages.shop.producer
    producer.verification_status = VerificationStatus.VERIFIED
    producer.save(update_fields=["verification_status"])
    # The order page is opened by its address (a token), as the buyer's confirmation email does.
    shop_pages.order = place_order(Client(), shop_pages)
    return shop_pages


def _pages(shop_pages) -> list[str]:
    return [
        "/",
        "/san-pham/",
        "/danh-muc/thuc-pham/",
        "/san-pham/nuoc-mam-cua-lo/",
        "/tim-kiem/?q=nuoc+mam",
        "/gio-hang/",
        "/thanh-toan/",
        f"/don-hang/{shop_pages.order.token}/",
        "/trang/chinh-sach-doi-tra/",
        "/ve-ocop/",
        "/tinh-thanh/",
        f"/tinh-thanh/{shop_pages.shop.province.slug}/",
        f"/nha-san-xuat/{shop_pages.shop.producer.slug}/",
        "/tai-khoan/dang-ky/",
        "/tai-khoan/dang-nhap/",
        "/tai-khoan/quen-mat-khau/",
    ]


def _blocking_violations(axe, page) -> list[str]:
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [node["target"] for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def _add_to_cart(page, base_url):
    page.goto(f"{base_url}/san-pham/nuoc-mam-cua-lo/")
    page.locator("form[action='/gio-hang/them/'] button[type=submit]").first.click()
    page.wait_for_url("**/gio-hang/")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_main_pages_have_no_serious_accessibility_violation(
    live_server, shop_pages, browser, tmp_path, language
):
    axe = axe_playwright.Axe()
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/?lang={language}")
    _add_to_cart(page, live_server.url)

    problems = []
    for address in _pages(shop_pages):
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}{address}")
            assert page.locator("html").get_attribute("lang") == language
            problems += [f"{address} [{name}] {found}" for found in _blocking_violations(axe, page)]
        name = re.sub(r"[^a-z0-9]+", "-", address)[:40].strip("-") or "home"
        page.screenshot(path=str(screenshot_path(tmp_path, f"a11y-{language}-{name}.png")))
    context.close()
    assert not problems, "\n".join(problems)


def test_first_tab_shows_the_skip_link_and_it_moves_focus_to_the_content(
    live_server, shop_pages, browser
):
    page = browser.new_page(locale="vi-VN", viewport=PHONE)
    page.goto(f"{live_server.url}/san-pham/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0
    assert skip.evaluate("element => getComputedStyle(element).outlineStyle") != "none"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"
