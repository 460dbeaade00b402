"""Orders: what a buyer bought, at what price, how it ships and how it is paid.

Lines copy names and prices at purchase time, so later catalogue edits never rewrite history.
`number` comes from a database sequence on PostgreSQL (see `backend.order.utils`).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithExternalReference, ModelWithMetadata


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    UNFULFILLED = "unfulfilled", _("Unfulfilled")
    PARTIALLY_FULFILLED = "partially fulfilled", _("Partially fulfilled")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELED = "canceled", _("Canceled")
    EXPIRED = "expired", _("Expired")


class OrderSource(models.TextChoices):
    STOREFRONT = "storefront", _("Storefront")
    LIVESTREAM = "livestream", _("Livestream")
    MARKETPLACE = "marketplace", _("Marketplace")


class ChargeStatus(models.TextChoices):
    """How much of the total has been charged (Saleor's OrderChargeStatusEnum)."""

    NONE = "none", _("Not charged")
    PARTIAL = "partial", _("Partially charged")
    FULL = "full", _("Fully charged")
    OVERCHARGED = "overcharged", _("Overcharged")


class AuthorizeStatus(models.TextChoices):
    NONE = "none", _("Not authorized")
    PARTIAL = "partial", _("Partially authorized")
    FULL = "full", _("Fully authorized")


class Order(ModelWithMetadata, ModelWithExternalReference):
    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    number = models.BigIntegerField(_("number"), unique=True, editable=False)
    # The buyer's key to their order's details (backend.order.access); the ID alone is not.
    token = models.UUIDField(_("token"), unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=32, choices=OrderStatus.choices, default=OrderStatus.UNFULFILLED
    )
    source = models.CharField(
        _("source"), max_length=32, choices=OrderSource.choices, default=OrderSource.STOREFRONT
    )
    # The livestream event or marketplace order this order came from.
    source_reference = models.CharField(
        _("source reference"), max_length=255, blank=True, default=""
    )
    # The livestream the order is attributed to (bought from its page or at its live prices).
    live_event = models.ForeignKey(
        "livestream.LiveEvent",
        verbose_name=_("livestream event"),
        related_name="orders",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=True,
    )
    user = models.ForeignKey(
        "account.User",
        verbose_name=_("user"),
        related_name="orders",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    user_email = models.EmailField(_("customer email"), blank=True, default="")
    language_code = models.CharField(_("language"), max_length=35, default="vi")
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        related_name="orders",
        on_delete=models.PROTECT,
    )
    currency = models.CharField(_("currency"), max_length=3)
    checkout_token = models.CharField(
        _("checkout token"), max_length=36, blank=True, default="", db_index=True
    )
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
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod",
        verbose_name=_("shipping method"),
        related_name="orders",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    shipping_method_name = models.CharField(
        _("shipping method"), max_length=255, blank=True, default=""
    )
    collection_point = models.ForeignKey(
        "warehouse.Warehouse",
        verbose_name=_("pick-up point"),
        related_name="orders",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    collection_point_name = models.CharField(
        _("pick-up point"), max_length=255, blank=True, default=""
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    shipping_price_amount = models.BigIntegerField(_("shipping price"), default=0)
    subtotal_amount = models.BigIntegerField(_("subtotal"), default=0)
    undiscounted_total_amount = models.BigIntegerField(_("total before discount"), default=0)
    discount_amount = models.BigIntegerField(_("discount"), default=0)
    total_amount = models.BigIntegerField(_("total"), default=0)
    total_charged_amount = models.BigIntegerField(_("total charged"), default=0)
    total_authorized_amount = models.BigIntegerField(_("total authorized"), default=0)
    charge_status = models.CharField(
        _("payment status"), max_length=32, choices=ChargeStatus.choices, default=ChargeStatus.NONE
    )
    authorize_status = models.CharField(
        _("authorization status"),
        max_length=32,
        choices=AuthorizeStatus.choices,
        default=AuthorizeStatus.NONE,
    )
    voucher = models.ForeignKey(
        "discount.Voucher",
        verbose_name=_("voucher"),
        related_name="orders",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    voucher_code = models.CharField(_("voucher code"), max_length=255, blank=True, default="")
    # The payment gateway chosen at checkout (e.g. "ocop.payments.cod").
    payment_gateway = models.CharField(_("payment method"), max_length=64, blank=True, default="")
    customer_note = models.TextField(_("customer note"), blank=True, default="")

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-number"]
        permissions = (("manage_orders", _("Manage orders.")),)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_amount__gte=0), name="order_total_gte_0"
            )
        ]

    def __str__(self):
        return f"#{self.number}"

    @property
    def is_paid(self) -> bool:
        return self.charge_status in (ChargeStatus.FULL, ChargeStatus.OVERCHARGED)

    @property
    def total_balance_amount(self) -> int:
        """Charged minus total: negative while money is still owed."""
        return self.total_charged_amount - self.total_amount


class OrderLine(models.Model):
    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(
        Order, verbose_name=_("order"), related_name="lines", on_delete=models.CASCADE
    )
    variant = models.ForeignKey(
        "product.ProductVariant",
        verbose_name=_("variant"),
        related_name="order_lines",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    product_name = models.CharField(_("product"), max_length=386)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True, default="")
    product_sku = models.CharField(_("SKU"), max_length=255, blank=True, null=True)
    is_shipping_required = models.BooleanField(_("needs shipping"), default=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    quantity_fulfilled = models.PositiveIntegerField(_("quantity shipped"), default=0)
    # When the producer packed the goods for the carrier (backend.order.producer_fulfillment).
    packed_at = models.DateTimeField(_("packed at"), blank=True, null=True)
    currency = models.CharField(_("currency"), max_length=3)
    undiscounted_unit_price_amount = models.BigIntegerField(_("unit price before discount"))
    unit_price_amount = models.BigIntegerField(_("unit price"))
    total_price_amount = models.BigIntegerField(_("line total"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_fulfilled__lte=models.F("quantity")),
                name="order_line_fulfilled_lte_quantity",
            )
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_name} {self.variant_name}".strip()

    @property
    def quantity_unfulfilled(self) -> int:
        return self.quantity - self.quantity_fulfilled


class FulfillmentStatus(models.TextChoices):
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELED = "canceled", _("Canceled")


class Carrier(models.TextChoices):
    """The delivery companies a producer hands parcels to."""

    GHN = "ghn", "GHN (Giao Hàng Nhanh)"
    GHTK = "ghtk", "GHTK (Giao Hàng Tiết Kiệm)"
    VIETTEL_POST = "viettel-post", "Viettel Post"
    VNPOST = "vnpost", "VNPost"
    JT = "jt", "J&T Express"
    OTHER = "other", _("Other carrier")


class Fulfillment(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), related_name="fulfillments", on_delete=models.CASCADE
    )
    fulfillment_order = models.PositiveIntegerField(_("fulfillment number"))
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=FulfillmentStatus.choices,
        default=FulfillmentStatus.FULFILLED,
    )
    tracking_number = models.CharField(_("tracking number"), max_length=255, blank=True, default="")
    carrier = models.CharField(
        _("carrier"), max_length=32, choices=Carrier.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fulfillment")
        verbose_name_plural = _("fulfillments")
        ordering = ["pk"]

    def __str__(self):
        return f"Fulfillment #{self.fulfillment_order} of order {self.order_id}"

    @property
    def composed_id(self) -> str:
        return f"{self.order.number}-{self.fulfillment_order}"


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(
        Fulfillment, verbose_name=_("fulfillment"), related_name="lines", on_delete=models.CASCADE
    )
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), related_name="+", on_delete=models.CASCADE
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    stock = models.ForeignKey(
        "warehouse.Stock",
        verbose_name=_("stock"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("fulfillment line")
        verbose_name_plural = _("fulfillment lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.quantity} of line {self.order_line_id}"


class OrderEvents(models.TextChoices):
    PLACED = "placed", _("The order was placed")
    CONFIRMED = "confirmed", _("The order was confirmed")
    PAYMENT_CAPTURED = "captured", _("Payment was captured")
    MARKED_AS_PAID = "marked_as_paid", _("The order was marked as paid")
    PACKED = "packed", _("Items were packed")
    FULFILLMENT_FULFILLED_ITEMS = "fulfilled_items", _("Items were fulfilled")
    CANCELED = "canceled", _("The order was canceled")
    EMAIL_SENT = "email_sent", _("An email was sent")
    NOTE_ADDED = "note_added", _("A note was added")
    TRANSACTION_EVENT = "transaction_event", _("A payment transaction event was recorded")


class OrderEvent(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), related_name="events", on_delete=models.CASCADE
    )
    date = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    type = models.CharField(_("type"), max_length=255, choices=OrderEvents.choices)
    user = models.ForeignKey(
        "account.User",
        verbose_name=_("user"),
        related_name="+",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    parameters = models.JSONField(_("details"), blank=True, default=dict)

    class Meta:
        verbose_name = _("order history entry")
        verbose_name_plural = _("order history")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.type} on order {self.order_id}"
