"""The OCOP office workflow and the star badge.

The badge a buyer sees is the best valid, verified certification of a product on a given day
(`Certification.objects.shown_as_badge`, backend/ocop/models.py).
Every workflow change is recorded as an `AuditEvent` (who, when, what, why) in the same
transaction as the change itself. The `ocop-stars` attribute assignment mirrors the badge, so
the attribute filters of the catalogue only ever match products with a valid badge.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.ocop.models import (
    AuditAction,
    AuditEvent,
    Certification,
    CertificationStatus,
    Producer,
    VerificationStatus,
)

STARS_ATTRIBUTE_SLUG = "ocop-stars"


def today() -> date:
    return timezone.localdate()


def best_valid_certification(product, day: date | None = None) -> Certification | None:
    """The certification whose badge `product` shows on `day` (today by default), if any."""
    product_id = getattr(product, "pk", product)
    return badges_for_products([product_id], day).get(product_id)


def badges_for_products(product_ids: Iterable[int], day: date | None = None) -> dict:
    """{product id: badge certification} for the products that show a badge; one query."""
    return Certification.objects.badges_for_products(product_ids, day or today())


def record(action: str, *, actor=None, reason: str = "", producer=None, certification=None):
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        producer=producer,
        certification=certification,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do.")}, code="required")
    return reason


# --- certifications -------------------------------------------------------------------------
@transaction.atomic
def create_certification(actor=None, **fields) -> Certification:
    """Validate (stars 3–5, dates…) and save a new certification, pending verification."""
    certification = Certification(**fields)
    if certification.product_id and not certification.producer_id:
        certification.producer_id = certification.product.producer_id
    certification.full_clean(exclude=["code"])
    certification.save()
    record(AuditAction.CREATED, actor=actor, certification=certification)
    return certification


def _decide(subject: Certification | Producer, status, actor, rejection_reason: str = "") -> None:
    """Record the office's verification decision on a certification or a producer."""
    subject.verification_status = status
    subject.verified_by = actor
    subject.verified_at = timezone.now()
    subject.rejection_reason = rejection_reason
    fields = ["verification_status", "verified_by", "verified_at", "rejection_reason"]
    if isinstance(subject, Certification):
        fields.append("updated_at")
    subject.save(update_fields=fields)


@transaction.atomic
def verify_certification(certification: Certification, actor, reason: str = "") -> None:
    _decide(certification, VerificationStatus.VERIFIED, actor)
    record(AuditAction.VERIFIED, actor=actor, reason=reason, certification=certification)
    refresh_star_attributes([certification.product_id])


@transaction.atomic
def reject_certification(certification: Certification, actor, reason: str) -> None:
    reason = _require_reason(reason)
    _decide(certification, VerificationStatus.REJECTED, actor, rejection_reason=reason)
    record(AuditAction.REJECTED, actor=actor, reason=reason, certification=certification)
    refresh_star_attributes([certification.product_id])


@transaction.atomic
def revoke_certification(certification: Certification, actor, reason: str) -> None:
    reason = _require_reason(reason)
    certification.status = CertificationStatus.REVOKED
    certification.save(update_fields=["status", "updated_at"])
    record(AuditAction.REVOKED, actor=actor, reason=reason, certification=certification)
    refresh_star_attributes([certification.product_id])


@transaction.atomic
def expire_certifications(day: date | None = None) -> list[int]:
    """Mark the valid certifications whose last day is before `day` as expired; returns their
    ids. Their products lose the badge (unless another certification still holds)."""
    day = day or today()
    expired = list(
        Certification.objects.select_for_update()
        .filter(status=CertificationStatus.VALID, valid_until__lt=day)
        .values_list("pk", "product_id")
    )
    if not expired:
        return []
    ids = [pk for pk, _product in expired]
    Certification.objects.filter(pk__in=ids).update(
        status=CertificationStatus.EXPIRED, updated_at=timezone.now()
    )
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=AuditAction.EXPIRED, certification_id=pk) for pk in ids]
    )
    refresh_star_attributes({product for _pk, product in expired}, day)
    return ids


# --- producers ------------------------------------------------------------------------------
@transaction.atomic
def verify_producer(producer: Producer, actor, reason: str = "") -> None:
    """Verify the producer; the products its members submitted go on sale."""
    from backend.product.publication import publish_submitted_products

    _decide(producer, VerificationStatus.VERIFIED, actor)
    record(AuditAction.VERIFIED, actor=actor, reason=reason, producer=producer)
    publish_submitted_products(producer)


@transaction.atomic
def reject_producer(producer: Producer, actor, reason: str) -> None:
    reason = _require_reason(reason)
    _decide(producer, VerificationStatus.REJECTED, actor, rejection_reason=reason)
    record(AuditAction.REJECTED, actor=actor, reason=reason, producer=producer)


# --- the ocop-stars attribute ---------------------------------------------------------------
def refresh_star_attributes(product_ids: Iterable[int], day: date | None = None) -> None:
    """Make each product's `ocop-stars` attribute value match its badge (none without one).

    A bounded number of queries whatever the number of products."""
    from backend.attribute.models import AssignedProductAttributeValue, AttributeValue

    product_ids = set(product_ids)
    if not product_ids:
        return
    wanted = {
        product_id: str(badge.stars)
        for product_id, badge in badges_for_products(product_ids, day).items()
    }
    star_values = {
        value.slug: value
        for value in AttributeValue.objects.filter(attribute__slug=STARS_ATTRIBUTE_SLUG)
    }
    assigned = AssignedProductAttributeValue.objects.filter(
        product_id__in=product_ids, value__attribute__slug=STARS_ATTRIBUTE_SLUG
    )
    kept, stale = set(), []
    for pk, product_id, slug in assigned.values_list("pk", "product_id", "value__slug"):
        if wanted.get(product_id) == slug:
            kept.add(product_id)
        else:
            stale.append(pk)
    if stale:
        AssignedProductAttributeValue.objects.filter(pk__in=stale).delete()
    missing = [
        AssignedProductAttributeValue(product_id=product_id, value=star_values[slug], sort_order=0)
        for product_id, slug in wanted.items()
        if product_id not in kept and slug in star_values
    ]
    AssignedProductAttributeValue.objects.bulk_create(missing, ignore_conflicts=True)
