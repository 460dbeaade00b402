"""Payment transactions, shaped on Saleor's Transactions API.

A TransactionItem is one payment attempt with one gateway, attached to a checkout and, once the
checkout is completed, to its order. Its amounts are integer minor units and change only through
TransactionEvents; a callback replayed by a gateway finds its event already recorded (unique
psp_reference per transaction and type) and changes nothing.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata


class TransactionEventType(models.TextChoices):
    AUTHORIZATION_SUCCESS = "authorization_success", _("Authorization succeeded")
    AUTHORIZATION_FAILURE = "authorization_failure", _("Authorization failed")
    AUTHORIZATION_REQUEST = "authorization_request", _("Authorization requested")
    AUTHORIZATION_ACTION_REQUIRED = "authorization_action_required", _("Action required")
    CHARGE_ACTION_REQUIRED = "charge_action_required", _("Action required to charge")
    CHARGE_SUCCESS = "charge_success", _("Charge succeeded")
    CHARGE_FAILURE = "charge_failure", _("Charge failed")
    CHARGE_REQUEST = "charge_request", _("Charge requested")
    REFUND_SUCCESS = "refund_success", _("Refund succeeded")
    REFUND_FAILURE = "refund_failure", _("Refund failed")
    CANCEL_SUCCESS = "cancel_success", _("Cancel succeeded")
    CANCEL_FAILURE = "cancel_failure", _("Cancel failed")
    INFO = "info", _("Information")


class TransactionItem(ModelWithMetadata):
    token = models.UUIDField(_("token"), primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    # Our gateway id, e.g. "ocop.payments.vnpay" (Saleor's app identifier).
    gateway = models.CharField(_("payment method"), max_length=64)
    name = models.CharField(_("name"), max_length=512, blank=True, default="")
    message = models.CharField(_("message"), max_length=512, blank=True, default="")
    psp_reference = models.CharField(
        _("payment provider reference"), max_length=512, blank=True, default="", db_index=True
    )
    available_actions = models.JSONField(_("available actions"), default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    amount_authorized = models.BigIntegerField(_("amount authorized"), default=0)
    amount_charged = models.BigIntegerField(_("amount charged"), default=0)
    amount_charge_pending = models.BigIntegerField(_("amount awaiting charge"), default=0)
    amount_refunded = models.BigIntegerField(_("amount refunded"), default=0)
    amount_canceled = models.BigIntegerField(_("amount canceled"), default=0)
    external_url = models.URLField(_("external URL"), max_length=1024, blank=True, default="")
    idempotency_key = models.CharField(_("idempotency key"), max_length=512, blank=True, null=True)
    checkout = models.ForeignKey(
        "checkout.Checkout",
        verbose_name=_("checkout"),
        related_name="payment_transactions",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("order"),
        related_name="payment_transactions",
        blank=True,
        null=True,
        on_delete=models.PROTECT,
    )
    user = models.ForeignKey(
        "account.User",
        verbose_name=_("user"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("payment transaction")
        verbose_name_plural = _("payment transactions")
        ordering = ["created_at", "pk"]
        permissions = (("handle_payments", _("Handle payments")),)
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "idempotency_key"],
                name="unique_transaction_idempotency_key",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_charged__gte=0) & models.Q(amount_authorized__gte=0),
                name="transaction_amounts_gte_0",
            ),
        ]


class TransactionEvent(models.Model):
    transaction = models.ForeignKey(
        TransactionItem,
        verbose_name=_("transaction"),
        related_name="events",
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    type = models.CharField(_("type"), max_length=128, choices=TransactionEventType.choices)
    amount = models.BigIntegerField(_("amount"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    psp_reference = models.CharField(
        _("payment provider reference"), max_length=512, blank=True, default=""
    )
    message = models.CharField(_("message"), max_length=512, blank=True, default="")
    # The verified callback body that produced this event, for audit.
    raw = models.JSONField(_("raw data"), blank=True, default=dict)
    user = models.ForeignKey(
        "account.User",
        verbose_name=_("user"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("transaction event")
        verbose_name_plural = _("transaction events")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "type", "psp_reference"],
                condition=~models.Q(psp_reference=""),
                name="unique_transaction_event_per_psp_reference",
            )
        ]

    def __str__(self):
        return f"{self.type} {self.amount} {self.currency}"
