"""A producer on a 390 px phone signs in, opens a new order, packs it and hands it to a carrier
with the tracking code — plain forms, no script needed — and the overview and the certificate
form fit the screen."""

import pytest

from backend.order.models import Fulfillment
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.fixtures.checkout import VN_ADDRESS
from tests.fixtures.producers import MEMBER_PASSWORD
from tests.order_factory import create_order

pytestmark = browser_test_marks

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def order(channel_vn, producer_a, producer_b):
    return create_order(
        channel_vn, [(producer_a.variant, 2), (producer_b.variant, 1)], address_data=VN_ADDRESS
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_producer_packs_and_ships_an_order_on_a_phone(
    live_server, order, producer_a, producer_b, browser, tmp_path
):
    page = browser.new_page(locale="vi-VN", viewport=PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/portal/don-hang/")
    page.fill("input[name=email]", producer_a.owner.email)
    page.fill("input[name=password]", MEMBER_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/portal/don-hang/")
    assert fits_the_screen(page)

    page.click(f"text=#{order.number}")
    assert "Nguyễn Lan" in page.inner_text("main")
    assert producer_b.product.name not in page.inner_text("main")
    assert fits_the_screen(page)
    page.click("text=Đánh dấu đã đóng gói")
    assert "Đã đánh dấu đã đóng gói." in page.inner_text(".messages")

    page.select_option("select[name=carrier]", "ghn")
    page.fill("input[name=tracking_number]", "GHN5566")
    page.screenshot(path=screenshot_path(tmp_path, "portal-order-phone.png"), full_page=True)
    page.click("text=Đánh dấu đã giao cho đơn vị vận chuyển")
    assert "người mua đã được báo qua email" in page.inner_text(".messages")
    assert "GHN5566" in page.inner_text("main")
    fulfillment = Fulfillment.objects.get()
    assert (fulfillment.carrier, fulfillment.tracking_number) == ("ghn", "GHN5566")

    for path in ("/portal/", "/portal/chung-nhan/moi/"):
        page.goto(f"{live_server.url}{path}")
        assert fits_the_screen(page), path
    page.screenshot(path=screenshot_path(tmp_path, "portal-certificate-phone.png"), full_page=True)
