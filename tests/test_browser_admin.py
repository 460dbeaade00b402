"""A clerk in a real browser (Debian chromium through Playwright) on a phone-sized screen: the
order page of the office console in Vietnamese, fulfilled with its button, then in English."""

import pytest

from backend.account.models import User
from backend.order.models import OrderEvents, OrderStatus
from backend.payment.gateways import COD
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order, grant

pytestmark = browser_test_marks
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def clerk(db):
    user = User.objects.create_user("thu.ky@ocop.example", PASSWORD, is_staff=True)
    return grant(user, "order", "manage_orders")


@pytest.fixture
def order(channel_vn, variant):
    order = create_order(channel_vn, [(variant, 2)], address_data=VN_ADDRESS, gateway=COD)
    order.events.filter(type=OrderEvents.PLACED).update(parameters={"gateway": COD})
    return order


def test_clerk_fulfils_an_order_on_a_phone(live_server, browser, clerk, order, variant, tmp_path):
    page = browser.new_page(locale="vi-VN", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/order/order/{order.pk}/change/")
    page.fill("#id_username", clerk.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/admin/order/order/{order.pk}/change/")

    assert "Bảng điều khiển văn phòng điều phối OCOP" in page.locator("#site-name").inner_text()
    assert page.get_by_role("link", name="0912 345 678").get_attribute("href") == (
        "tel:+84912345678"
    )
    assert page.locator(".field-payment_method .readonly").inner_text() == (
        "Thanh toán khi nhận hàng (COD)"
    )
    assert page.locator(".field-total .readonly").inner_text() == "280.000 ₫"
    history = page.locator("#events-group")
    assert "Đã đặt hàng, thanh toán bằng Thanh toán khi nhận hàng (COD)" in history.inner_text()
    fulfil = page.get_by_role("button", name="Xuất kho (giao toàn bộ)")
    box = fulfil.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # on screen, no sideways scroll
    line_total = page.locator("#lines-group td.field-total_price").bounding_box()
    assert line_total["x"] + line_total["width"] <= 390  # the lines fit the phone too
    page.screenshot(path=str(screenshot_path(tmp_path, "admin-order-vi.png")), full_page=True)

    fulfil.click()
    page.wait_for_load_state()
    assert f"Đã xuất kho đơn hàng #{order.number}." in page.locator(".messagelist").inner_text()
    assert page.locator(".field-status .readonly").inner_text() == "Đã xuất kho"
    assert f"Đã xuất kho 2 sản phẩm (lần giao {order.number}-1)" in history.inner_text()
    assert "thu.ky@ocop.example" in history.inner_text()
    assert page.get_by_role("button", name="Xuất kho (giao toàn bộ)").count() == 0
    page.screenshot(
        path=str(screenshot_path(tmp_path, "admin-order-fulfilled-vi.png")), full_page=True
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED
    assert variant.stocks.get().quantity == 8

    # The one editable field still saves beside the read-only history.
    page.fill("#id_customer_note", "Giao giờ hành chính")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    page.wait_for_load_state()
    order.refresh_from_db()
    assert order.customer_note == "Giao giờ hành chính"

    page.locator(".console-language").get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "OCOP coordination office console" in page.locator("#site-name").inner_text()
    assert page.locator(".field-payment_method .readonly").inner_text() == "Cash on delivery"
    assert "Order placed, to be paid by Cash on delivery" in history.inner_text()
    page.screenshot(path=str(screenshot_path(tmp_path, "admin-order-en.png")), full_page=True)
