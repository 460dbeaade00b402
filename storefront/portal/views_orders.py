"""Orders containing the producer's products."""

from django.db.models import Exists, OuterRef
from django.shortcuts import render

from backend.order.models import Order, OrderLine
from storefront.portal.access import member_required


def producer_orders(member):
    """Orders with at least one line of the member's producer's products."""
    lines = member.scope.filter(
        OrderLine.objects.filter(order=OuterRef("pk")), "variant__product__producer_id"
    )
    return Order.objects.filter(Exists(lines))


@member_required
def order_list(request):
    orders = producer_orders(request.portal).order_by("-created_at")[:50]
    return render(request, "portal/orders.html", {"orders": orders})
