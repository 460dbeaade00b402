"""A new customer opens the confirmation email's link in a real browser (Debian chromium through
Playwright) and can sign in afterwards."""

import re

from backend.account.models import User
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.browser import browser_test_marks, screenshot_path

pytestmark = browser_test_marks

REGISTER = """
mutation ($input: AccountRegisterInput!) {
  accountRegister(input: $input) { requiresConfirmation errors { field code } }
}
"""
TOKEN_CREATE = """
mutation ($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { code } }
}
"""


def test_the_confirmation_link_confirms_the_account_in_the_shop(
    live_server, browser, api_client, mailoutbox, settings, tmp_path
):
    settings.PUBLIC_URL = live_server.url
    result = api_client.execute(
        REGISTER, {"input": {"email": "mai@example.com", "password": PASSWORD}}
    )["data"]["accountRegister"]
    assert result == {"requiresConfirmation": True, "errors": []}
    (mail,) = mailoutbox
    link = re.search(re.escape(live_server.url) + r"/tai-khoan/xac-nhan/\?\S+", mail.body).group(0)

    page = browser.new_page(locale="vi-VN")
    page.goto(link)

    assert page.locator("h1").inner_text() == "Xác nhận tài khoản"
    assert page.locator(".confirm-result").inner_text() == "Tài khoản của bạn đã được xác nhận."
    page.screenshot(path=str(screenshot_path(tmp_path, "account-confirmed-vi.png")))
    assert User.objects.get(email="mai@example.com").is_confirmed
    signed_in = api_client.execute(TOKEN_CREATE, {"email": "mai@example.com", "password": PASSWORD})
    assert signed_in["data"]["tokenCreate"]["token"]

    page.goto(link)
    assert page.locator(".confirm-result").inner_text() == (
        "Liên kết xác nhận không hợp lệ hoặc đã hết hạn."
    )
