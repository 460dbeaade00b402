"""A producer's own certifications: asking the office to record a new one with its evidence,
sending the evidence again while the office has not verified it, and where each badge stands
(verification, validity, days left, the expiry reminders already sent).

The office verifies in the admin (backend.ocop.services); here a producer only proposes. Every
record is looked up through the actor's `ProducerScope`: another producer's certification or
product answers NOT_FOUND. Evidence is a PDF, JPEG or PNG scan of at most 10 MB, recognised by
its content rather than by its name.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from backend.ocop import services
from backend.ocop.access import ProducerScope, not_found
from backend.ocop.models import (
    AuditAction,
    AuditEvent,
    Certification,
    CertificationStatus,
    VerificationStatus,
)
from backend.product.models import Product

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# The first bytes of each kind of evidence file, and the file extension it is stored under.
EVIDENCE_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
WARNING_DAYS = (30, 90)  # "expires in N days" shows from 90 days, urgent from 30
REMINDER_ACTIONS = (AuditAction.REMINDER_90, AuditAction.REMINDER_30)
EDITABLE_VERIFICATION = (VerificationStatus.PENDING, VerificationStatus.REJECTED)


def _evidence_error(message: str, code: str) -> ValidationError:
    return ValidationError({"evidence": ValidationError(message, code=code)})


def clean_evidence(upload: UploadedFile | None) -> UploadedFile:
    """`upload` if it is a PDF, JPEG or PNG of at most 10 MB (by content), renamed to a safe
    name with the matching extension; else ValidationError on `evidence`."""
    if upload is None or not upload.size:
        raise _evidence_error(
            _("Chọn tệp bản quét quyết định hoặc giấy chứng nhận."), code="required"
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise _evidence_error(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="invalid",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = next((ext for magic, ext in EVIDENCE_SIGNATURES if head.startswith(magic)), None)
    if extension is None or (extension != "pdf" and not _is_image(upload)):
        raise _evidence_error(
            _("Tệp phải là bản quét PDF, JPEG hoặc PNG."),
            code="invalid",
        )
    upload.name = f"bang-chung.{extension}"
    return upload


def _is_image(upload: UploadedFile) -> bool:
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)
    return True


def request_certification(
    scope: ProducerScope, *, actor, product_id, evidence: UploadedFile | None, **fields
) -> Certification:
    """Record a certification of one of the producer's products, pending the office's
    verification. `fields` are the decision's details (stars, decision number and date,
    issuer, valid from…), validated by the model."""
    product = scope.filter(Product.objects.all()).filter(pk=product_id).first()
    if product is None:
        raise not_found("product")
    evidence = clean_evidence(evidence)
    fields.pop("verification_status", None)
    fields.pop("status", None)
    return services.create_certification(
        actor, product=product, producer_id=product.producer_id, evidence=evidence, **fields
    )


def producer_certification(scope: ProducerScope, pk) -> Certification | None:
    """The certification `pk` if it belongs to a producer in `scope`, else None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return scope.filter(Certification.objects.select_related("product")).filter(pk=pk).first()


@transaction.atomic
def replace_evidence(
    scope: ProducerScope, certification: Certification, evidence: UploadedFile | None, *, actor
) -> Certification:
    """Send new evidence for a certification the office has not verified; a rejected one goes
    back to the office as pending."""
    locked = (
        scope.filter(Certification.objects.select_for_update()).filter(pk=certification.pk).first()
    )
    if locked is None:
        raise not_found("id")
    if locked.verification_status not in EDITABLE_VERIFICATION:
        raise ValidationError(
            {"id": ValidationError(_("Chứng nhận đã được xác minh."), code="invalid")}
        )
    locked.evidence = clean_evidence(evidence)
    was_rejected = locked.verification_status == VerificationStatus.REJECTED
    locked.verification_status = VerificationStatus.PENDING
    locked.save(update_fields=["evidence", "verification_status", "updated_at"])
    reason = _("Chủ thể gửi lại bằng chứng") + (_(" sau khi bị từ chối") if was_rejected else "")
    services.record(AuditAction.CHANGED, actor=actor, reason=reason, certification=locked)
    return locked


@dataclass(frozen=True)
class CertificationRow:
    certification: Certification
    state: str  # valid / expiring / expired / revoked, as of `day`
    days_left: int  # days until the last day (negative once past)
    warning: int | None  # 90 or 30 when the "expires in N days" warning shows
    reminders: list  # [(AuditEvent action label, date sent)]

    @property
    def state_label(self) -> str:
        status = {"expired": CertificationStatus.EXPIRED, "revoked": CertificationStatus.REVOKED}
        return str(status.get(self.state, CertificationStatus.VALID).label)

    @property
    def can_replace_evidence(self) -> bool:
        return self.certification.verification_status in EDITABLE_VERIFICATION


def _state(certification: Certification, day: date) -> str:
    if certification.status == CertificationStatus.REVOKED:
        return "revoked"
    if certification.status == CertificationStatus.EXPIRED or certification.valid_until < day:
        return "expired"
    if (certification.valid_until - day).days <= max(WARNING_DAYS):
        return "expiring"
    return "valid"


def producer_certifications(scope: ProducerScope):
    """The producer's certifications, the longest valid first."""
    return scope.filter(Certification.objects.select_related("product")).order_by(
        "-valid_until", "pk"
    )


def certification_rows(
    scope: ProducerScope, certifications=None, day: date | None = None
) -> list[CertificationRow]:
    """The producer's certifications (or the given ones of them) with their state and the
    expiry reminders sent; two queries."""
    day = day or services.today()
    if certifications is None:
        certifications = producer_certifications(scope)
    certifications = list(certifications)
    sent = {}
    events = AuditEvent.objects.filter(
        certification__in=certifications, action__in=REMINDER_ACTIONS
    ).order_by("created_at", "pk")
    for event in events:
        sent.setdefault(event.certification_id, []).append(
            (event.get_action_display(), event.created_at)
        )
    rows = []
    for certification in certifications:
        state = _state(certification, day)
        days_left = (certification.valid_until - day).days
        warning = None
        if state == "expiring":
            warning = min(limit for limit in WARNING_DAYS if days_left <= limit)
        rows.append(
            CertificationRow(
                certification, state, days_left, warning, sent.get(certification.pk, [])
            )
        )
    return rows
