"""Warehouses, stock per variant per warehouse, the holds and allocations against it, and the
durable record of every change.

What can be sold is decided in one place, `backend.warehouse.availability`; the database refuses
negative and over-allocated values, so no code path can sell below zero.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata


class ClickAndCollectOption(models.TextChoices):
    DISABLED = "disabled", _("Disabled")
    LOCAL_STOCK = "local", _("Local stock only")
    ALL_WAREHOUSES = "all", _("All warehouses")


class Warehouse(ModelWithMetadata):
    """A producer's store or an OCOP showroom; showrooms offer pick-up (click and collect)."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    email = models.EmailField(_("email"), blank=True, default="")
    producer = models.ForeignKey(
        "ocop.Producer",
        verbose_name=_("producer"),
        related_name="warehouses",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    province = models.ForeignKey(
        "ocop.Province",
        verbose_name=_("province or city"),
        related_name="warehouses",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    street_address = models.CharField(_("street address"), max_length=256, blank=True)
    ward = models.CharField(_("ward"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_private = models.BooleanField(_("private"), default=True)
    click_and_collect_option = models.CharField(
        _("pick-up option"),
        max_length=15,
        choices=ClickAndCollectOption.choices,
        default=ClickAndCollectOption.DISABLED,
    )
    channels = models.ManyToManyField(
        "channel.Channel", verbose_name=_("channels"), related_name="warehouses", blank=True
    )

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["slug"]

    def __str__(self):
        return self.name


def live_holds():
    return Reservation.objects.filter(reserved_until__gt=timezone.now())


class StockQuerySet(models.QuerySet):
    def annotate_available(self, exclude_holder: str | None = None):
        """`available`: quantity − allocated − live holds of other holders, never below 0 (the
        availability rule, backend/warehouse/availability.py)."""
        holds = live_holds().filter(stock_id=OuterRef("pk"))
        if exclude_holder is not None:
            holds = holds.exclude(holder=exclude_holder)
        held = Subquery(
            holds.order_by()
            .values("stock_id")
            .annotate(total=Sum("quantity_reserved"))
            .values("total")
        )
        return self.annotate(
            available=Greatest(F("quantity") - F("quantity_allocated") - Coalesce(held, 0), 0)
        )


class Stock(models.Model):
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), related_name="stocks", on_delete=models.CASCADE
    )
    product_variant = models.ForeignKey(
        "product.ProductVariant",
        verbose_name=_("product variant"),
        related_name="stocks",
        on_delete=models.CASCADE,
    )
    quantity = models.IntegerField(_("quantity"), default=0)
    quantity_allocated = models.IntegerField(_("quantity allocated"), default=0)

    objects = StockQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        unique_together = (("warehouse", "product_variant"),)
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="stock_quantity_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_allocated__gte=0), name="stock_allocated_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_allocated__lte=models.F("quantity")),
                name="stock_allocated_lte_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.product_variant_id} in {self.warehouse_id}: {self.quantity}"


class HolderKind(models.TextChoices):
    """Who may hold stock; a holder key is `<kind>:<id>` (e.g. `checkout:<token>`)."""

    CHECKOUT = "checkout", _("Checkout")
    LIVESTREAM_QUOTA = "livestream", _("Livestream quota")
    MARKETPLACE_ORDER = "marketplace", _("Marketplace order")


def holder_key(kind: HolderKind, identifier) -> str:
    """The holder name of a checkout, a livestream quota or a marketplace order."""
    return f"{kind.value}:{identifier}"


class Reservation(models.Model):
    """Stock held for a while for one holder — a buyer's checkout line, a livestream's quota, a
    marketplace order awaiting payment — so others cannot sell it meanwhile. Holds of the same
    holder never count against it; expired holds count for nothing."""

    holder = models.CharField(_("holder"), max_length=120, db_index=True)
    checkout_line = models.ForeignKey(
        "checkout.CheckoutLine",
        verbose_name=_("checkout line"),
        related_name="reservations",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    stock = models.ForeignKey(
        Stock, verbose_name=_("stock"), related_name="reservations", on_delete=models.CASCADE
    )
    quantity_reserved = models.PositiveIntegerField(_("quantity reserved"), default=0)
    reserved_until = models.DateTimeField(_("reserved until"), db_index=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkout_line", "stock"],
                condition=models.Q(checkout_line__isnull=False),
                name="reservation_one_per_line_and_stock",
            ),
            models.UniqueConstraint(
                fields=["holder", "stock"],
                condition=models.Q(checkout_line__isnull=True),
                name="reservation_one_per_holder_and_stock",
            ),
            models.CheckConstraint(
                condition=models.Q(holder__contains=":"), name="reservation_holder_named"
            ),
            # A checkout's hold belongs to one of its lines and goes with it.
            models.CheckConstraint(
                condition=~models.Q(holder__startswith="checkout:")
                | models.Q(checkout_line__isnull=False),
                name="reservation_checkout_hold_has_line",
            ),
        ]

    def __str__(self):
        return f"{self.quantity_reserved} of stock {self.stock_id} until {self.reserved_until}"


class StockChangeReason(models.TextChoices):
    ALLOCATED = "allocated", _("Allocated to an order")
    DEALLOCATED = "deallocated", _("Released by an order")
    FULFILLED = "fulfilled", _("Shipped")
    HELD = "held", _("Held")
    HOLD_RELEASED = "hold_released", _("Hold released")
    HOLD_EXPIRED = "hold_expired", _("Hold expired")
    QUANTITY_SET = "quantity_set", _("Quantity set")


class StockChange(models.Model):
    """One row per stock row whose sellable quantity may have moved, written in the same
    transaction as the move (an outbox): webhook delivery and marketplace sync read these, so a
    change is never lost to a broker or worker that was down — a periodic sweep finds what no
    worker took."""

    stock = models.ForeignKey(
        Stock,
        verbose_name=_("stock"),
        related_name="changes",
        on_delete=models.SET_NULL,
        null=True,
    )
    variant_id = models.BigIntegerField(_("product variant"))
    warehouse_id = models.BigIntegerField(_("warehouse"))
    reason = models.CharField(_("reason"), max_length=20, choices=StockChangeReason.choices)
    quantity = models.IntegerField(_("quantity"))
    quantity_allocated = models.IntegerField(_("quantity allocated"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    webhook_sent_at = models.DateTimeField(_("webhook queued at"), null=True, blank=True)
    marketplaces_taken_at = models.DateTimeField(
        _("taken by the marketplace sync at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("stock change")
        verbose_name_plural = _("stock changes")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(webhook_sent_at__isnull=True),
                name="stock_change_webhook_pending",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(marketplaces_taken_at__isnull=True),
                name="stock_change_sync_pending",
            ),
        ]

    def __str__(self):
        return f"{self.reason}: stock {self.stock_id} at {self.created_at}"


class Allocation(models.Model):
    """Stock set aside for an order line; `Stock.quantity_allocated` is the sum of these."""

    order_line = models.ForeignKey(
        "order.OrderLine",
        verbose_name=_("order line"),
        related_name="allocations",
        on_delete=models.CASCADE,
    )
    stock = models.ForeignKey(
        Stock, verbose_name=_("stock"), related_name="allocations", on_delete=models.CASCADE
    )
    quantity_allocated = models.PositiveIntegerField(_("quantity allocated"), default=0)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        unique_together = (("order_line", "stock"),)
        ordering = ["pk"]

    def __str__(self):
        return f"{self.quantity_allocated} of stock {self.stock_id}"
