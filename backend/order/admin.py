"""Orders in the office admin: read-only history (lines, fulfillments, events) with the staff
actions of the API — cancel and mark as paid — as admin actions."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backend.core.money import format_money
from backend.order import actions, models


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = models.OrderLine
    fields = (
        "product_name",
        "variant_name",
        "product_sku",
        "quantity",
        "quantity_fulfilled",
        "unit_price",
        "total_price",
    )
    readonly_fields = fields

    @admin.display(description=_("Unit price"))
    def unit_price(self, line):
        return format_money(line.unit_price_amount, line.currency)

    @admin.display(description=_("Total"))
    def total_price(self, line):
        return format_money(line.total_price_amount, line.currency)


class FulfillmentInline(ReadOnlyInline):
    model = models.Fulfillment
    fields = ("fulfillment_order", "status", "tracking_number", "created_at")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = models.OrderEvent
    fields = ("date", "type", "user", "parameters")
    readonly_fields = fields


@admin.register(models.Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "created_at",
        "status",
        "user_email",
        "channel",
        "total",
        "charge_status",
        "payment_gateway",
        "source",
    )
    list_filter = ("status", "charge_status", "channel", "source", "payment_gateway")
    search_fields = ("number", "user_email", "shipping_address__phone", "voucher_code")
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, FulfillmentInline, OrderEventInline]
    readonly_fields = (
        "number",
        "created_at",
        "status",
        "source",
        "source_reference",
        "user",
        "user_email",
        "channel",
        "billing_address",
        "shipping_address",
        "shipping_method_name",
        "collection_point_name",
        "subtotal",
        "shipping",
        "discount",
        "total",
        "charged",
        "charge_status",
        "authorize_status",
        "payment_gateway",
        "voucher_code",
    )
    fields = (*readonly_fields, "customer_note", "metadata", "private_metadata")
    actions = ["cancel_orders", "mark_orders_as_paid"]

    def _money(self, order, minor):
        return format_money(minor, order.currency)

    @admin.display(description=_("Subtotal"))
    def subtotal(self, order):
        return self._money(order, order.subtotal_amount)

    @admin.display(description=_("Shipping"))
    def shipping(self, order):
        return self._money(order, order.shipping_price_amount)

    @admin.display(description=_("Discount"))
    def discount(self, order):
        return self._money(order, order.discount_amount)

    @admin.display(description=_("Total"), ordering="total_amount")
    def total(self, order):
        return self._money(order, order.total_amount)

    @admin.display(description=_("Charged"))
    def charged(self, order):
        return self._money(order, order.total_charged_amount)

    def has_add_permission(self, request):
        # Orders come from checkouts, livestreams and marketplaces, never typed in by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, action, done_message):
        done = 0
        for order in queryset:
            try:
                action(order, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"#{order.number}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Cancel selected orders"), permissions=["change"])
    def cancel_orders(self, request, queryset):
        self._run(request, queryset, actions.cancel_order, _("%(count)s orders canceled."))

    @admin.action(description=_("Mark selected orders as paid"), permissions=["change"])
    def mark_orders_as_paid(self, request, queryset):
        self._run(
            request, queryset, actions.mark_order_as_paid, _("%(count)s orders marked as paid.")
        )
