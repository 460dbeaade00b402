"""The signed-in buyer's orders: the history (newest first, paginated) and one order's page
with its tracking. Another account's order is not found (404)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from backend.order.event_text import describe_event
from backend.order.models import Order, OrderEvents
from storefront.views_checkout import ORDER_PAGE_RELATED, order_page_context

ORDERS_PER_PAGE = 10
SIGN_IN = "storefront:sign_in"
# The history entries a buyer is shown (not staff notes, emails or payment records).
BUYER_EVENTS = (
    OrderEvents.PLACED,
    OrderEvents.CONFIRMED,
    OrderEvents.PAYMENT_CAPTURED,
    OrderEvents.MARKED_AS_PAID,
    OrderEvents.PACKED,
    OrderEvents.FULFILLMENT_FULFILLED_ITEMS,
    OrderEvents.CANCELED,
)


@require_GET
@login_required(login_url=SIGN_IN)
def account(request):
    """Order history: number, date, status, total and item count of each order, in one query
    per page whatever the number of orders and lines."""
    orders = (
        Order.objects.filter(user=request.user)
        .annotate(item_count=Sum("lines__quantity"))
        .order_by("-created_at", "-number")
    )
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "storefront/account/orders.html", {"page": page})


@require_GET
@login_required(login_url=SIGN_IN)
def account_order(request, number):
    found = get_object_or_404(
        Order.objects.select_related(*ORDER_PAGE_RELATED).prefetch_related("lines", "fulfillments"),
        number=number,
        user=request.user,
    )
    history = [
        {"date": event.date, "text": _event_text(event)}
        for event in found.events.filter(type__in=BUYER_EVENTS).order_by("date", "pk")
    ]
    context = order_page_context(found)
    context["history"] = history
    return render(request, "storefront/account/order.html", context)


def _event_text(event) -> str:
    """Staff's wording of the event, except what only staff should read (who marked it paid)."""
    if event.type == OrderEvents.MARKED_AS_PAID:
        return str(event.get_type_display())
    return describe_event(event)
