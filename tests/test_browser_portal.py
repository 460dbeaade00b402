"""The producer portal and the office console in a real browser (Debian chromium, 390×844)."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from PIL import Image

from backend.account.models import User
from backend.ocop.members import invite_member
from backend.ocop.models import IssuerLevel, ProductGroup
from backend.ocop.services import create_certification
from backend.product.models import Product
from tests.fixtures.browser import browser_test_marks, screenshot_path
from tests.fixtures.catalog import phone_jpeg

pytestmark = browser_test_marks
PHONE = {"width": 390, "height": 844}
OFFICE_PASSWORD = "van-phong-ocop-2026"
GPS_IFD = 0x8825


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


def _graphql(query: str, variables: dict) -> dict:
    response = Client().post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response.json()["data"]


def test_invited_member_lists_a_product_with_photo_variants_and_stock_on_a_phone(
    live_server, browser, producer_a, mailoutbox, tmp_path
):
    shots = iter(range(1, 100))

    def shot(name):
        path = screenshot_path(tmp_path, f"portal-{next(shots):02d}-{name}.png")
        page.screenshot(path=str(path), full_page=True)

    invite_member(producer_a.producer, producer_a.owner, "nhan.vien@tra-tan-cuong.vn", "staff")
    link = re.search(r"https?://\S+(/portal/loi-moi/\S+/)", mailoutbox[-1].body).group(1)

    page = browser.new_page(locale="vi-VN", viewport=PHONE)
    page.goto(f"{live_server.url}{link}")
    shot("invitation")
    page.fill("#password", "nhan-vien-mat-khau-2026")
    page.fill("#password2", "nhan-vien-mat-khau-2026")
    page.get_by_role("button", name="Tạo tài khoản và nhận lời").click()
    page.wait_for_url(f"{live_server.url}/portal/**")
    assert producer_a.producer.name in page.locator(".producer-bar").inner_text()

    page.goto(f"{live_server.url}/portal/san-pham/them/")
    page.fill("#id_name", "Trà móc câu Tân Cương")
    page.fill("#id_description", "Trà búp non hái tay.\nSao bằng chảo gang.")
    page.select_option("#id_category", label="Thực phẩm")
    shot("new-product")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(re.compile(r".*/portal/san-pham/\d+/$"))
    product = Product.objects.get(name="Trà móc câu Tân Cương")
    assert product.producer == producer_a.producer
    assert Client().get(f"/san-pham/{product.slug}/").status_code == 404  # a draft

    variant_form = page.locator(f"form[action='/portal/san-pham/{product.pk}/bien-the/them/']")
    for name, sku, grams, price in (
        ("Túi 100 g", "TRA-MC-100", "100", "85000"),
        ("Hộp 500 g", "TRA-MC-500", "500", "390000"),
    ):
        variant_form.locator("[name=name]").fill(name)
        variant_form.locator("[name=sku]").fill(sku)
        variant_form.locator("[name=weight_grams]").fill(grams)
        variant_form.locator("[name=price-vn]").fill(price)
        variant_form.get_by_role("button", name="Thêm biến thể").click()
        page.wait_for_load_state()
        variant_form = page.locator(f"form[action='/portal/san-pham/{product.pk}/bien-the/them/']")
    assert page.get_by_text("85.000 ₫").count() and page.get_by_text("390.000 ₫").count()
    shot("variants")

    page.goto(f"{live_server.url}/portal/san-pham/{product.pk}/anh/")
    page.set_input_files(
        "input[type=file]",
        {"name": "IMG_0412.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg((1600, 1200))},
    )
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_load_state()
    shot("photos")
    media = product.media.get()
    with media.image.open("rb") as stored:
        exif = Image.open(stored).getexif()
    assert GPS_IFD not in exif and 0x010F not in exif  # no position, no camera

    page.goto(f"{live_server.url}/portal/san-pham/{product.pk}/ton-kho/")
    variants = list(product.variants.order_by("sort_order", "pk"))
    for variant, quantity in zip(variants, ("30", "12"), strict=True):
        page.fill(f"[name=q-{variant.pk}-{producer_a.warehouse.pk}]", quantity)
    page.get_by_role("button", name="Lưu tồn kho").click()
    page.wait_for_load_state()
    shot("stock")
    assert "nhan.vien@tra-tan-cuong.vn" in page.content()  # the history says who

    page.goto(f"{live_server.url}/portal/san-pham/{product.pk}/")
    page.get_by_role("button", name="Đăng bán").click()
    page.wait_for_load_state()
    shot("published")
    assert page.locator(".state-published").count() == 1

    page.goto(f"{live_server.url}/san-pham/{product.slug}/")
    shot("in-the-shop")
    assert page.locator("h1").inner_text() == "Trà móc câu Tân Cương"
    assert "85.000 ₫" in page.content()
    data = _graphql(
        'query($slug: String!) { product(slug: $slug, channel: "vn") { name media { url } '
        "variants { sku quantityAvailable } } }",
        {"slug": product.slug},
    )
    assert data["product"]["name"] == "Trà móc câu Tân Cương"
    assert len(data["product"]["media"]) == 1
    assert {(v["sku"], v["quantityAvailable"]) for v in data["product"]["variants"]} == {
        ("TRA-MC-100", 30),
        ("TRA-MC-500", 12),
    }
