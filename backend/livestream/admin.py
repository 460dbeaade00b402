"""Livestream sales in the office admin, for staff with MANAGE_LIVESTREAMS: events with their
products (live price, quota, limit per buyer), their life through backend.livestream.services
(schedule, go live, end, cancel, stop and hide with a reason), product sets, hosts' identities
to verify, complaints to resolve, and each event's report with its CSV."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models as django_models
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backend.core.admin import action_form_page
from backend.livestream import models, report, services
from backend.livestream.permissions import LivestreamPermissions

MANAGE_LIVESTREAMS = LivestreamPermissions.MANAGE_LIVESTREAMS.value


def can_manage(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(MANAGE_LIVESTREAMS)


class LivestreamAdmin(admin.ModelAdmin):
    """MANAGE_LIVESTREAMS opens every livestream page; the model permissions still work alone."""

    def has_module_permission(self, request):
        return can_manage(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_manage(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return can_manage(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return can_manage(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_manage(request) or super().has_delete_permission(request, obj)

    def has_manage_permission(self, request):
        return can_manage(request)


def form_action(form_class, description):
    """An admin action that first asks for `form_class` on an intermediate page, then calls
    the decorated `apply(modeladmin, request, queryset, cleaned_data)`."""

    def decorate(apply):
        def action(modeladmin, request, queryset):
            form = form_class(request.POST if "apply" in request.POST else None)
            if form.is_valid():
                apply(modeladmin, request, queryset, form.cleaned_data)
                return None
            return action_form_page(modeladmin, request, queryset, form, description)

        action.short_description = description
        action.allowed_permissions = ("manage",)
        action.__name__ = apply.__name__
        return action

    return decorate


class StopForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for stopping"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ProductSetChoiceForm(forms.Form):
    product_set = forms.ModelChoiceField(
        label=_("Product set"), queryset=models.ProductSet.objects.all()
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 4}))


def run_service(modeladmin, request, queryset, service, done_message, *args):
    done = 0
    for event in queryset:
        try:
            service(event, *args)
        except services.LivestreamError as error:
            modeladmin.message_user(request, f"{event}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@transaction.atomic
def add_set_offers(event: models.LiveEvent, product_set: models.ProductSet) -> int:
    """Offer the set's variants the event does not sell yet (no live price, quota or limit
    until the office sets them); returns how many were added."""
    present = set(event.offers.values_list("variant_id", flat=True))
    missing = product_set.variants.exclude(pk__in=present).order_by("pk")
    start = len(present)
    offers = [
        models.EventOffer(event=event, variant_id=pk, sort_order=start + index)
        for index, pk in enumerate(missing.values_list("pk", flat=True))
    ]
    models.EventOffer.objects.bulk_create(offers)
    return len(offers)


class EventOfferInline(admin.TabularInline):
    model = models.EventOffer
    fields = ("variant", "live_price", "quota", "per_buyer_limit", "sold", "sort_order")
    readonly_fields = ("sold",)
    autocomplete_fields = ("variant",)
    extra = 0

    def has_view_permission(self, request, obj=None):
        return can_manage(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return can_manage(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return can_manage(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_manage(request) or super().has_delete_permission(request, obj)


@admin.register(models.LiveEvent)
class LiveEventAdmin(LivestreamAdmin):
    list_display = (
        "title",
        "status",
        "scheduled_start",
        "province",
        "organiser",
        "stream_hidden",
        "report_links",
    )
    list_filter = ("status", "province", "platform", "stream_hidden")
    search_fields = ("title", "slug")
    date_hierarchy = "scheduled_start"
    list_select_related = ("province", "organiser")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organiser", "province", "hosts")
    readonly_fields = (
        "status",
        "started_at",
        "ended_at",
        "stream_hidden",
        "stop_reason",
        "report_links",
    )
    fields = (
        "title",
        "slug",
        "description",
        "cover",
        "organiser",
        "province",
        "channel",
        "hosts",
        "platform",
        "stream_url",
        "replay_url",
        "scheduled_start",
        "scheduled_end",
        *readonly_fields,
    )
    formfield_overrides = {django_models.URLField: {"assume_scheme": "https"}}
    inlines = [EventOfferInline]
    actions = [
        "schedule_events",
        "go_live",
        "end_events",
        "cancel_events",
        "stop_and_hide",
        "load_product_set",
    ]

    @admin.display(description=_("report"))
    def report_links(self, event):
        if event.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">CSV</a>',
            reverse("admin:livestream_liveevent_report", args=[event.pk]),
            _("View report"),
            reverse("admin:livestream_liveevent_report_csv", args=[event.pk]),
        )

    @admin.action(description=_("Schedule selected events"), permissions=["manage"])
    def schedule_events(self, request, queryset):
        run_service(self, request, queryset, services.schedule, _("%(count)s events scheduled."))

    @admin.action(description=_("Go live with selected events"), permissions=["manage"])
    def go_live(self, request, queryset):
        run_service(self, request, queryset, services.go_live, _("%(count)s events are live."))

    @admin.action(description=_("End selected events"), permissions=["manage"])
    def end_events(self, request, queryset):
        run_service(self, request, queryset, services.end, _("%(count)s events ended."))

    @admin.action(description=_("Cancel selected events"), permissions=["manage"])
    def cancel_events(self, request, queryset):
        run_service(self, request, queryset, services.cancel, _("%(count)s events cancelled."))

    @form_action(StopForm, _("Stop selected events and hide their streams"))
    def stop_and_hide(self, request, queryset, data):
        run_service(
            self,
            request,
            queryset,
            services.stop_and_hide,
            _("%(count)s events stopped and hidden."),
            data["reason"],
        )

    @form_action(ProductSetChoiceForm, _("Load a product set into selected events"))
    def load_product_set(self, request, queryset, data):
        added = sum(add_set_offers(event, data["product_set"]) for event in queryset)
        self.message_user(
            request, _("%(count)s products added.") % {"count": added}, messages.SUCCESS
        )

    def get_urls(self):
        return [
            path(
                "<int:event_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="livestream_liveevent_report",
            ),
            path(
                "<int:event_id>/report.csv",
                self.admin_site.admin_view(self.report_csv_view),
                name="livestream_liveevent_report_csv",
            ),
            *super().get_urls(),
        ]

    def _report(self, request, event_id) -> report.Report:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return report.report(get_object_or_404(models.LiveEvent, pk=event_id))

    def report_view(self, request, event_id):
        result = self._report(request, event_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Report: %(event)s") % {"event": result.event.title},
            "opts": self.model._meta,
            "original": result.event,
            "result": result,
            "figures": report.figures(result),
            "csv_url": reverse("admin:livestream_liveevent_report_csv", args=[event_id]),
        }
        return TemplateResponse(request, "admin/livestream/report.html", context)

    def report_csv_view(self, request, event_id):
        result = self._report(request, event_id)
        response = HttpResponse(report.as_csv(result), content_type="text/csv; charset=utf-8")
        filename = f"livestream-{result.event.slug}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@admin.register(models.ProductSet)
class ProductSetAdmin(LivestreamAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    autocomplete_fields = ("variants",)


@admin.register(models.LivestreamerIdentity)
class LivestreamerIdentityAdmin(LivestreamAdmin):
    list_display = ("full_name", "user", "id_number", "verified_at", "verified_by")
    list_filter = (("verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("full_name", "id_number", "user__email")
    list_select_related = ("user", "verified_by")
    autocomplete_fields = ("user",)
    readonly_fields = ("verified_at", "verified_by")
    actions = ["verify"]

    @admin.action(description=_("Verify selected identities"), permissions=["manage"])
    def verify(self, request, queryset):
        count = queryset.filter(verified_at__isnull=True).update(
            verified_at=timezone.now(), verified_by=request.user
        )
        self.message_user(
            request, _("%(count)s identities verified.") % {"count": count}, messages.SUCCESS
        )


@admin.register(models.Complaint)
class ComplaintAdmin(LivestreamAdmin):
    list_display = ("event", "email", "created_at", "resolved_at")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter), "event")
    search_fields = ("email", "message", "event__title")
    list_select_related = ("event",)
    ordering = (F("resolved_at").desc(nulls_first=True), "-created_at")
    fields = ("event", "email", "message", "created_at", "resolution", "resolved_at", "resolved_by")
    readonly_fields = ("event", "email", "message", "created_at", "resolved_at", "resolved_by")
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False  # viewers file complaints from the event page

    @form_action(ResolveForm, _("Resolve selected complaints"))
    def resolve(self, request, queryset, data):
        count = queryset.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user, resolution=data["resolution"]
        )
        self.message_user(
            request, _("%(count)s complaints resolved.") % {"count": count}, messages.SUCCESS
        )
