"""On a phone (390 × 844, Debian chromium through Playwright): a guest buyer signs up from the
order page, confirms the account from the email, signs in, finds the order in the history and
saves an address whose ward list follows the province without a reload."""

import re

from playwright.sync_api import expect

from backend.account.addresses import find_province
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.order_factory import create_order

pytestmark = browser_test_marks

PHONE = {"width": 390, "height": 844}


def test_a_guest_signs_up_from_the_order_page_and_finds_the_order_in_the_account(
    live_server, browser, channel_vn, variant, mailoutbox, settings, tmp_path
):
    settings.PUBLIC_URL = live_server.url
    order = create_order(channel_vn, [(variant, 1)], email="lan.guest@example.com")
    da_nang = find_province("Đà Nẵng")
    hai_chau = da_nang.find_ward("Phường Hải Châu")
    page = browser.new_page(locale="vi-VN", viewport=PHONE)

    page.goto(f"{live_server.url}/don-hang/{order.token}/")
    box = page.locator(".order-sign-up")
    expect(box.get_by_role("heading")).to_have_text("Tạo tài khoản để theo dõi đơn hàng")
    expect(box.get_by_label("Email")).to_have_value("lan.guest@example.com")
    page.screenshot(path=str(screenshot_path(tmp_path, "account-order-sign-up-390.png")))
    box.get_by_label("Mật khẩu").fill(PASSWORD)
    box.get_by_role("button", name="Tạo tài khoản").click()

    expect(page.locator("h1")).to_have_text("Kiểm tra email của bạn")
    (mail,) = mailoutbox
    link = re.search(re.escape(live_server.url) + r"/tai-khoan/xac-nhan/\?\S+", mail.body)
    page.goto(link.group(0))
    page.get_by_role("link", name="Đăng nhập").last.click()
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()

    expect(page.locator("h1")).to_have_text("Đơn hàng của bạn")
    expect(page.get_by_role("link", name=re.compile(f"#{order.number}"))).to_be_visible()
    page.screenshot(path=str(screenshot_path(tmp_path, "account-orders-390.png")))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Địa chỉ", exact=True).click()
    page.get_by_role("link", name="Thêm địa chỉ").click()
    expect(page.get_by_role("button", name="Hiện danh sách phường, xã")).to_be_hidden()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Tỉnh/Thành phố").select_option(da_nang.code)
    expect(page.get_by_label("Phường/Xã")).to_be_enabled()
    page.get_by_label("Phường/Xã").select_option(hai_chau.code)
    page.get_by_label("Số nhà, đường, thôn/xóm").fill("8 Trần Phú")
    page.screenshot(path=str(screenshot_path(tmp_path, "account-address-form-390.png")))
    page.get_by_role("button", name="Lưu địa chỉ").click()

    expect(page.locator(".address-card")).to_contain_text("Phường Hải Châu, Thành phố Đà Nẵng")
    page.screenshot(path=str(screenshot_path(tmp_path, "account-addresses-390.png")))
