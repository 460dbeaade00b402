import graphene
from django.db.models import Exists, OuterRef, Q

from backend.core.ids import uuid_from_global_id
from backend.graphql.core.connection import connection_args
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.order.filters import OrderWhereInput, order_where_q
from backend.graphql.order.mutations import OrderCancel, OrderFulfill, OrderMarkAsPaid
from backend.graphql.order.resolvers import newest_first
from backend.graphql.order.types import (
    Order,
    OrderCountableConnection,
    can_manage_orders,
    open_with_token,
    requester_member_scope,
)
from backend.ocop.access import ProducerScope
from backend.order import models
from backend.order.permissions import OrderPermissions
from backend.order.producer_orders import hidden_from_member, producer_orders
from backend.product.models import Product
from backend.product.search import search_match_q


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        Order,
        id=graphene.Argument(graphene.ID, description="ID of the order."),
        external_reference=graphene.Argument(
            graphene.String, description="External ID of an order. Requires MANAGE_ORDERS."
        ),
        description="Look up an order by ID or external reference. The buyer's email and "
        "addresses are masked unless you placed the order or have MANAGE_ORDERS.",
    )
    order_by_token = graphene.Field(
        Order,
        token=graphene.Argument(
            graphene.UUID,
            required=True,
            description="The order's token (in the buyer's email link); it shows the buyer's "
            "details in full.",
        ),
        deprecation_reason="Use `order(id:)` instead.",
    )
    orders = graphene.ConnectionField(
        OrderCountableConnection,
        **connection_args(
            where=graphene.Argument(OrderWhereInput),
            search=graphene.String(description="Order number, customer email or product."),
            channel=graphene.String(description="Slug of a channel."),
        ),
        description="List of orders, newest first. Requires MANAGE_ORDERS; a producer's "
        "members see the orders with their products.",
    )

    @staticmethod
    def resolve_order(_root, info, id=None, external_reference=None):
        if id:
            pk = uuid_from_global_id(id, "Order")
            order = models.Order.objects.filter(pk=pk).first() if pk else None
            scope = requester_member_scope(info)
            if order is not None and scope is not None:
                if hidden_from_member(info.context.user, order, scope):
                    return None
            return order
        if external_reference and can_manage_orders(info):
            return models.Order.objects.filter(external_reference=external_reference).first()
        return None

    @staticmethod
    def resolve_order_by_token(_root, info, token):
        return open_with_token(info, models.Order.objects.filter(token=token).first())

    @staticmethod
    def resolve_orders(_root, info, where=None, search=None, channel=None, **kwargs):
        scope = ProducerScope.of(info.context.user, OrderPermissions.MANAGE_ORDERS)
        if not scope.can_act:
            raise PermissionDenied(permissions=[OrderPermissions.MANAGE_ORDERS])
        # Producer members list the orders with their products (backend.order.producer_orders).
        orders = models.Order.objects.all() if scope.everything else producer_orders(scope)
        orders = orders.filter(order_where_q(where))
        if channel:
            orders = orders.filter(channel__slug=channel)
        if search:
            orders = orders.filter(search_orders_q(search))
        return newest_first(orders, **kwargs)


def search_orders_q(search: str) -> Q:
    """Order number (with or without `#`), customer email or phone, or a product bought."""
    text = search.strip().lstrip("#")
    q = Q(user_email__icontains=text) | Q(shipping_address__phone__icontains=text)
    if text.isdigit():
        q |= Q(number=int(text))
    matching_products = Product.objects.filter(search_match_q(text))
    q |= Exists(
        models.OrderLine.objects.filter(
            order_id=OuterRef("pk"), variant__product__in=matching_products
        )
    )
    return q


class OrderMutations(graphene.ObjectType):
    order_fulfill = OrderFulfill.Field()
    order_cancel = OrderCancel.Field()
    order_mark_as_paid = OrderMarkAsPaid.Field()
