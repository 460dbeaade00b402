"""A new buyer's whole visit in a real browser (Debian chromium through Playwright), on a phone
and on a desktop, in Vietnamese and in English: home → provinces → Ninh Bình → 4★ filter → a
product → its producer → back → add to cart → checkout with cash on delivery → sign up from the
order page → the order in the account's history. A screenshot of every page is kept in
$STOREFRONT_SCREENSHOTS/journey-<screen>-<language>/ (`make test` keeps them under
tests/artefacts/)."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from backend.account.addresses import find_province
from backend.ocop import services as ocop_services
from backend.ocop.models import (
    IssuerLevel,
    Producer,
    ProducerType,
    ProductGroup,
    Province,
    VerificationStatus,
)
from backend.order.models import Order
from backend.payment.gateways import COD
from tests.fixtures.browser import browser_test_marks, screenshot_path

pytestmark = browser_test_marks

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LOCALES = {"vi": "vi-VN", "en": "en-GB"}
PASSWORD = "Com-chay-2025"
TEXT = {
    "vi": {
        "all_provinces": "Tất cả 34 tỉnh, thành phố",
        "four_stars": "Từ 4★",
        "add": "Thêm vào giỏ",
        "create_account": "Tạo tài khoản",
        "password": "Mật khẩu",
        "sign_in": "Đăng nhập",
        "orders": "Đơn hàng của bạn",
    },
    "en": {
        "all_provinces": "All 34 provinces and cities",
        "four_stars": "4★ and up",
        "add": "Add to cart",
        "create_account": "Create account",
        "password": "Password",
        "sign_in": "Sign in",
        "orders": "Your orders",
    },
}


@pytest.fixture
def ninh_binh_shop(make_product, category_tree, shipping_zones):
    """A verified Ninh Bình cooperative with two 4★ products and a 3★ one, delivered
    nationwide."""
    province = Province.objects.get(slug="ninh-binh")
    producer = Producer.objects.create(
        name="HTX Cơm cháy Hoa Lư",
        slug="htx-com-chay-hoa-lu",
        legal_type=ProducerType.COOPERATIVE,
        province=province,
        address="Xã Hoa Lư, tỉnh Ninh Bình",
        story="Cơm cháy làm từ gạo tám Hoa Lư, sấy bằng than hoa.",
        verification_status=VerificationStatus.VERIFIED,
    )
    products = {}
    for name, slug, stars, price in (
        ("Cơm cháy chà bông Hoa Lư", "com-chay-cha-bong-hoa-lu", 4, 65_000),
        ("Dê núi khô Nho Quan", "de-nui-kho-nho-quan", 4, 320_000),
        ("Rượu cần Nho Quan", "ruou-can-nho-quan", 3, 150_000),
    ):
        product = make_product(name, slug, category_tree["food"], prices_vnd=(price,))
        product.producer = producer
        product.save(update_fields=["producer"])
        ocop_services.create_certification(
            product=product,
            producer=producer,
            stars=stars,
            product_group=ProductGroup.FOOD,
            decision_number=f"{stars}12/QĐ-UBND",
            decision_date=date.today() - timedelta(days=60),
            issuer_level=IssuerLevel.PROVINCE,
            issuer_name="UBND tỉnh Ninh Bình",
            valid_from=date.today() - timedelta(days=60),
            verification_status=VerificationStatus.VERIFIED,
        )
        products[slug] = product
    return producer, products


def _shot(page, folder, number, name):
    path = screenshot_path(folder.parent, f"{folder.name}/{number:02d}-{name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_new_buyer_finds_a_ninh_binh_product_buys_it_and_signs_up(
    live_server, browser, ninh_binh_shop, mailoutbox, settings, tmp_path, screen, language
):
    settings.PUBLIC_URL = live_server.url
    producer, products = ninh_binh_shop
    text = TEXT[language]
    email = f"lan.{screen}.{language}@example.com"
    folder = tmp_path / f"journey-{screen}-{language}"
    page = browser.new_page(locale=LOCALES[language], viewport=SCREENS[screen])

    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")  # Vietnamese first
    if language == "en":  # the header's switch, remembered for the visit
        page.locator("form.language button[value=en]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    _shot(page, folder, 1, "home")

    page.get_by_role("link", name=text["all_provinces"]).click()
    page.wait_for_url("**/tinh-thanh/")
    _shot(page, folder, 2, "provinces")

    if screen == "desktop":  # the map's Ninh Bình
        page.locator(".province-map a[href$='/tinh-thanh/ninh-binh/']").click()
    else:  # the list under the map
        page.locator(".province-list a[href$='/tinh-thanh/ninh-binh/']").click()
    page.wait_for_url("**/tinh-thanh/ninh-binh/")
    expect(page.locator("h1")).to_have_text("Ninh Bình")
    expect(page.locator(".grid .card")).to_have_count(3)
    _shot(page, folder, 3, "ninh-binh")

    filters = page.locator("details.filters")
    if filters.count() and not filters.evaluate("element => element.open"):
        filters.locator("summary").click()
    page.get_by_role("link", name=re.compile(re.escape(text["four_stars"]))).click()
    page.wait_for_url(re.compile(r"stars=4"))
    expect(page.locator(".grid .card")).to_have_count(2)
    _shot(page, folder, 4, "ninh-binh-4-stars")

    page.get_by_role("link", name="Cơm cháy chà bông Hoa Lư").first.click()
    page.wait_for_url("**/san-pham/com-chay-cha-bong-hoa-lu/")
    expect(page.locator("h1")).to_have_text("Cơm cháy chà bông Hoa Lư")
    expect(page.locator(".ocop-badge").first).to_contain_text("4★")
    _shot(page, folder, 5, "product")

    page.locator(".producer-card a[href$='/nha-san-xuat/htx-com-chay-hoa-lu/']").first.click()
    page.wait_for_url("**/nha-san-xuat/htx-com-chay-hoa-lu/")
    expect(page.locator("h1")).to_have_text(producer.name)
    _shot(page, folder, 6, "producer")

    page.go_back()
    page.wait_for_url("**/san-pham/com-chay-cha-bong-hoa-lu/")
    page.locator("form.add-to-cart").get_by_role("button", name=text["add"]).click()
    page.wait_for_url("**/gio-hang/")
    expect(page.locator(".cart-count")).to_have_text("1")
    _shot(page, folder, 7, "cart")

    page.locator(".cart-summary a.button").click()
    page.wait_for_url("**/thanh-toan/")
    ninh_binh = find_province("Ninh Bình")
    ward = ninh_binh.wards[0]
    page.fill("#email", email)
    page.fill("#full_name", "Nguyễn Thị Lan")
    page.fill("#phone", "0912345678")
    page.select_option("#province", ninh_binh.code)
    page.wait_for_selector(f"#ward option[value='{ward.code}']", state="attached")
    page.select_option("#ward", ward.code)
    page.fill("#street", "3 Tràng An")
    page.locator("#deliveries input[name=delivery]").first.check()
    page.locator(f"input[name=gateway][value='{COD}']").check()
    _shot(page, folder, 8, "checkout")
    page.locator("button[name=action][value=place]").click()
    page.wait_for_url("**/don-hang/**")

    order = Order.objects.get(user_email=email)
    assert order.lines.get().product_name == "Cơm cháy chà bông Hoa Lư"
    _shot(page, folder, 9, "order")

    box = page.locator(".order-sign-up")
    expect(box.get_by_label("Email")).to_have_value(email)
    box.get_by_label(text["password"]).fill(PASSWORD)
    box.get_by_role("button", name=text["create_account"]).click()
    confirmation = re.compile(re.escape(live_server.url) + r"/tai-khoan/xac-nhan/\?\S+")
    (link,) = [
        found.group(0)
        for message in mailoutbox
        if email in message.to and (found := confirmation.search(message.body))
    ]
    page.goto(link)
    _shot(page, folder, 10, "account-confirmed")
    page.get_by_role("link", name=text["sign_in"]).last.click()
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=text["sign_in"]).click()

    expect(page.locator("h1")).to_have_text(text["orders"])
    expect(page.get_by_role("link", name=re.compile(f"#{order.number}"))).to_be_visible()
    _shot(page, folder, 11, "account-orders")
    order.refresh_from_db()
    assert order.user is not None and order.user.email == email
