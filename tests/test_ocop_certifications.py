"""OCOP certifications: the star badge, expiry, revocation, reminders and the stars attribute."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backend.account.models import User
from backend.attribute.models import (
    AssignedProductAttributeValue,
    Attribute,
    AttributeType,
    AttributeValue,
)
from backend.ocop import services, tasks
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
from backend.product.models import Product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def producer(db):
    return Producer.objects.create(
        name="Hợp tác xã Mật ong Hải Hậu",
        slug="htx-mat-ong",
        legal_type="cooperative",
        province=Province.objects.get(code="37"),
        email="htx-mat-ong@example.com",
    )


@pytest.fixture
def product(staff_product, producer):
    staff_product.producer = producer
    staff_product.save()
    return staff_product


@pytest.fixture
def officer(db):
    return User.objects.create_user("officer@ocop.example", "mat-khau-dai-123", is_staff=True)


@pytest.fixture
def make_certification(product, producer):
    def make(stars=3, valid_from=date(2025, 1, 1), valid_until=None, verified=True, **extra):
        fields = {
            "product": product,
            "producer": producer,
            "stars": stars,
            "product_group": ProductGroup.FOOD,
            "decision_number": f"{stars}01/QĐ-UBND",
            "decision_date": valid_from,
            "issuer_level": IssuerLevel.PROVINCE,
            "issuer_name": "UBND tỉnh Nam Định",
            "valid_from": valid_from,
            "valid_until": valid_until,
            "verification_status": VerificationStatus.VERIFIED
            if verified
            else VerificationStatus.PENDING,
            **extra,
        }
        return services.create_certification(**fields)

    return make


@pytest.fixture
def stars_attribute(db):
    attribute = Attribute.objects.create(
        slug="ocop-stars", name="Hạng sao OCOP", type=AttributeType.PRODUCT_TYPE
    )
    return {
        str(n): AttributeValue.objects.create(attribute=attribute, slug=str(n), name=f"{n} sao")
        for n in (3, 4, 5)
    }


def _assigned_stars(product):
    return list(
        AssignedProductAttributeValue.objects.filter(
            product=product, value__attribute__slug="ocop-stars"
        ).values_list("value__slug", flat=True)
    )


def test_validity_defaults_to_36_months(make_certification):
    certification = make_certification(valid_from=date(2024, 3, 15))
    assert certification.valid_until == date(2027, 3, 14)
    assert certification.events.get().action == AuditAction.CREATED


@pytest.mark.parametrize("stars", [1, 2, 6])
def test_only_three_to_five_stars_are_certificates(make_certification, stars):
    with pytest.raises(ValidationError) as error:
        make_certification(stars=stars)
    assert "stars" in error.value.message_dict
    assert not Certification.objects.exists()


def test_database_refuses_two_star_certificates(make_certification):
    certification = make_certification()
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.filter(pk=certification.pk).update(stars=2)


def test_badge_is_the_best_valid_verified_certification(product, make_certification):
    make_certification(stars=3)
    four = make_certification(stars=4)
    make_certification(stars=5, verified=False)
    make_certification(stars=5, valid_from=date(2019, 1, 1))  # ended in 2021
    assert services.best_valid_certification(product, TODAY) == four


def test_unverified_certification_shows_no_badge(product, make_certification):
    make_certification(verified=False)
    assert services.best_valid_certification(product, TODAY) is None


def test_badges_for_products_costs_one_query(
    product, make_certification, django_assert_num_queries
):
    other = Product.objects.create(
        product_type=product.product_type, name="Nước mắm Cát Hải", slug="nuoc-mam-cat-hai"
    )
    four = make_certification(stars=4)
    with django_assert_num_queries(1):
        badges = services.badges_for_products([product.pk, other.pk], TODAY)
    assert badges == {product.pk: four}


def test_badge_ends_the_day_after_valid_until_at_read_time(product, make_certification):
    certification = make_certification(valid_until=TODAY - timedelta(days=1))
    assert services.best_valid_certification(product, TODAY - timedelta(days=1)) == certification
    # Read-time check: no badge today although the nightly task has not run yet.
    assert certification.status == CertificationStatus.VALID
    assert services.best_valid_certification(product, TODAY) is None


def test_expiry_task_marks_expired_and_removes_star_attribute(
    product, make_certification, stars_attribute, monkeypatch
):
    ended = make_certification(stars=4, valid_until=TODAY - timedelta(days=1))
    still = make_certification(stars=3, valid_until=TODAY)
    services.refresh_star_attributes([product.pk], TODAY - timedelta(days=1))
    assert _assigned_stars(product) == ["4"]

    monkeypatch.setattr(services, "today", lambda: TODAY)
    assert tasks.expire_certifications() == 1

    ended.refresh_from_db()
    still.refresh_from_db()
    assert ended.status == CertificationStatus.EXPIRED
    assert ended.events.filter(action=AuditAction.EXPIRED).exists()
    assert still.status == CertificationStatus.VALID
    assert _assigned_stars(product) == ["3"]  # the 3★ one still holds today


def test_revoke_removes_badge_and_records_reason(
    product, make_certification, stars_attribute, officer
):
    certification = make_certification(stars=5)
    services.refresh_star_attributes([product.pk])
    assert _assigned_stars(product) == ["5"]

    services.revoke_certification(certification, officer, "Vi phạm an toàn thực phẩm")

    assert services.best_valid_certification(product) is None
    assert _assigned_stars(product) == []
    event = certification.events.get(action=AuditAction.REVOKED)
    assert (event.actor, event.reason) == (officer, "Vi phạm an toàn thực phẩm")


def test_revoke_and_reject_need_a_reason(make_certification, officer):
    certification = make_certification()
    with pytest.raises(ValidationError):
        services.revoke_certification(certification, officer, "  ")
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.VALID
    assert not certification.events.filter(action=AuditAction.REVOKED).exists()


def test_verify_and_reject_record_who_and_when(make_certification, officer, stars_attribute):
    certification = make_certification(verified=False)
    services.verify_certification(certification, officer)
    certification.refresh_from_db()
    assert certification.verified_by == officer and certification.verified_at
    assert _assigned_stars(certification.product) == ["3"]

    services.reject_certification(certification, officer, "Quyết định giả mạo")
    certification.refresh_from_db()
    assert certification.verification_status == VerificationStatus.REJECTED
    assert certification.rejection_reason == "Quyết định giả mạo"
    assert _assigned_stars(certification.product) == []
    assert list(certification.events.values_list("action", flat=True)) == [
        AuditAction.REJECTED,
        AuditAction.VERIFIED,
        AuditAction.CREATED,
    ]


def test_producer_verification_is_recorded(producer, officer):
    services.reject_producer(producer, officer, "Thiếu giấy đăng ký kinh doanh")
    services.verify_producer(producer, officer)
    producer.refresh_from_db()
    assert producer.verification_status == VerificationStatus.VERIFIED
    assert [e.action for e in producer.events.all()] == [AuditAction.VERIFIED, AuditAction.REJECTED]


@pytest.mark.parametrize(("days_left", "action"), [(90, "reminder-90"), (30, "reminder-30")])
def test_expiry_reminder_is_sent_once(
    make_certification, monkeypatch, django_capture_on_commit_callbacks, days_left, action
):
    certification = make_certification(valid_until=TODAY + timedelta(days=days_left))
    make_certification(stars=4, valid_until=TODAY + timedelta(days=200))  # not due
    monkeypatch.setattr(services, "today", lambda: TODAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_expiry_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_expiry_reminders() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["htx-mat-ong@example.com"]
    assert f"hết hạn sau {days_left} ngày" in message.subject
    assert message.body.index("Kính gửi") < message.body.index("Dear")
    assert certification.events.filter(action=action).count() == 1


def test_thirty_day_reminder_follows_the_ninety_day_one(
    make_certification, monkeypatch, django_capture_on_commit_callbacks
):
    certification = make_certification(valid_until=TODAY + timedelta(days=90))
    for day in (TODAY, TODAY + timedelta(days=30), TODAY + timedelta(days=60)):
        monkeypatch.setattr(services, "today", lambda day=day: day)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.send_expiry_reminders()
    assert [m.subject.split("sau ")[1].split(" ")[0] for m in mail.outbox] == ["90", "30"]
    assert certification.events.filter(action__startswith="reminder").count() == 2


def test_beat_schedule_runs_both_tasks_daily(settings):
    daily = {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if len(entry["schedule"].hour) == 1 and len(entry["schedule"].minute) == 1
    }
    assert {
        "backend.ocop.tasks.expire_certifications",
        "backend.ocop.tasks.send_expiry_reminders",
    } <= daily
