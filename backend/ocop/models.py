"""OCOP domain: provinces and producers.

This is the room the catalog needs now (a product belongs to a producer, a producer to a province);
the certification workflow is built on top of it.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.ocop.storage import private_storage


class Region(models.TextChoices):
    NORTHERN_MIDLANDS_MOUNTAINS = "northern-midlands-mountains", _("Trung du và miền núi phía Bắc")
    RED_RIVER_DELTA = "red-river-delta", _("Đồng bằng sông Hồng")
    NORTH_CENTRAL = "north-central", _("Bắc Trung Bộ")
    SOUTH_CENTRAL_COAST = "south-central-coast", _("Duyên hải Nam Trung Bộ")
    CENTRAL_HIGHLANDS = "central-highlands", _("Tây Nguyên")
    SOUTHEAST = "southeast", _("Đông Nam Bộ")
    MEKONG_DELTA = "mekong-delta", _("Đồng bằng sông Cửu Long")


class Province(models.Model):
    """One of the 34 provincial units in force since 1 July 2025 (Decision 19/2025/QĐ-TTg codes)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.CharField(_("region"), max_length=40, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self):
        return self.name


class LegacyProvince(models.Model):
    """A province as it existed before the 2025 reform, mapped to the unit it is part of now."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    current = models.ForeignKey(
        Province,
        verbose_name=_("current province"),
        related_name="legacy_units",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")
        ordering = ["code"]

    def __str__(self):
        return self.name


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác minh")
    VERIFIED = "verified", _("Đã xác minh")
    REJECTED = "rejected", _("Bị từ chối")


class VerifiableModel(models.Model):
    """The office's verdict on a record: who verified it and when, or why it was rejected."""

    verification_status = models.CharField(
        _("trạng thái xác minh"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác minh"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    verified_at = models.DateTimeField(_("thời điểm xác minh"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do từ chối"), blank=True, default="")

    class Meta:
        abstract = True


class ProducerType(models.TextChoices):
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    HOUSEHOLD_BUSINESS = "household", _("Hộ kinh doanh")
    COOPERATIVE_GROUP = "cooperative-group", _("Tổ hợp tác")


class Producer(VerifiableModel):
    """An OCOP subject (chủ thể): the cooperative, enterprise or household behind products."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    legal_type = models.CharField(_("legal form"), max_length=20, choices=ProducerType.choices)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province or city"),
        related_name="producers",
        on_delete=models.PROTECT,
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    story = models.TextField(_("story"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    ward = models.CharField(_("ward"), max_length=128, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="producers",
        blank=True,
        through="ProducerMembership",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProducerRole(models.TextChoices):
    OWNER = "owner", _("Chủ cơ sở")
    STAFF = "staff", _("Nhân viên")


class ProducerMembership(models.Model):
    """A user acting for a producer: owners also invite and remove members."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), related_name="memberships", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="producer_memberships",
        on_delete=models.CASCADE,
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ProducerRole.choices, default=ProducerRole.OWNER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)

    class Meta:
        db_table = "ocop_producer_members"
        verbose_name = _("producer member")
        verbose_name_plural = _("producer members")
        unique_together = [("producer", "user")]

    def __str__(self):
        return f"{self.user} — {self.producer} ({self.get_role_display()})"


class ProducerInvitation(models.Model):
    """An emailed invitation to act for a producer with a role: the link carries a signed token
    naming this row and its `nonce`; it expires and works once (`accepted_at`)."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), related_name="invitations", on_delete=models.CASCADE
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=10, choices=ProducerRole.choices, default=ProducerRole.STAFF
    )
    nonce = models.CharField(max_length=32, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mời"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    accepted_at = models.DateTimeField(_("nhận lời lúc"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận lời"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lời mời thành viên")
        verbose_name_plural = _("lời mời thành viên")

    def __str__(self):
        return f"{self.email} → {self.producer} ({self.get_role_display()})"


def producer_photo_upload_to(instance, filename):
    return f"producers/{instance.producer_id}/{filename}"


class ProducerPhoto(models.Model):
    """A photo of the producer's place, people or craft, stored without its EXIF data."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), related_name="photos", on_delete=models.CASCADE
    )
    image = models.ImageField(_("ảnh"), upload_to=producer_photo_upload_to, max_length=500)
    alt = models.CharField(_("mô tả ảnh"), max_length=250, blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("ảnh chủ thể")
        verbose_name_plural = _("ảnh chủ thể")

    def __str__(self):
        return self.alt or self.image.name


class ProductGroup(models.TextChoices):
    """The six OCOP product groups (Decision 148/QĐ-TTg, 2023)."""

    FOOD = "food", _("Thực phẩm")
    DRINKS = "drinks", _("Đồ uống")
    HERBS = "herbs", _("Dược liệu và sản phẩm từ dược liệu")
    HANDICRAFTS = "handicrafts", _("Thủ công mỹ nghệ")
    ORNAMENTALS = "ornamentals", _("Sinh vật cảnh")
    TOURISM = "tourism", _("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch")


class IssuerLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 7/2025)")
    CENTRAL = "central", _("Cấp trung ương (Bộ)")


class CertificationStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    EXPIRED = "expired", _("Hết hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi")


CERTIFIED_STARS = (3, 4, 5)  # 1★ and 2★ are score bands, never a certificate
VALIDITY_MONTHS = 36


