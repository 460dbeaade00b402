"""A buyer's checkout (cart): lines, contact email, addresses, delivery and promo code.

Identified by an unguessable `token` (Saleor's checkout id); completing it turns it into an order.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata
from backend.livestream.models import EventStatus
from backend.warehouse.models import HolderKind, holder_key


class Checkout(ModelWithMetadata):
    token = models.UUIDField(_("token"), primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_change = models.DateTimeField(_("last change"), auto_now=True, db_index=True)
    user = models.ForeignKey(
        "account.User",
        verbose_name=_("user"),
        related_name="checkouts",
        blank=True,
        null=True,
        on_delete=models.CASCADE,
    )
    email = models.EmailField(_("email"), blank=True, null=True)
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        related_name="checkouts",
        on_delete=models.PROTECT,
    )
    currency = models.CharField(_("currency"), max_length=3)
    country = models.CharField(_("country"), max_length=2, default="VN")
    language_code = models.CharField(_("language"), max_length=35, default="vi")
    billing_address = models.ForeignKey(
        "account.Address",
        verbose_name=_("billing address"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    shipping_address = models.ForeignKey(
        "account.Address",
        verbose_name=_("shipping address"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    save_shipping_address = models.BooleanField(_("save shipping address"), default=True)
    save_billing_address = models.BooleanField(_("save billing address"), default=True)
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod",
        verbose_name=_("shipping method"),
        related_name="checkouts",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    collection_point = models.ForeignKey(
        "warehouse.Warehouse",
        verbose_name=_("pick-up point"),
        related_name="checkouts",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    voucher_code = models.CharField(_("voucher code"), max_length=255, blank=True, null=True)
    customer_note = models.TextField(_("customer note"), blank=True, default="")
    redirect_url = models.URLField(_("redirect URL"), blank=True, default="")
    # Set while checkoutComplete runs, so payment calls can refuse a checkout being completed.
    completing_started_at = models.DateTimeField(_("completion started at"), blank=True, null=True)
    # The livestream the buyer came through (set when a line is added from its page).
    live_event = models.ForeignKey(
        "livestream.LiveEvent",
        verbose_name=_("livestream event"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-last_change", "pk"]
        permissions = (("manage_checkouts", "Manage checkouts"),)

    def __str__(self):
        return str(self.token)

    @property
    def stock_holder(self) -> str:
        """Whose the checkout's stock holds are (its own holds never count against it)."""
        return holder_key(HolderKind.CHECKOUT, self.pk)


class CheckoutLine(ModelWithMetadata):
    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(
        Checkout, verbose_name=_("checkout"), related_name="lines", on_delete=models.CASCADE
    )
    variant = models.ForeignKey(
        "product.ProductVariant",
        verbose_name=_("variant"),
        related_name="checkout_lines",
        on_delete=models.CASCADE,
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    # Added from a livestream's page: priced at the live price while the event sells live, and
    # its units come out of the event's quota (backend.checkout.live).
    live_offer = models.ForeignKey(
        "livestream.EventOffer",
        verbose_name=_("livestream offer"),
        related_name="checkout_lines",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checkout line")
        verbose_name_plural = _("checkout lines")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="checkout_line_quantity_gte_1"
            )
        ]

    @property
    def held_by_event(self) -> bool:
        """Added through a livestream whose quota covers it, before the event ends: the
        event's stock hold stands for the line's own, so the checkout holds nothing for it."""
        offer = self.live_offer
        if offer is None or offer.quota is None:
            return False
        event = offer.event
        return event.status in (EventStatus.SCHEDULED, EventStatus.LIVE) and not event.stream_hidden
