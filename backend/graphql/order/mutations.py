"""Order mutations with Saleor's names: orderFulfill, orderCancel, orderMarkAsPaid
(MANAGE_ORDERS). A producer's members may also use orderFulfill, for the lines of their own
products only (backend.order.producer_fulfillment checks which lines are theirs)."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.core.ids import pk_from_global_id, uuid_from_global_id
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.order.types import Fulfillment, FulfillmentCarrierEnum, Order, OrderError
from backend.ocop.access import ProducerScope
from backend.order import actions
from backend.order import models as order_models
from backend.order.error_codes import OrderErrorCode
from backend.order.permissions import OrderPermissions
from backend.order.producer_fulfillment import fulfill_lines


def _not_found(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=OrderErrorCode.NOT_FOUND.value)})


def get_order(order_id, field: str = "id") -> order_models.Order:
    pk = uuid_from_global_id(order_id, "Order")
    order = order_models.Order.objects.filter(pk=pk).first() if pk else None
    if order is None:
        raise _not_found(field, _("Couldn't resolve to an order: %(id)s") % {"id": order_id})
    return order


class OrderFulfillStockInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True, description="The number of line items to fulfill.")
    warehouse = graphene.ID(required=True, description="ID of the warehouse.")


class OrderFulfillLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(description="The ID of the order line.")
    stocks = graphene.List(
        graphene.NonNull(OrderFulfillStockInput),
        required=True,
        description="List of stock items to create.",
    )


class OrderFulfillInput(graphene.InputObjectType):
    lines = graphene.List(
        graphene.NonNull(OrderFulfillLineInput),
        required=True,
        description="List of items informing how to fulfill the order.",
    )
    notify_customer = graphene.Boolean(description="Accepted for Saleor clients.")
    allow_stock_to_be_exceeded = graphene.Boolean(
        default_value=False, description="Accepted for Saleor clients; stock is never exceeded."
    )
    tracking_number = graphene.String(description="Fulfillment tracking number.")
    carrier = graphene.Field(
        FulfillmentCarrierEnum,
        description="The delivery company the goods were handed to (an OCOP Market addition).",
    )


class OrderFulfill(BaseMutation):
    """Ship order lines. Stock leaves the warehouses the lines were allocated from at checkout;
    the quantities per line are the sums of `stocks[].quantity`."""

    fulfillments = graphene.List(graphene.NonNull(Fulfillment))
    order = graphene.Field(Order)

    class Arguments:
        order = graphene.ID(description="ID of the order to be fulfilled.")
        input = OrderFulfillInput(required=True)

    class Meta:
        description = "Creates new fulfillments for an order."
        permissions = (OrderPermissions.MANAGE_ORDERS,)
        error_type_class = OrderError

    @staticmethod
    def scope(info) -> ProducerScope:
        return ProducerScope.of(info.context.user, OrderPermissions.MANAGE_ORDERS)

    @classmethod
    def check_permissions(cls, info, **data):
        """Order managers, or members of a producer (for their own lines)."""
        if not cls.scope(info).can_act:
            raise PermissionDenied(permissions=list(cls._meta.permissions))

    @classmethod
    def perform_mutation(cls, _root, info, input, order=None):
        order_obj = get_order(order, field="order")
        lines = {str(line.pk): line for line in order_obj.lines.all()}
        lines_quantities = []
        for item in input["lines"]:
            pk = uuid_from_global_id(item.get("order_line_id"), "OrderLine")
            line = lines.get(str(pk)) if pk else None
            if line is None:
                raise _not_found("order_line_id", _("The line does not belong to this order."))
            for stock in item["stocks"]:
                if pk_from_global_id(stock["warehouse"], "Warehouse") is None:
                    raise _not_found("warehouse", _("Invalid warehouse ID."))
            lines_quantities.append((line, sum(stock["quantity"] for stock in item["stocks"])))
        notify = input.get("notify_customer")
        fulfillment = fulfill_lines(
            order_obj,
            lines_quantities,
            scope=cls.scope(info),
            user=info.context.user,
            tracking_number=input.get("tracking_number") or "",
            carrier=getattr(input.get("carrier"), "value", input.get("carrier")) or "",
            notify_customer=notify is not False,
        )
        return cls(fulfillments=[fulfillment], order=order_obj, errors=[])


class OrderCancel(BaseMutation):
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True, description="ID of an order to cancel.")

    class Meta:
        description = "Cancel an order: its stock goes back on sale."
        permissions = (OrderPermissions.MANAGE_ORDERS,)
        error_type_class = OrderError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        order = actions.cancel_order(get_order(id), user=info.context.user)
        return cls(order=order, errors=[])


class OrderMarkAsPaid(BaseMutation):
    order = graphene.Field(Order)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order to mark paid.")
        transaction_reference = graphene.String(
            description="The reference of the payment (bank transfer, cash receipt)."
        )

    class Meta:
        description = "Mark order as manually paid (cash on delivery, bank transfer)."
        permissions = (OrderPermissions.MANAGE_ORDERS,)
        error_type_class = OrderError

    @classmethod
    def perform_mutation(cls, _root, info, id, transaction_reference=None):
        order = actions.mark_order_as_paid(
            get_order(id),
            user=info.context.user,
            transaction_reference=transaction_reference or "",
        )
        return cls(order=order, errors=[])
