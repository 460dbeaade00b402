"""The producer portal and the office console in a real browser (Debian chromium, 390×844)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from backend.account.models import User
from backend.ocop.models import IssuerLevel, ProductGroup
from backend.ocop.services import create_certification
from tests.fixtures.browser import browser_test_marks, screenshot_path

pytestmark = browser_test_marks
PHONE = {"width": 390, "height": 844}
OFFICE_PASSWORD = "van-phong-ocop-2026"


@pytest.fixture
def officer(db):
    user = User.objects.create_user("can.bo@ocop.example", OFFICE_PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="verify_certifications"))
    return user


def test_office_verifies_a_certification_and_the_badge_appears_in_the_shop(
    live_server, browser, producer_a, officer, tmp_path
):
    certification = create_certification(
        product=producer_a.product,
        stars=4,
        product_group=ProductGroup.FOOD,
        decision_number="1234/QĐ-UBND",
        decision_date=date(2026, 3, 2),
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh Thái Nguyên",
        valid_from=date(2026, 3, 2),
    )
    page = browser.new_page(locale="vi-VN", viewport=PHONE)
    shop_page = f"{live_server.url}/san-pham/{producer_a.product.slug}/"
    page.goto(shop_page)
    assert page.locator(".ocop-badge").count() == 0  # pending: no badge yet

    page.goto(f"{live_server.url}/admin/ocop/certification/")
    page.fill("#id_username", officer.email)
    page.fill("#id_password", OFFICE_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/admin/ocop/certification/")
    page.locator(f"input[name=_selected_action][value='{certification.pk}']").check()
    page.select_option("select[name=action]", "verify_certifications")
    page.screenshot(path=str(screenshot_path(tmp_path, "office-verify-vi.png")), full_page=True)
    page.get_by_role("button", name="Đi đến").click()
    page.wait_for_load_state()
    assert "Đã xác minh 1 chứng nhận" in page.locator(".messagelist").inner_text()

    page.goto(shop_page)
    assert page.locator(".ocop-badge").first.inner_text() == "OCOP 4★"
    page.screenshot(path=str(screenshot_path(tmp_path, "shop-badge-vi.png")), full_page=True)
