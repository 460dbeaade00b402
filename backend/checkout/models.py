"""A buyer's checkout (cart): lines, contact email, addresses, delivery and promo code.

Identified by an unguessable `token` (Saleor's checkout id); completing it turns it into an order.
"""

import uuid

from django.db import models

from backend.core.models import ModelWithMetadata


class Checkout(ModelWithMetadata):
    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_change = models.DateTimeField(auto_now=True, db_index=True)
    user = models.ForeignKey(
        "account.User", related_name="checkouts", blank=True, null=True, on_delete=models.CASCADE
    )
    email = models.EmailField(blank=True, null=True)
    channel = models.ForeignKey(
        "channel.Channel", related_name="checkouts", on_delete=models.PROTECT
    )
    currency = models.CharField(max_length=3)
    country = models.CharField(max_length=2, default="VN")
    language_code = models.CharField(max_length=35, default="vi")
    billing_address = models.ForeignKey(
        "account.Address", related_name="+", blank=True, null=True, on_delete=models.SET_NULL
    )
    shipping_address = models.ForeignKey(
        "account.Address", related_name="+", blank=True, null=True, on_delete=models.SET_NULL
    )
    save_shipping_address = models.BooleanField(default=True)
    save_billing_address = models.BooleanField(default=True)
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod",
        related_name="checkouts",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    collection_point = models.ForeignKey(
        "warehouse.Warehouse",
        related_name="checkouts",
        blank=True,
        null=True,
        on_delete=models.SET_NULL,
    )
    voucher_code = models.CharField(max_length=255, blank=True, null=True)
    customer_note = models.TextField(blank=True, default="")
    redirect_url = models.URLField(blank=True, default="")
    # Set while checkoutComplete runs, so payment calls can refuse a checkout being completed.
    completing_started_at = models.DateTimeField(blank=True, null=True)

    class Meta:
        ordering = ["-last_change", "pk"]
        permissions = (("manage_checkouts", "Manage checkouts"),)

    def __str__(self):
        return str(self.token)


class CheckoutLine(ModelWithMetadata):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(Checkout, related_name="lines", on_delete=models.CASCADE)
    variant = models.ForeignKey(
        "product.ProductVariant", related_name="checkout_lines", on_delete=models.CASCADE
    )
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="checkout_line_quantity_gte_1"
            )
        ]
