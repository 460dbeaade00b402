"""A new producer joins: the office invites it in the admin, its owner accepts, lands in the
portal and completes the profile (legal form, tax code, province → ward, phone, photos)."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from backend.account.models import User
from backend.ocop.models import (
    AuditAction,
    AuditEvent,
    Producer,
    ProducerMembership,
    ProducerPhoto,
    ProducerRole,
    Province,
    VerificationStatus,
)
from tests.fixtures.catalog import GPS_IFD, phone_jpeg
from tests.fixtures.producers import add_member

pytestmark = pytest.mark.django_db
INVITE_PAGE = "/admin/ocop/producer/invite/"
EDIT = reverse("portal:profile_edit")
PASSWORD = "mat-khau-chu-co-so-2026"


def office(with_permission=True):
    email = f"vanphong{int(with_permission)}@ocop.gov.vn"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, "mat-khau-dai-123", is_staff=True
    )
    if with_permission:
        user.user_permissions.add(Permission.objects.get(codename="verify_certifications"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def thai_nguyen(db):
    return Province.objects.get(code="19")


def invite_form(province, **extra):
    return {
        "name": "Hợp tác xã Chè Tân Cương Xanh",
        "legal_type": "cooperative",
        "province": province.pk,
        "email": "chu@che-xanh.vn",
        **extra,
    }


@pytest.fixture
def invited(thai_nguyen, mailoutbox, django_capture_on_commit_callbacks):
    """The office invited a producer; returns the path of the link emailed to its owner."""
    with django_capture_on_commit_callbacks(execute=True):
        response = office().post(INVITE_PAGE, invite_form(thai_nguyen))
    assert response.status_code == 302
    (mail,) = mailoutbox
    return "/" + re.search(r"https?://\S+/(portal/loi-moi/\S+/)", mail.body).group(1)


@pytest.fixture
def owner_client(invited, client):
    """The invited owner, signed in after accepting."""
    response = client.post(invited, {"password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == EDIT
    return client


def profile_form(province, **extra):
    return {
        "legal_type": "cooperative",
        "tax_code": "4600123456",
        "province": province.pk,
        "ward": "Phường Bách Quang",
        "address": "Xóm 3",
        "phone": "0912 345 678",
        "story": "Chè búp hái tay.",
        "action": "save",
        **extra,
    }


def test_office_invites_a_producer_pending_with_an_email(invited, mailoutbox):
    producer = Producer.objects.get()
    assert producer.name == "Hợp tác xã Chè Tân Cương Xanh"
    assert producer.verification_status == VerificationStatus.PENDING
    assert producer.province.code == "19" and producer.slug
    assert mailoutbox[0].to == ["chu@che-xanh.vn"]
    assert "Hợp tác xã Chè Tân Cương Xanh" in mailoutbox[0].subject
    assert AuditEvent.objects.filter(producer=producer, action=AuditAction.CREATED).exists()


def test_office_without_the_permission_cannot_invite(thai_nguyen, mailoutbox):
    client = office(with_permission=False)
    assert client.get(INVITE_PAGE).status_code == 403
    assert client.post(INVITE_PAGE, invite_form(thai_nguyen)).status_code == 403
    assert not Producer.objects.exists() and mailoutbox == []


def test_invite_form_with_a_bad_email_creates_nothing(thai_nguyen, mailoutbox):
    response = office().post(INVITE_PAGE, invite_form(thai_nguyen, email="khong-phai-email"))
    assert response.status_code == 200
    assert not Producer.objects.exists() and mailoutbox == []


def test_invited_owner_lands_in_the_portal_with_the_pending_banner(owner_client):
    producer = Producer.objects.get()
    owner = User.objects.get(email="chu@che-xanh.vn")
    assert ProducerMembership.objects.get(user=owner).role == ProducerRole.OWNER
    assert producer.members.get() == owner
    page = owner_client.get(reverse("portal:profile")).content.decode()
    assert "chờ văn phòng OCOP xác minh" in page


def test_owner_completes_the_profile(owner_client, thai_nguyen):
    response = owner_client.post(EDIT, profile_form(thai_nguyen, tax_code="4600123456-001"))

    assert response.status_code == 302
    producer = Producer.objects.get()
    assert producer.tax_code == "4600123456-001"
    assert producer.ward == "Phường Bách Quang" and producer.phone == "+84912345678"
    assert producer.verification_status == VerificationStatus.PENDING


@pytest.mark.parametrize("tax_code", ["12345", "46001234567", "4600123456-01", "460012345a"])
def test_bad_tax_code_is_refused_and_nothing_saved(owner_client, thai_nguyen, tax_code):
    response = owner_client.post(EDIT, profile_form(thai_nguyen, tax_code=tax_code))

    assert response.status_code == 400
    assert "Mã số thuế gồm 10 chữ số" in response.content.decode()
    producer = Producer.objects.get()
    assert (producer.tax_code, producer.ward, producer.phone, producer.story) == ("", "", "", "")


def test_ward_must_belong_to_the_province(owner_client, thai_nguyen):
    # Phường An Bình is in Cần Thơ, not in Thái Nguyên.
    response = owner_client.post(EDIT, profile_form(thai_nguyen, ward="Phường An Bình"))

    assert response.status_code == 400
    assert "không phải phường/xã của" in response.content.decode()
    assert Producer.objects.get().ward == ""


def test_choosing_a_province_lists_its_wards_without_saving(owner_client):
    can_tho = Province.objects.get(code="92")
    page = owner_client.post(EDIT, {"province": can_tho.pk, "action": "province"})

    content = page.content.decode()
    assert page.status_code == 200
    assert '<option value="Phường An Bình"' in content
    assert "Phường Bách Quang" not in content
    assert Producer.objects.get().province.code == "19"


def test_changing_the_tax_code_of_a_verified_producer_sends_it_back_to_pending(
    owner_client, thai_nguyen
):
    owner_client.post(EDIT, profile_form(thai_nguyen))
    Producer.objects.update(verification_status=VerificationStatus.VERIFIED)
    page = owner_client.get(EDIT).content.decode()
    assert "xác minh lại" in page

    owner_client.post(EDIT, profile_form(thai_nguyen, story="Chè mới."))
    assert Producer.objects.get().verification_status == VerificationStatus.VERIFIED

    owner_client.post(EDIT, profile_form(thai_nguyen, tax_code="4600999999"))

    producer = Producer.objects.get()
    assert producer.verification_status == VerificationStatus.PENDING
    event = AuditEvent.objects.filter(producer=producer, action=AuditAction.CHANGED).first()
    assert event is not None and event.actor.email == "chu@che-xanh.vn"


def test_staff_member_cannot_edit_the_profile(producer_a, client, thai_nguyen):
    staff = add_member(producer_a.producer, "nv@tra.vn", ProducerRole.STAFF)
    client.force_login(staff)
    assert client.post(EDIT, profile_form(thai_nguyen)).status_code == 403
    assert Producer.objects.get(pk=producer_a.producer.pk).tax_code == ""


def test_photo_is_stored_without_exif(owner_client, settings):
    upload = SimpleUploadedFile("IMG_0001.JPG", phone_jpeg(), content_type="image/jpeg")
    response = owner_client.post(reverse("portal:profile_photo_add"), {"image": upload})

    assert response.status_code == 302
    photo = ProducerPhoto.objects.get()
    with photo.image.open("rb") as stored_file:
        content = stored_file.read()
    stored = Image.open(io.BytesIO(content))
    assert not stored.getexif() and not stored.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in content and b"Apple" not in content
    assert stored.size == (200, 300)  # turned upright


def test_not_an_image_is_refused(owner_client):
    upload = SimpleUploadedFile("anh.jpg", b"%PDF-1.4", content_type="image/jpeg")
    add = reverse("portal:profile_photo_add")
    response = owner_client.post(add, {"image": upload}, follow=True)
    assert "không phải là ảnh hợp lệ" in response.content.decode()
    assert not ProducerPhoto.objects.exists()


def test_other_producers_photo_cannot_be_deleted(owner_client, producer_a):
    photo = ProducerPhoto.objects.create(producer=producer_a.producer, image="producers/x.jpg")
    response = owner_client.post(reverse("portal:profile_photo_delete", args=[photo.pk]))
    assert response.status_code == 404 and ProducerPhoto.objects.filter(pk=photo.pk).exists()


def test_office_verifies_and_the_banner_goes(owner_client, thai_nguyen):
    owner_client.post(EDIT, profile_form(thai_nguyen))
    producer = Producer.objects.get()
    officer = office()
    User.objects.get(email="vanphong1@ocop.gov.vn").user_permissions.add(
        Permission.objects.get(codename="change_producer")
    )
    response = officer.post(
        "/admin/ocop/producer/",
        {"action": "verify_producers", "_selected_action": [producer.pk]},
    )
    assert response.status_code == 302

    producer.refresh_from_db()
    assert producer.verification_status == VerificationStatus.VERIFIED
    page = owner_client.get(reverse("portal:profile")).content.decode()
    assert "chờ văn phòng OCOP xác minh" not in page
