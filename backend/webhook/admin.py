"""Webhooks in the office admin: subscriptions (URL, secret, events) and the delivery log, from
which failed deliveries can be sent again."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.webhook.delivery import queue_deliveries
from backend.webhook.models import DeliveryStatus, EventDelivery, Webhook, WebhookEventType
from backend.webhook.permissions import EVENT_REQUIRED_PERMISSIONS


class WebhookForm(forms.ModelForm):
    target_url = forms.URLField(label=_("target URL"), max_length=1024, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    # The staff member editing the webhook, set by WebhookAdmin.get_form.
    editor = None

    class Meta:
        model = Webhook
        fields = ("name", "target_url", "secret_key", "is_active", "events")

    def clean_events(self):
        """Only who may read an event's data may send it to an app (order events carry the
        buyer's contact details)."""
        events = self.cleaned_data["events"]
        for event in events:
            permission = EVENT_REQUIRED_PERMISSIONS.get(WebhookEventType(event))
            if permission and not (self.editor and self.editor.has_perm(permission.value)):
                raise forms.ValidationError(
                    _("Only staff who manage orders may subscribe an app to %(event)s.")
                    % {"event": WebhookEventType(event).label},
                    code="permission_denied",
                )
        return events


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("name", "target_url", "is_active", "event_names")
    list_filter = ("is_active",)
    search_fields = ("name", "target_url")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user
        return form

    @admin.display(description=_("Events"))
    def event_names(self, webhook):
        return ", ".join(WebhookEventType(event).label for event in webhook.events)


@admin.register(EventDelivery)
class EventDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event_type", "webhook", "status", "attempts", "updated_at")
    list_filter = ("status", "event_type", "webhook")
    readonly_fields = (
        "webhook",
        "event_type",
        "payload",
        "status",
        "attempts",
        "last_response",
        "created_at",
        "updated_at",
    )
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send selected deliveries again"), permissions=["change"])
    def send_again(self, request, queryset):
        ids = list(queryset.exclude(status=DeliveryStatus.SUCCESS).values_list("pk", flat=True))
        EventDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        transaction.on_commit(lambda: queue_deliveries(ids))
        self.message_user(
            request, _("%(count)s deliveries queued.") % {"count": len(ids)}, messages.SUCCESS
        )
