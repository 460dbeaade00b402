"""The public certificate verification page, its QR code, and the demo certifications."""

import io
from datetime import date, timedelta
from io import StringIO

import pytest
import segno
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from backend.ocop import services
from backend.ocop.models import (
    Certification,
    CertificationStatus,
    IssuerLevel,
    Producer,
    ProductGroup,
    Province,
    VerificationStatus,
)
from backend.product.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.PUBLIC_URL = "https://ocop.example"


@pytest.fixture
def certification(staff_product):
    producer = Producer.objects.create(
        name="Công ty TNHH Thủy sản Lenger Việt Nam",
        slug="lenger-verify",
        legal_type="enterprise",
        province=Province.objects.get(code="37"),
    )
    today = timezone.localdate()
    certification = Certification(
        product=staff_product,
        producer=producer,
        stars=4,
        product_group=ProductGroup.FOOD,
        decision_number="3981/QĐ-UBND",
        decision_date=today - timedelta(days=400),
        issuer_level=IssuerLevel.PROVINCE,
        issuer_name="UBND tỉnh Nam Định",
        valid_from=today - timedelta(days=400),
        verification_status=VerificationStatus.VERIFIED,
    )
    certification.save()
    return certification


def _page(certification):
    response = Client().get(f"/ocop/verify/{certification.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_the_certificate(certification):
    page = _page(certification)
    for text in (
        "Mật ong rừng U Minh",
        "Công ty TNHH Thủy sản Lenger Việt Nam",
        "Ninh Bình",
        "3981/QĐ-UBND",
        "UBND tỉnh Nam Định",
        "4 sao",
        'data-state="valid"',
        "Chứng nhận còn hiệu lực",
    ):
        assert text in page


def test_page_says_expired_from_the_day_after_valid_until(certification):
    certification.valid_until = timezone.localdate() - timedelta(days=1)
    certification.save()
    page = _page(certification)
    assert 'data-state="expired"' in page and "hết hiệu lực" in page
    assert "★" not in page


def test_page_says_revoked(certification, staff_product):
    services.revoke_certification(certification, None, "Vi phạm")
    page = _page(certification)
    assert 'data-state="revoked"' in page and "đã thu hồi" in page


def test_unverified_certificate_is_not_public(certification):
    certification.verification_status = VerificationStatus.PENDING
    certification.save()
    assert Client().get(f"/ocop/verify/{certification.code}/").status_code == 404
    assert Client().get("/ocop/verify/khong-co/qr.svg").status_code == 404


def test_qr_svg_encodes_the_page_url(certification):
    response = Client().get(f"/ocop/verify/{certification.code}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    expected = segno.make(f"https://ocop.example/ocop/verify/{certification.code}/", error="m")
    buffer = io.BytesIO()
    expected.save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    assert response.content == buffer.getvalue()


def test_demo_data_certifications():
    call_command("populatedb", stdout=StringIO())
    ai_nghia = Product.objects.get(slug="gao-an-toan-ai-nghia")
    certification = ai_nghia.certifications.get()
    assert certification.issuer_name == "UBND tỉnh Quảng Nam"
    assert certification.valid_until.year == 2022
    assert certification.status == CertificationStatus.EXPIRED
    assert services.best_valid_certification(ai_nghia) is None
    assert 'data-state="expired"' in _page(certification)

    lenger = Product.objects.get(slug="nghieu-thit-hop-lenger")
    assert services.best_valid_certification(lenger).stars == 4
    assert lenger.attributevalues.filter(
        value__attribute__slug="ocop-stars", value__slug="4"
    ).exists()


def test_generated_certifications_match_the_stars_shown():
    call_command("generate_catalog", products=60, seed=3, stdout=StringIO())
    generated = Product.objects.filter(certifications__isnull=False).distinct()
    assert generated.count() == 60
    badges = services.badges_for_products(generated.values_list("pk", flat=True))
    for product in generated.prefetch_related("attributevalues__value__attribute"):
        shown = [
            v.value.slug
            for v in product.attributevalues.all()
            if v.value.attribute.slug == "ocop-stars"
        ]
        badge = badges.get(product.pk)
        assert shown == ([str(badge.stars)] if badge else [])
    assert date(2000, 1, 1) < min(c.valid_until for c in badges.values())
