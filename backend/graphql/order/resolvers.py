"""Order lists of the `orders` query and of `User.orders`: below the order schema and its
mutations, so the account types can resolve a user's orders without an import cycle."""

from backend.graphql.core.connection import paginate
from backend.graphql.core.permissions import require_permissions
from backend.graphql.order.filters import order_where_q
from backend.graphql.order.types import OrderCountableConnection
from backend.order import models
from backend.order.permissions import OrderPermissions


def newest_first(orders, **paging):
    """A page of `orders`, newest (highest number) first."""
    return paginate(
        orders,
        OrderCountableConnection,
        sort_fields=["number"],
        descending=True,
        field_name="orders",
        **paging,
    )


def resolve_user_orders(user, info, where=None, **kwargs):
    """`User.orders`: the user's own orders (as `me`), or anyone's for order managers."""
    requester = info.context.user
    is_self = bool(requester and requester.is_authenticated and requester.pk == user.pk)
    if getattr(user, "hide_id", False):
        return None
    if not is_self:
        require_permissions(info, [OrderPermissions.MANAGE_ORDERS])
    orders = models.Order.objects.filter(user_id=user.pk).filter(order_where_q(where))
    return newest_first(orders, **kwargs)
