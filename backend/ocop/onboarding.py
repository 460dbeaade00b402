"""A new producer joins: the office invites it, its owner completes the profile.

The office (VERIFY_CERTIFICATIONS) creates the producer, pending verification, and an
invitation for its owner (backend/ocop/members.py). The owner completes the profile: legal form,
tax code (Vietnamese MST: 10 digits, or 10 + "-" + 3 for a branch), province and one of its
wards, street address, story, phone and photos. A change to the legal identity (legal form or
tax code) of a producer the office had already decided on sends it back to pending, with an
AuditEvent, until the office verifies it again.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from backend.account.addresses import normalize_phone, vietnam_provinces
from backend.account.permissions import OcopPermissions, has_one_of_permissions
from backend.ocop import services
from backend.ocop.access import not_found
from backend.ocop.members import create_invitation, require_owner
from backend.ocop.models import (
    AuditAction,
    Producer,
    ProducerPhoto,
    ProducerRole,
    ProducerType,
    Province,
    VerificationStatus,
)
from backend.product.photos import prepare_photo

TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
MAX_PHOTOS = 12
LEGAL_IDENTITY_FIELDS = ("legal_type", "tax_code")


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def clean_tax_code(value: str) -> str:
    """The MST in its written form: 10 digits, or 10 digits, "-" and 3 digits (a branch)."""
    compact = re.sub(r"[\s.]", "", value or "")
    match = TAX_CODE.match(compact)
    if not match:
        raise _error(
            "tax_code",
            _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số viết dạng 0101234567-001."),
        )
    head, branch = match.groups()
    return f"{head}-{branch}" if branch else head


def wards_of(province: Province | None) -> tuple[str, ...]:
    """The official names of the wards and communes of `province` (a current unit)."""
    if province is None:
        return ()
    unit = next((unit for unit in vietnam_provinces() if unit.code == province.code), None)
    return tuple(ward.name for ward in unit.wards) if unit else ()


def clean_ward(province: Province, value: str) -> str:
    unit = next((unit for unit in vietnam_provinces() if unit.code == province.code), None)
    ward = unit.find_ward(value) if unit else None
    if ward is None:
        raise _error(
            "ward",
            _("“%(ward)s” không phải phường/xã của %(province)s.")
            % {"ward": value, "province": province.name},
        )
    return ward.name


# --- the office's invitation ----------------------------------------------------------------
def _unique_slug(name: str) -> str:
    base = slugify(unidecode(name))[:240] or "chu-the"
    slug, number = base, 1
    while Producer.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def invite_producer(actor, *, name: str, legal_type: str, province: Province, email: str):
    """The office registers a producer (pending verification) and invites its owner."""
    if not has_one_of_permissions(actor, [OcopPermissions.VERIFY_CERTIFICATIONS]):
        raise _error("email", _("Bạn không có quyền mời chủ thể."), "permission_denied")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = ValidationError(_("Vui lòng nhập tên chủ thể."), code="required")
    if legal_type not in ProducerType.values:
        errors["legal_type"] = ValidationError(_("Loại hình không hợp lệ."), code="invalid")
    if province is None:
        errors["province"] = ValidationError(_("Vui lòng chọn tỉnh/thành."), code="required")
    if errors:
        raise ValidationError(errors)
    producer = Producer.objects.create(
        name=name,
        slug=_unique_slug(name),
        legal_type=legal_type,
        province=province,
        email=(email or "").strip().lower(),
        verification_status=VerificationStatus.PENDING,
    )
    services.record(AuditAction.CREATED, actor=actor, producer=producer)
    invitation = create_invitation(producer, email, ProducerRole.OWNER, invited_by=actor)
    return producer, invitation


# --- the owner's profile --------------------------------------------------------------------
@dataclass(frozen=True)
class ProfileChange:
    producer: Producer
    back_to_pending: bool


def _clean_profile(data: dict) -> dict:
    errors = {}
    cleaned = {}
    legal_type = (data.get("legal_type") or "").strip()
    if legal_type not in ProducerType.values:
        errors["legal_type"] = ValidationError(_("Vui lòng chọn loại hình."), code="required")
    cleaned["legal_type"] = legal_type
    try:
        cleaned["tax_code"] = clean_tax_code(data.get("tax_code", ""))
    except ValidationError as error:
        errors.update(error.error_dict)
    province_id = str(data.get("province") or "").strip()
    province = None
    if province_id.isdigit():
        province = Province.objects.filter(pk=int(province_id)).first()
    if province is None:
        errors["province"] = ValidationError(_("Vui lòng chọn tỉnh/thành."), code="required")
    cleaned["province"] = province
    ward = (data.get("ward") or "").strip()
    if not ward:
        errors["ward"] = ValidationError(_("Vui lòng chọn phường/xã."), code="required")
    elif province is not None:
        try:
            cleaned["ward"] = clean_ward(province, ward)
        except ValidationError as error:
            errors.update(error.error_dict)
    cleaned["address"] = (data.get("address") or "").strip()[:500]
    cleaned["story"] = (data.get("story") or "").strip()
    try:
        cleaned["phone"] = normalize_phone(data.get("phone", ""), "VN")
    except ValidationError:
        errors["phone"] = ValidationError(_("Số điện thoại không hợp lệ."), code="invalid")
    else:
        if not cleaned["phone"]:
            errors["phone"] = ValidationError(_("Vui lòng nhập số điện thoại."), code="required")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def update_profile(producer: Producer, actor, data: dict) -> ProfileChange:
    """An owner completes or edits the profile; all fields checked before anything is saved.
    A new legal form or tax code puts a decided producer back to pending verification."""
    require_owner(actor, producer)
    cleaned = _clean_profile(data)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    identity_changed = [
        field for field in LEGAL_IDENTITY_FIELDS if getattr(producer, field) != cleaned[field]
    ]
    back_to_pending = bool(identity_changed) and (
        producer.verification_status != VerificationStatus.PENDING
    )
    for field, value in cleaned.items():
        setattr(producer, field, value)
    if back_to_pending:
        producer.verification_status = VerificationStatus.PENDING
        producer.verified_by = None
        producer.verified_at = None
        producer.rejection_reason = ""
    producer.save()
    if identity_changed:
        labels = ", ".join(str(Producer._meta.get_field(f).verbose_name) for f in identity_changed)
        reason = _("Đổi %(fields)s") % {"fields": labels}
        if back_to_pending:
            reason += " — " + _("chờ văn phòng OCOP xác minh lại")
        services.record(AuditAction.CHANGED, actor=actor, reason=reason, producer=producer)
    return ProfileChange(producer=producer, back_to_pending=back_to_pending)


def profile_missing(producer: Producer) -> list[str]:
    """The fields the owner still has to fill in."""
    return [f for f in ("tax_code", "ward", "phone") if not getattr(producer, f)]


# --- photos ---------------------------------------------------------------------------------
@transaction.atomic
def add_photo(producer: Producer, actor, upload, alt: str = "") -> ProducerPhoto:
    """Store an uploaded photo upright, resized, without EXIF/GPS (as product photos)."""
    require_owner(actor, producer)
    if upload is None:
        raise _error("image", _("Vui lòng chọn một ảnh."), "required")
    count = ProducerPhoto.objects.filter(producer=producer).count()
    if count >= MAX_PHOTOS:
        raise _error("image", _("Tối đa %(n)s ảnh.") % {"n": MAX_PHOTOS}, "too_many")
    content = prepare_photo(upload, field="image")
    photo = ProducerPhoto(producer=producer, alt=(alt or "").strip()[:250], sort_order=count)
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo


@transaction.atomic
def delete_photo(producer: Producer, actor, photo_id) -> None:
    require_owner(actor, producer)
    photo = ProducerPhoto.objects.filter(
        pk=int(photo_id) if str(photo_id).isdigit() else 0, producer=producer
    ).first()
    if photo is None:
        raise not_found("photo")
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
