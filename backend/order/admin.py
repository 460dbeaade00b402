"""Orders in the office admin: the order as a clerk reads it (buyer, phone, addresses, payment
method, history in sentences) and the staff services of the API — fulfil, cancel, mark as paid
(backend.order.actions, the same as orderFulfill / orderCancel / orderMarkAsPaid) — as list
actions and as buttons on the order page, for staff with MANAGE_ORDERS."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import re_path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from backend.core.money import format_money
from backend.order import actions, models
from backend.order.emails import full_name
from backend.order.event_text import describe_event
from backend.order.permissions import OrderPermissions
from backend.payment.gateways import gateway_name

MANAGE_ORDERS = OrderPermissions.MANAGE_ORDERS.value


def can_manage_orders(request) -> bool:
    return request.user.is_active and request.user.is_staff and request.user.has_perm(MANAGE_ORDERS)


def can_view_orders(request) -> bool:
    return can_manage_orders(request) or request.user.has_perm("order.view_order")


class ReadOnlyInline(admin.TabularInline):
    """An order's lines, fulfillments and history: seen by whoever sees the order."""

    extra = 0
    can_delete = False
    template = "admin/order/order/readonly_inline.html"

    def has_view_permission(self, request, obj=None):
        return can_view_orders(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = models.OrderLine
    fields = ("item", "quantity", "quantity_fulfilled", "unit_price", "total_price")
    readonly_fields = fields

    @admin.display(description=_("product"))
    def item(self, line):
        name = " — ".join(part for part in (line.product_name, line.variant_name) if part)
        if not line.product_sku:
            return name
        return format_html("<span>{}<br><small>{}</small></span>", name, line.product_sku)

    @admin.display(description=_("Unit price"))
    def unit_price(self, line):
        return format_money(line.unit_price_amount, line.currency)

    @admin.display(description=_("Total"))
    def total_price(self, line):
        return format_money(line.total_price_amount, line.currency)


class FulfillmentInline(ReadOnlyInline):
    model = models.Fulfillment
    fields = ("fulfillment_order", "status", "carrier", "tracking_number", "created_at")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = models.OrderEvent
    fields = ("when", "description", "actor")
    readonly_fields = fields

    @admin.display(description=_("date"))
    def when(self, event):
        return date_format(localtime(event.date), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("what happened"))
    def description(self, event):
        return describe_event(event)

    @admin.display(description=_("by"))
    def actor(self, event):
        if event.user_id:
            return event.user.email
        return _("Customer") if event.type == models.OrderEvents.PLACED else _("System")


class PaymentMethodFilter(admin.SimpleListFilter):
    title = _("payment method")
    parameter_name = "payment_gateway"

    def lookups(self, request, model_admin):
        used = models.Order.objects.order_by().values_list("payment_gateway", flat=True)
        return [(gateway, gateway_name(gateway)) for gateway in sorted(set(used)) if gateway]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(payment_gateway=self.value())
        return queryset


def _phone_text(phone: str) -> str:
    """+84912345678 reads as 0912 345 678."""
    if phone.startswith("+84") and len(phone) == 12:
        national = "0" + phone[3:]
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    return phone


def _address_html(address):
    if address is None:
        return "—"
    street = ", ".join(
        part
        for part in (
            address.street_address_1,
            address.street_address_2,
            address.city,
            address.country_area,
        )
        if part
    )
    lines = [full_name(address, get_language() or "vi"), address.company_name, street]
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines if line))


def fulfill_everything(order, *, user):
    """Ship every item still waiting, as one fulfillment."""
    lines = [(line, line.quantity_unfulfilled) for line in order.lines.all()]
    return actions.fulfill_order(
        order, [(line, quantity) for line, quantity in lines if quantity], user=user
    )


def available_services(order) -> set[str]:
    """Which buttons make sense for the order now (the services still check everything)."""
    services = set()
    if order.status in actions.FULFILLABLE_STATUSES:
        services.add("fulfill")
    if order.status in actions.CANCELABLE_STATUSES and not order.fulfillments.exists():
        services.add("cancel")
    if not order.is_paid and order.status not in (
        models.OrderStatus.CANCELED,
        models.OrderStatus.DRAFT,
        models.OrderStatus.EXPIRED,
    ):
        services.add("mark-paid")
    return services


# The buttons on the order page: url segment -> (label, service, success message).
ORDER_SERVICES = {
    "fulfill": (
        _("Fulfil (ship every item)"),
        fulfill_everything,
        _("Order #%(number)s fulfilled."),
    ),
    "mark-paid": (
        _("Mark as paid"),
        actions.mark_order_as_paid,
        _("Order #%(number)s marked as paid."),
    ),
    "cancel": (_("Cancel order"), actions.cancel_order, _("Order #%(number)s canceled.")),
}


