"""Warehouses and stock per variant per warehouse.

Available quantity = quantity − quantity_allocated; the database refuses negative values, so no
code path can sell below zero.
"""

from django.db import models
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

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_allocated, 0)


class Reservation(models.Model):
    """Stock held for a checkout line for a short while, so a buyer filling in the checkout
    form does not lose the goods to someone faster. Expired reservations count for nothing."""

    checkout_line = models.ForeignKey(
        "checkout.CheckoutLine",
        verbose_name=_("checkout line"),
        related_name="reservations",
        on_delete=models.CASCADE,
    )
    stock = models.ForeignKey(
        Stock, verbose_name=_("stock"), related_name="reservations", on_delete=models.CASCADE
    )
    quantity_reserved = models.PositiveIntegerField(_("quantity reserved"), default=0)
    reserved_until = models.DateTimeField(_("reserved until"), db_index=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        unique_together = (("checkout_line", "stock"),)
        ordering = ["pk"]

    def __str__(self):
        return f"{self.quantity_reserved} of stock {self.stock_id} until {self.reserved_until}"


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
