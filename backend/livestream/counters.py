"""The host console's live counters, from viewers' heartbeats and add-to-carts
(ViewerActivity). Orders and revenue come from the orders placed through the event."""

import secrets
from datetime import timedelta

from django.utils import timezone

from backend.core.money import format_money
from backend.livestream import report
from backend.livestream.models import ActivityKind, LiveEvent, ViewerActivity

# A viewer counts as watching while their page sent a heartbeat this recently.
WATCHING_WINDOW = timedelta(seconds=45)
# At most one view row per visitor per this long, however often their page calls in.
HEARTBEAT_GRANULARITY = timedelta(seconds=30)
VISITOR_SESSION_KEY = "live_visitor"


def visitor_key(session) -> str:
    """The anonymous key a viewer's activity is counted under, kept in their session."""
    key = session.get(VISITOR_SESSION_KEY)
    if not key:
        key = session[VISITOR_SESSION_KEY] = secrets.token_urlsafe(16)
    return key


def record_view(event: LiveEvent, visitor: str) -> bool:
    """A heartbeat from a viewer's page; True when it added a row."""
    now = timezone.now()
    recent = ViewerActivity.objects.filter(
        event=event, visitor=visitor, kind=ActivityKind.VIEW, at__gt=now - HEARTBEAT_GRANULARITY
    )
    if recent.exists():
        return False
    ViewerActivity.objects.create(event=event, visitor=visitor, kind=ActivityKind.VIEW, at=now)
    return True


def viewers_now(event: LiveEvent) -> int:
    since = timezone.now() - WATCHING_WINDOW
    return (
        ViewerActivity.objects.filter(event=event, kind=ActivityKind.VIEW, at__gt=since)
        .values("visitor")
        .distinct()
        .count()
    )


def record_add_to_cart(event: LiveEvent, visitor: str) -> None:
    ViewerActivity.objects.create(
        event=event, visitor=visitor, kind=ActivityKind.ADD_TO_CART, at=timezone.now()
    )


def add_to_carts(event: LiveEvent) -> int:
    return ViewerActivity.objects.filter(event=event, kind=ActivityKind.ADD_TO_CART).count()


def live_counters(event: LiveEvent) -> dict:
    """What the host console shows, refreshed every few seconds: viewers on the page now,
    add-to-carts, and the orders and revenue (integer VND) attributed to the event."""
    sales = report.order_figures(report.attributed_orders(event))
    return {
        "viewers_now": viewers_now(event),
        "add_to_carts": add_to_carts(event),
        "orders": sales.orders,
        "revenue": sales.revenue,
        "revenue_display": format_money(sales.revenue, "VND"),
    }
