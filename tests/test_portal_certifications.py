"""The portal's certifications: each badge's verification and validity, an "expires in N days"
warning from 90 and 30 days with the reminders already emailed, a new certification sent with a
scan checked by its content, evidence sent again after a rejection; another producer's
certifications answer 404."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from backend.ocop import services
from backend.ocop.models import (
    AuditAction,
    AuditEvent,
    Certification,
    CertificationStatus,
    VerificationStatus,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def certify(cast, *, days_left=400, verification=VerificationStatus.VERIFIED, **fields):
    today = services.today()
    return Certification.objects.create(
        product=cast.product,
        producer=cast.producer,
        stars=fields.pop("stars", 4),
        product_group="food",
        decision_number=fields.pop("decision_number", "1234/QĐ-UBND"),
        decision_date=today - timedelta(days=30),
        issuer_level="province",
        issuer_name="UBND tỉnh",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=days_left),
        verification_status=verification,
        **fields,
    )


@pytest.fixture
def member_a(client, producer_a):
    client.force_login(producer_a.owner)
    return client


def new_request(producer, evidence, **overrides):
    today = services.today()
    data = {
        "product": producer.product.pk,
        "stars": 4,
        "product_group": "food",
        "decision_number": "567/QĐ-UBND",
        "decision_date": (today - timedelta(days=10)).isoformat(),
        "issuer_level": "province",
        "issuer_name": "UBND tỉnh Thái Nguyên",
        "certificate_number": "",
        "valid_from": (today - timedelta(days=10)).isoformat(),
        "evidence": evidence,
    }
    data.update(overrides)
    return data


def test_list_shows_states_expiry_warnings_and_reminders_sent(member_a, producer_a, producer_b):
    soon = certify(producer_a, days_left=20, decision_number="SOON")
    later = certify(producer_a, days_left=60, stars=3)
    certify(producer_a, days_left=400, stars=5)
    rejected = certify(
        producer_a, verification=VerificationStatus.REJECTED, rejection_reason="Ảnh mờ"
    )
    certify(producer_a, days_left=-5, status=CertificationStatus.EXPIRED)
    certify(producer_b, decision_number="B-ONLY")
    services.record(AuditAction.REMINDER_90, certification=soon)
    services.record(AuditAction.REMINDER_30, certification=soon)
    services.record(AuditAction.REMINDER_90, certification=later)

    page = member_a.get(reverse("portal:certifications")).content.decode()
    assert "Hết hạn sau 20 ngày" in page
    assert "Hết hạn sau 60 ngày" in page
    assert page.count("expiry-warning expiry-30") == 1
    assert page.count("expiry-warning expiry-90") == 1
    assert page.count("Nhắc hết hạn trước 90 ngày") == 2
    assert page.count("Nhắc hết hạn trước 30 ngày") == 1
    assert "Ảnh mờ" in page and "Bị từ chối" in page
    assert "Hết hiệu lực" in page
    assert producer_b.product.name not in page
    assert reverse("portal:certification", args=[rejected.pk]) in page


@pytest.mark.parametrize("count", [2, 45])
def test_list_reads_a_bounded_number_of_queries_a_page_at_a_time(
    member_a, producer_a, count, django_assert_max_num_queries
):
    for index in range(count):
        certification = certify(producer_a, days_left=10 + index)
        services.record(AuditAction.REMINDER_30, certification=certification)
    with django_assert_max_num_queries(6):
        response = member_a.get(reverse("portal:certifications"))
    shown = min(count, 20)
    assert response.content.decode().count('class="certification-row"') == shown
    if count > 20:
        last = member_a.get(reverse("portal:certifications"), {"page": 3}).content.decode()
        assert last.count('class="certification-row"') == count - 40


def test_a_new_certification_is_sent_pending_with_its_scan(member_a, producer_a):
    evidence = SimpleUploadedFile("quyet dinh.PDF", PDF, content_type="application/pdf")
    response = member_a.post(reverse("portal:certification_new"), new_request(producer_a, evidence))
    certification = Certification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:certification", args=[certification.pk])
    assert certification.verification_status == VerificationStatus.PENDING
    assert certification.producer_id == producer_a.producer.pk
    assert certification.stars == 4 and certification.decision_number == "567/QĐ-UBND"
    assert certification.evidence.name.endswith(".pdf")
    assert certification.evidence.read() == PDF
    assert AuditEvent.objects.filter(
        certification=certification, action=AuditAction.CREATED, actor=producer_a.owner
    ).exists()
    page = member_a.get(response["Location"]).content.decode()
    assert "Chờ xác minh" in page


def test_a_png_scan_is_accepted(member_a, producer_a):
    evidence = SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png")
    response = member_a.post(reverse("portal:certification_new"), new_request(producer_a, evidence))
    assert response.status_code == 302
    assert Certification.objects.get().evidence.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quyet-dinh.pdf", b"just some text pretending to be a PDF"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"not really an image"),
        ("virus.exe", b"MZ\x90\x00"),
        ("lon.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)),
    ],
)
def test_evidence_is_checked_by_content_and_size(member_a, producer_a, name, content):
    evidence = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = member_a.post(reverse("portal:certification_new"), new_request(producer_a, evidence))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Certification.objects.exists()


@pytest.mark.parametrize("overrides", [{"stars": 2}, {"decision_number": ""}, {"scan": None}])
def test_bad_input_creates_nothing(member_a, producer_a, overrides):
    evidence = SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")
    data = new_request(producer_a, evidence, **overrides)
    if "scan" in data:
        del data["scan"], data["evidence"]
    response = member_a.post(reverse("portal:certification_new"), data)
    assert response.status_code == 400
    assert not Certification.objects.exists()


def test_another_producers_product_cannot_be_certified(member_a, producer_a, producer_b):
    evidence = SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")
    data = new_request(producer_a, evidence, product=producer_b.product.pk)
    response = member_a.post(reverse("portal:certification_new"), data)
    assert response.status_code == 400
    assert not Certification.objects.exists()


def test_evidence_sent_again_puts_a_rejected_certification_back_to_pending(member_a, producer_a):
    rejected = certify(
        producer_a, verification=VerificationStatus.REJECTED, rejection_reason="Thiếu dấu"
    )
    url = reverse("portal:certification", args=[rejected.pk])
    evidence = SimpleUploadedFile("moi.pdf", PDF, content_type="application/pdf")
    response = member_a.post(url, {"evidence": evidence})
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.verification_status == VerificationStatus.PENDING
    assert rejected.evidence.read() == PDF
    assert AuditEvent.objects.filter(certification=rejected, action=AuditAction.CHANGED).exists()


def test_bad_evidence_sent_again_changes_nothing(member_a, producer_a):
    rejected = certify(producer_a, verification=VerificationStatus.REJECTED)
    url = reverse("portal:certification", args=[rejected.pk])
    evidence = SimpleUploadedFile("moi.pdf", b"hello", content_type="application/pdf")
    assert member_a.post(url, {"evidence": evidence}).status_code == 400
    rejected.refresh_from_db()
    assert rejected.verification_status == VerificationStatus.REJECTED
    assert not rejected.evidence


def test_a_verified_certification_keeps_its_evidence(member_a, producer_a):
    verified = certify(producer_a)
    url = reverse("portal:certification", args=[verified.pk])
    assert 'type="file"' not in member_a.get(url).content.decode()
    evidence = SimpleUploadedFile("moi.pdf", PDF, content_type="application/pdf")
    assert member_a.post(url, {"evidence": evidence}).status_code == 400
    verified.refresh_from_db()
    assert verified.verification_status == VerificationStatus.VERIFIED
    assert not verified.evidence


def test_another_producers_certification_answers_404(member_a, producer_b):
    theirs = certify(producer_b, verification=VerificationStatus.REJECTED)
    url = reverse("portal:certification", args=[theirs.pk])
    assert member_a.get(url).status_code == 404
    evidence = SimpleUploadedFile("moi.pdf", PDF, content_type="application/pdf")
    assert member_a.post(url, {"evidence": evidence}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.verification_status == VerificationStatus.REJECTED and not theirs.evidence
