"""Outgoing webhooks, as Saleor apps receive them: a subscriber URL, a secret that signs each
payload (HMAC-SHA256), the events it wants, and a delivery record per event for retries."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEventType(models.TextChoices):
    ORDER_CREATED = "order_created", "ORDER_CREATED"
    ORDER_PAID = "order_paid", "ORDER_PAID"
    PRODUCT_UPDATED = "product_updated", "PRODUCT_UPDATED"
    STOCK_CHANGED = "stock_changed", "STOCK_CHANGED"


class Webhook(models.Model):
    name = models.CharField(_("name"), max_length=255)
    target_url = models.URLField(_("target URL"), max_length=1024)
    secret_key = models.CharField(_("secret key"), max_length=255)
    is_active = models.BooleanField(_("active"), default=True)
    events = models.JSONField(_("events"), default=list, help_text="WebhookEventType values.")

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["pk"]
        permissions = (("manage_apps", _("Manage apps and webhooks.")),)

    def __str__(self):
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCESS = "success", _("Success")
    FAILED = "failed", _("Failed")


class EventDelivery(models.Model):
    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), related_name="deliveries", on_delete=models.CASCADE
    )
    event_type = models.CharField(_("event"), max_length=64, choices=WebhookEventType.choices)
    payload = models.TextField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_response = models.TextField(_("last response"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # When a worker should next try it; a pending delivery well past this was lost by its
    # worker or the broker, and the sweep queues it again.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.event_type} to {self.webhook_id} ({self.status})"
