"""The OCOP office in the Django admin: permission-gated, reasons asked, evidence private."""

from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client

from backend.account.models import User
from backend.ocop.models import (
    AuditAction,
    Certification,
    CertificationStatus,
    IssuerLevel,
    Producer,
    ProductGroup,
    Province,
    VerificationStatus,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/ocop/certification/"


@pytest.fixture
def producer(db):
    return Producer.objects.create(
        name="Hộ kinh doanh Quang Minh",
        slug="hkd-quang-minh-admin",
        legal_type="household",
        province=Province.objects.get(code="37"),
    )


@pytest.fixture
def certification(staff_product, producer):
    certification = Certification(
        product=staff_product,
        producer=producer,
        stars=3,
        product_group=ProductGroup.FOOD,
        decision_number="231/QĐ-UBND",
        decision_date=date(2025, 3, 1),
        issuer_level=IssuerLevel.DISTRICT,
        issuer_name="UBND huyện Ý Yên",
        valid_from=date(2025, 3, 1),
    )
    certification.save()
    certification.evidence.save("quyet-dinh.pdf", ContentFile(b"%PDF-1.4 scan"))
    return certification


def _staff(email, with_permission):
    user = User.objects.create_user(email, "mat-khau-dai-123", is_staff=True)
    if with_permission:
        user.user_permissions.add(Permission.objects.get(codename="verify_certifications"))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def officer():
    return _staff("officer@ocop.example", True)


@pytest.fixture
def other_staff():
    return _staff("catalog@ocop.example", False)


def _action(client, action, objects, url=CHANGELIST, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}
    return client.post(url, data)


def test_staff_without_permission_gets_403(certification, other_staff):
    _user, client = other_staff
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"{CHANGELIST}{certification.pk}/change/").status_code == 403
    assert _action(client, "verify_certifications", [certification]).status_code == 403
    assert client.get(f"/ocop/evidence/{certification.pk}/").status_code == 403
    certification.refresh_from_db()
    assert certification.verification_status == VerificationStatus.PENDING


def test_officer_sees_the_evidence_beside_the_form(certification, officer):
    _user, client = officer
    page = client.get(f"{CHANGELIST}{certification.pk}/change/").content.decode()
    assert f'src="/ocop/evidence/{certification.pk}/"' in page
    evidence = client.get(f"/ocop/evidence/{certification.pk}/")
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content) == b"%PDF-1.4 scan"


def test_evidence_is_not_under_public_media(certification, settings):
    path = certification.evidence.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert Client().get(f"/ocop/evidence/{certification.pk}/").status_code == 302  # to login


def test_officer_verifies(certification, officer):
    user, client = officer
    response = _action(client, "verify_certifications", [certification])
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.verification_status == VerificationStatus.VERIFIED
    assert certification.verified_by == user
    assert certification.events.filter(action=AuditAction.VERIFIED, actor=user).exists()


def test_revoke_asks_a_reason_first(certification, officer):
    user, client = officer
    form = _action(client, "revoke_certification", [certification])
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.VALID  # nothing happens yet

    blank = _action(client, "revoke_certification", [certification], apply="1", reason="")
    assert blank.status_code == 200
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.VALID

    done = _action(
        client, "revoke_certification", [certification], apply="1", reason="Hàng giả nhãn OCOP"
    )
    assert done.status_code == 302
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REVOKED
    event = certification.events.get(action=AuditAction.REVOKED)
    assert (event.actor, event.reason) == (user, "Hàng giả nhãn OCOP")
    history = client.get(f"{CHANGELIST}{certification.pk}/change/").content.decode()
    assert "Hàng giả nhãn OCOP" in history


def test_reject_producer_with_reason(producer, officer, other_staff):
    url = "/admin/ocop/producer/"
    _other, other_client = other_staff
    other_staff[0].user_permissions.add(Permission.objects.get(codename="change_producer"))
    denied = _action(other_client, "reject_producer", [producer], url=url, apply="1", reason="x")
    assert denied.status_code in (200, 302)
    producer.refresh_from_db()
    assert producer.verification_status == VerificationStatus.PENDING

    user, client = officer
    user.user_permissions.add(Permission.objects.get(codename="change_producer"))
    response = _action(
        client, "reject_producer", [producer], url=url, apply="1", reason="Sai mã số thuế"
    )
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.verification_status == VerificationStatus.REJECTED
    assert producer.events.get().reason == "Sai mã số thuế"
