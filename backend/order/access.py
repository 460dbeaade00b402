"""Who sees an order's customer details (email, addresses, phone) in full.

An order's ID names it (in links, webhooks, the office); it does not open the buyer's details.
Those are shown to the signed-in user who placed it, to staff with MANAGE_ORDERS, and to whoever
holds the order's `token` (the buyer's session and email link, `orderByToken`); everyone else who
reaches the order sees them masked (backend.core.anonymize), as Saleor does."""

import secrets

from backend.account.permissions import has_one_of_permissions
from backend.order.models import Order
from backend.order.permissions import OrderPermissions


def is_order_owner(user, order: Order) -> bool:
    return bool(order.user_id and user and user.is_authenticated and user.pk == order.user_id)


def holds_order_token(order: Order, token) -> bool:
    return bool(token) and secrets.compare_digest(str(order.token), str(token))


def can_see_customer_details(user, order: Order, token=None) -> bool:
    return (
        is_order_owner(user, order)
        or has_one_of_permissions(user, [OrderPermissions.MANAGE_ORDERS])
        or holds_order_token(order, token)
    )