@admin.register(models.Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "placed",
        "status",
        "customer",
        "total",
        "charge_status",
        "payment_method",
    )
    list_filter = ("status", "charge_status", "channel", "source", PaymentMethodFilter)
    list_select_related = ("channel", "shipping_address", "billing_address")
    search_fields = ("number", "user_email", "shipping_address__phone", "voucher_code")
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, FulfillmentInline, OrderEventInline]
    fieldsets = (
        (
            _("Order"),
            {"fields": ("number", "created_at", "status", "source", "source_reference", "channel")},
        ),
        (
            _("Customer"),
            {
                "fields": (
                    "user",
                    "user_email",
                    "phone",
                    "shipping_address_text",
                    "billing_address_text",
                    "customer_note",
                )
            },
        ),
        (_("Delivery"), {"fields": ("shipping_method_name", "collection_point_name")}),
        (
            _("Payment"),
            {
                "fields": (
                    "payment_method",
                    "subtotal",
                    "shipping",
                    "discount",
                    "total",
                    "charged",
                    "charge_status",
                    "authorize_status",
                    "voucher_code",
                )
            },
        ),
        (_("Metadata"), {"classes": ("collapse",), "fields": ("metadata", "private_metadata")}),
    )
    readonly_fields = (
        "number",
        "created_at",
        "status",
        "source",
        "source_reference",
        "channel",
        "user",
        "user_email",
        "phone",
        "shipping_address_text",
        "billing_address_text",
        "shipping_method_name",
        "collection_point_name",
        "payment_method",
        "subtotal",
        "shipping",
        "discount",
        "total",
        "charged",
        "charge_status",
        "authorize_status",
        "voucher_code",
    )
    actions = ["fulfill_orders", "mark_orders_as_paid", "cancel_orders"]

    @admin.display(description=_("created at"), ordering="created_at")
    def placed(self, order):
        return date_format(localtime(order.created_at), "SHORT_DATETIME_FORMAT")

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

    @admin.display(description=_("payment method"), ordering="payment_gateway")
    def payment_method(self, order):
        return gateway_name(order.payment_gateway) if order.payment_gateway else "—"

    @admin.display(description=_("phone"))
    def phone(self, order):
        address = order.shipping_address or order.billing_address
        if address is None or not address.phone:
            return "—"
        return format_html('<a href="tel:{}">{}</a>', address.phone, _phone_text(address.phone))

    @admin.display(description=_("Customer"), ordering="user_email")
    def customer(self, order):
        return format_html("{}<br>{}", order.user_email or "—", self.phone(order))

    @admin.display(description=_("shipping address"))
    def shipping_address_text(self, order):
        return _address_html(order.shipping_address)

    @admin.display(description=_("billing address"))
    def billing_address_text(self, order):
        return _address_html(order.billing_address)

    def has_add_permission(self, request):
        # Orders come from checkouts, livestreams and marketplaces, never typed in by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # MANAGE_ORDERS (as in the API) is enough to work on orders; view_order only looks.
    def has_module_permission(self, request):
        return can_view_orders(request)

    def has_view_permission(self, request, obj=None):
        return can_view_orders(request)

    def has_change_permission(self, request, obj=None):
        return can_manage_orders(request) or super().has_change_permission(request, obj)

    def has_manage_permission(self, request):
        return can_manage_orders(request)

    # --- Staff services: list actions ---------------------------------------------------------

    def _run(self, request, orders, service, done_message):
        done = 0
        for order in orders:
            try:
                service(order, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"#{order.number}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Fulfil selected orders (ship every item)"), permissions=["manage"])
    def fulfill_orders(self, request, queryset):
        self._run(request, queryset, fulfill_everything, _("%(count)s orders fulfilled."))

    @admin.action(description=_("Cancel selected orders"), permissions=["manage"])
    def cancel_orders(self, request, queryset):
        self._run(request, queryset, actions.cancel_order, _("%(count)s orders canceled."))

    @admin.action(description=_("Mark selected orders as paid"), permissions=["manage"])
    def mark_orders_as_paid(self, request, queryset):
        self._run(
            request, queryset, actions.mark_order_as_paid, _("%(count)s orders marked as paid.")
        )

    # --- Staff services: buttons on the order page --------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.order_button_view))
        return [
            re_path(
                rf"^(?P<object_id>[^/]+)/(?P<service>{'|'.join(ORDER_SERVICES)})/$",
                view,
                name="order_order_service",
            ),
            *super().get_urls(),
        ]

    def order_button_view(self, request, object_id, service):
        if service not in ORDER_SERVICES or not self.has_manage_permission(request):
            raise PermissionDenied
        order = get_object_or_404(models.Order, pk=object_id)
        _label, runner, done_message = ORDER_SERVICES[service]
        try:
            runner(order, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, done_message % {"number": order.number}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:order_order_change", args=[order.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        buttons = []
        if order is not None and self.has_manage_permission(request):
            buttons = [
                (reverse("admin:order_order_service", args=[order.pk, service]), label, service)
                for service, (label, _service, _message) in ORDER_SERVICES.items()
                if service in available_services(order)
            ]
        extra_context = {**(extra_context or {}), "order_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)