def default_valid_until(valid_from: date) -> date:
    """The last day of the 36 months that start on `valid_from`."""
    years = VALIDITY_MONTHS // 12
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)


def evidence_upload_to(instance, filename):
    return f"certifications/{instance.code}/{filename}"


# The badge among several shown the same day: the most stars, then the longest valid.
BADGE_ORDER = ("-stars", "-valid_until")


class CertificationQuerySet(models.QuerySet):
    """The star badge rule, once: a product's badge on a day is its best certification that is
    valid (neither expired nor revoked), verified by the office, and in force that day. The
    listing index stores each product's badge with the same rule in SQL (migration
    product/0004) and shows it while its last day has not passed."""

    def shown_as_badge(self, day: date):
        """Certifications that may show a star badge on `day`."""
        return self.filter(
            status=CertificationStatus.VALID,
            verification_status=VerificationStatus.VERIFIED,
            valid_from__lte=day,
            valid_until__gte=day,
        )

    def badges_for_products(self, product_ids, day: date) -> dict:
        """{product id: its badge certification on `day`} for the products that show one;
        one query."""
        best = {}
        candidates = self.shown_as_badge(day).filter(product_id__in=list(product_ids))
        for certification in candidates.order_by("product_id", *BADGE_ORDER, "pk"):
            best.setdefault(certification.product_id, certification)
        return best

    def badge_stars(self, day: date, product_ref: str = "pk") -> models.Subquery:
        """The stars of the badge the outer row's product (`product_ref`) shows on `day`, as an
        expression (NULL without a badge)."""
        shown = self.shown_as_badge(day).filter(product_id=models.OuterRef(product_ref))
        return models.Subquery(shown.order_by(*BADGE_ORDER).values("stars")[:1])

    def badge_exists(self, day: date, product_ref: str = "pk", min_stars: int | None = None):
        """Exists(): the outer row's product shows a badge on `day` (of at least `min_stars`)."""
        shown = self.shown_as_badge(day).filter(product_id=models.OuterRef(product_ref))
        if min_stars is not None:
            shown = shown.filter(stars__gte=min_stars)
        return models.Exists(shown)


class Certification(VerifiableModel):
    """An OCOP recognition of one product, as printed on the signed decision."""

    code = models.CharField(_("mã tra cứu"), max_length=32, unique=True, editable=False)
    product = models.ForeignKey(
        "product.Product",
        verbose_name=_("sản phẩm"),
        related_name="certifications",
        on_delete=models.CASCADE,
    )
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("chủ thể"),
        related_name="certifications",
        on_delete=models.PROTECT,
    )
    stars = models.PositiveSmallIntegerField(
        _("hạng sao"), choices=[(n, _("%(n)s sao") % {"n": n}) for n in CERTIFIED_STARS]
    )
    score = models.PositiveSmallIntegerField(
        _("điểm"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    criteria_version = models.CharField(
        _("bộ tiêu chí"), max_length=50, default="148/QĐ-TTg (2023)"
    )
    product_group = models.CharField(
        _("nhóm sản phẩm"), max_length=20, choices=ProductGroup.choices
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer_level = models.CharField(_("cấp công nhận"), max_length=20, choices=IssuerLevel.choices)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=100, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(
        _("hiệu lực đến"), blank=True, help_text=_("Để trống: 36 tháng kể từ ngày hiệu lực.")
    )
    evidence = models.FileField(
        _("bản quét quyết định / giấy chứng nhận"),
        storage=private_storage,
        upload_to=evidence_upload_to,
        max_length=500,
        blank=True,
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.VALID,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until", "pk"]
        verbose_name = _("chứng nhận OCOP")
        verbose_name_plural = _("chứng nhận OCOP")
        permissions = (("verify_certifications", _("Xác minh chứng nhận OCOP.")),)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__in=CERTIFIED_STARS),
                name="ocop_certification_stars_3_to_5",
            ),
        ]
        indexes = [models.Index(fields=["product", "status", "valid_until"])]

    def __str__(self):
        return f"{self.product} — {self.stars}★ ({self.decision_number})"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_certification_code()
        if self.valid_from and not self.valid_until:
            self.valid_until = default_valid_until(self.valid_from)
        super().save(*args, **kwargs)

    def clean(self):
        if self.valid_from and not self.valid_until:
            self.valid_until = default_valid_until(self.valid_from)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")}
            )


def new_certification_code() -> str:
    """A short, unguessable public code for the verification page and its QR."""
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")


class AuditAction(models.TextChoices):
    CREATED = "created", _("Tạo mới")
    CHANGED = "changed", _("Sửa thông tin")
    VERIFIED = "verified", _("Xác minh")
    REJECTED = "rejected", _("Từ chối")
    REVOKED = "revoked", _("Thu hồi")
    EXPIRED = "expired", _("Hết hiệu lực")
    REMINDER_90 = "reminder-90", _("Nhắc hết hạn trước 90 ngày")
    REMINDER_30 = "reminder-30", _("Nhắc hết hạn trước 30 ngày")


class AuditEvent(models.Model):
    """One recorded change to a producer or a certification: who, when, what and why."""

    producer = models.ForeignKey(
        Producer,
        verbose_name=_("producer"),
        related_name="events",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        related_name="events",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=AuditAction.choices)
    reason = models.TextField(_("lý do"), blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = _("lịch sử thay đổi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(producer__isnull=False) | models.Q(certification__isnull=False),
                name="ocop_audit_event_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.created_at:%Y-%m-%d %H:%M}"
