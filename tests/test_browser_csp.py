"""The content security policy breaks nothing a visitor sees: the shop, the certificate page
with its QR code and inline style, the admin and GraphiQL raise no CSP violation in chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.account.models import User
from backend.ocop.models import (
    Certification,
    IssuerLevel,
    Producer,
    ProductGroup,
    Province,
    VerificationStatus,
)
from backend.order.models import Order
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.browser import browser_test_marks
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order
from tests.storefront_data import DESCRIPTION, Shop

pytestmark = browser_test_marks

WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def certificate():
    shop = Shop()
    sauces = shop.category("Nước mắm", "nuoc-mam")
    product = shop.product("Nước mắm Cửa Lò", "nuoc-mam-cua-lo", sauces, description=DESCRIPTION)
    producer = Producer.objects.create(
        name="HTX Nước mắm Cửa Lò",
        slug="nuoc-mam-cua-lo",
        legal_type="cooperative",
        province=Province.objects.get(code="37"),
    )
    day = timezone.localdate()
    certification = Certification(
        product=product,
        producer=producer,
        stars=4,
        product_group=ProductGroup.FOOD,
        decision_number="7/QĐ-UBND",
        decision_date=day - timedelta(days=30),
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh Nghệ An",
        valid_from=day - timedelta(days=30),
        verification_status=VerificationStatus.VERIFIED,
    )
    certification.save()
    User.objects.create_superuser("quantri@example.com", PASSWORD)
    create_order(shop.channel, [(product.variants.get(), 1)], address_data=VN_ADDRESS)
    return certification


def test_pages_raise_no_csp_violation(live_server, certificate, browser):
    page = browser.new_page(locale="vi-VN")
    page.add_init_script(WATCH_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    seen = {}

    def visit(path):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "Content-Security-Policy" in {name.title() for name in response.headers}
        page.wait_for_load_state("networkidle")
        seen[path] = page.evaluate("window.cspViolations")

    visit("/")
    visit("/san-pham/nuoc-mam-cua-lo/")
    verify_path = f"/ocop/verify/{certificate.code}/"
    visit(verify_path)
    # The inline style applied (nonce) and the QR image loaded.
    assert page.eval_on_selector(".qr", "el => getComputedStyle(el).textAlign") == "center"
    assert page.eval_on_selector(".qr img", "img => img.naturalWidth") > 0
    visit("/admin/login/")
    page.fill("#id_username", "quantri@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    visit("/admin/account/user/")
    visit(f"/admin/account/user/{User.objects.get(email='quantri@example.com').pk}/change/")
    visit(f"/admin/order/order/{Order.objects.get().pk}/change/")
    visit("/graphql/")

    assert all(violations == [] for violations in seen.values()), seen
    assert not [text for text in console if "Content Security Policy" in text], console
