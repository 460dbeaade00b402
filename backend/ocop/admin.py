"""The OCOP office in the Django admin: producers and certifications, verified or rejected with
the evidence beside them, revoked with a reason; every change lands in the audit history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as django_models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backend.account.permissions import OcopPermissions
from backend.core.admin import action_form_page
from backend.ocop import models, onboarding, services

VERIFY = OcopPermissions.VERIFY_CERTIFICATIONS.value
VERIFICATION_FIELDS = ("verification_status", "verified_by", "verified_at", "rejection_reason")


def can_verify(request) -> bool:
    return request.user.is_active and request.user.is_staff and request.user.has_perm(VERIFY)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}))


def reason_action(service, description, done_message):
    """An admin action that first asks the reason on an intermediate page, then applies
    `service(obj, user, reason)` to each selected object."""

    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                for obj in queryset:
                    service(obj, request.user, form.cleaned_data["reason"])
            except ValidationError as error:
                modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
                return None
            modeladmin.message_user(request, done_message % {"count": len(queryset)})
            return None
        return action_form_page(modeladmin, request, queryset, form, description)

    action.short_description = description
    action.allowed_permissions = ("verify",)
    action.__name__ = service.__name__
    return action


class InviteProducerForm(forms.Form):
    name = forms.CharField(label=_("Tên chủ thể"), max_length=255)
    legal_type = forms.ChoiceField(label=_("Loại hình"), choices=models.ProducerType.choices)
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành"), queryset=models.Province.objects.order_by("name")
    )
    email = forms.EmailField(label=_("Email liên hệ (chủ cơ sở)"))


class AuditEventInline(admin.TabularInline):
    model = models.AuditEvent
    fields = ("created_at", "action", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Lịch sử thay đổi")

    def has_view_permission(self, request, obj=None):
        return can_verify(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = models.ProducerMembership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)
    extra = 0


class PhotoInline(admin.TabularInline):
    """The producer's photos, uploaded in the portal (where EXIF is stripped); the office
    looks and may remove one, but does not upload here."""

    model = models.ProducerPhoto
    fields = ("preview", "alt", "sort_order")
    readonly_fields = ("preview",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ảnh"))
    def preview(self, obj):
        if not obj or not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:6rem">', obj.image.url)


@admin.register(models.Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    search_fields = ("name", "code")


@admin.register(models.Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_type", "province", "verification_status")
    list_filter = ("verification_status", "legal_type", "province")
    search_fields = ("name", "tax_code")
    readonly_fields = VERIFICATION_FIELDS
    inlines = [MembershipInline, PhotoInline, AuditEventInline]
    actions = [
        "verify_producers",
        reason_action(
            services.reject_producer,
            _("Từ chối chủ thể đã chọn"),
            _("Đã từ chối %(count)s chủ thể."),
        ),
    ]

    @admin.action(description=_("Xác minh chủ thể đã chọn"), permissions=["verify"])
    def verify_producers(self, request, queryset):
        for producer in queryset:
            services.verify_producer(producer, request.user)
        self.message_user(request, _("Đã xác minh %(count)s chủ thể.") % {"count": len(queryset)})

    def has_verify_permission(self, request):
        return can_verify(request)

    # --- the office invites a new producer ------------------------------------------------
    def get_urls(self):
        invite = path(
            "invite/",
            self.admin_site.admin_view(self.invite_view),
            name="ocop_producer_invite",
        )
        return [invite, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_invite": can_verify(request)}
        return super().changelist_view(request, extra_context)

    def invite_view(self, request):
        """A form (name, legal form, province, contact email) that creates the producer,
        pending verification, and emails its owner an invitation to the portal."""
        if not can_verify(request):
            raise PermissionDenied
        form = InviteProducerForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                producer, invitation = onboarding.invite_producer(request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                self.message_user(
                    request,
                    _("Đã tạo chủ thể %(name)s (chờ xác minh) và gửi lời mời tới %(email)s.")
                    % {"name": producer.name, "email": invitation.email},
                )
                if self.has_view_or_change_permission(request, producer):
                    return redirect("admin:ocop_producer_change", producer.pk)
                return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mời chủ thể mới"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/ocop/producer_invite.html", context)


@admin.register(models.Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = (
        "product",
        "producer",
        "stars",
        "decision_number",
        "valid_until",
        "status",
        "verification_status",
    )
    list_filter = ("status", "verification_status", "stars", "issuer_level", "product_group")
    search_fields = ("product__name", "producer__name", "decision_number", "certificate_number")
    raw_id_fields = ("product", "producer")
    readonly_fields = ("evidence_preview", "public_page", "status", *VERIFICATION_FIELDS)
    fieldsets = (
        (_("Bằng chứng"), {"fields": ("evidence_preview", "evidence", "public_page")}),
        (_("Sản phẩm"), {"fields": ("product", "producer", "product_group")}),
        (
            _("Quyết định công nhận"),
            {
                "fields": (
                    "stars",
                    "score",
                    "criteria_version",
                    "decision_number",
                    "decision_date",
                    "issuer_level",
                    "issuer_name",
                    "certificate_number",
                    "valid_from",
                    "valid_until",
                )
            },
        ),
        (_("Xác minh"), {"fields": ("status", *VERIFICATION_FIELDS)}),
    )
    inlines = [AuditEventInline]
    # The evidence has no public URL: upload only, view it through `evidence_preview`.
    formfield_overrides = {django_models.FileField: {"widget": forms.FileInput}}
    actions = [
        "verify_certifications",
        reason_action(
            services.reject_certification,
            _("Từ chối chứng nhận đã chọn"),
            _("Đã từ chối %(count)s chứng nhận."),
        ),
        reason_action(
            services.revoke_certification,
            _("Thu hồi chứng nhận đã chọn"),
            _("Đã thu hồi %(count)s chứng nhận."),
        ),
    ]

    # Only the office (VERIFY_CERTIFICATIONS) sees or touches certifications.
    def has_module_permission(self, request):
        return can_verify(request)

    def has_view_permission(self, request, obj=None):
        return can_verify(request)

    def has_add_permission(self, request):
        return can_verify(request)

    def has_change_permission(self, request, obj=None):
        return can_verify(request)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record must stay

    def has_verify_permission(self, request):
        return can_verify(request)

    @admin.action(description=_("Xác minh chứng nhận đã chọn"), permissions=["verify"])
    def verify_certifications(self, request, queryset):
        for certification in queryset:
            services.verify_certification(certification, request.user)
        self.message_user(
            request, _("Đã xác minh %(count)s chứng nhận.") % {"count": len(queryset)}
        )

    @admin.display(description=_("Bản quét"))
    def evidence_preview(self, obj):
        if not obj or not obj.pk or not obj.evidence:
            return _("Chưa có bản quét.")
        url = reverse("ocop:evidence", kwargs={"pk": obj.pk})
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br>'
            '<iframe src="{}" title="{}" style="width:100%;max-width:48rem;height:32rem;'
            'border:1px solid #ccc"></iframe>',
            url,
            _("Mở bản quét trong thẻ mới"),
            url,
            _("Bản quét quyết định"),
        )

    @admin.display(description=_("Trang tra cứu công khai"))
    def public_page(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("ocop:verify", kwargs={"code": obj.code})
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            changed = ", ".join(str(form.fields[name].label) for name in form.changed_data)
            services.record(
                models.AuditAction.CHANGED, actor=request.user, reason=changed, certification=obj
            )
        else:
            services.record(models.AuditAction.CREATED, actor=request.user, certification=obj)
        services.refresh_star_attributes([obj.product_id])
