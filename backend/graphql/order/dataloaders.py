"""Batch loaders for orders. Lines carry `order_channel_id` (joined in the same query) so a
line's variant can be shown in the order's channel without loading the order again."""

from django.db.models import F

from backend.account.models import User
from backend.discount.models import Voucher
from backend.graphql.core.dataloaders import ByIdLoader, DataLoader, group_by
from backend.order.models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine
from backend.order.producer_orders import producer_shipments_by_order
from backend.shipping.models import ShippingMethod


def _lines():
    return OrderLine.objects.annotate(
        order_channel_id=F("order__channel_id"),
        line_producer_id=F("variant__product__producer_id"),
    )


class OrderByIdLoader(ByIdLoader):
    model = Order


class OrderLineByIdLoader(DataLoader):
    def batch_load(self, keys):
        lines = _lines().in_bulk(keys)
        return [lines.get(key) for key in keys]


class LinesByOrderIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(_lines().filter(order_id__in=keys), lambda line: line.order_id)
        return [grouped.get(key, []) for key in keys]


class FulfillmentsByOrderIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = Fulfillment.objects.filter(order_id__in=keys)
        grouped = group_by(rows, lambda fulfillment: fulfillment.order_id)
        return [grouped.get(key, []) for key in keys]


class ProducerFulfillmentsByOrderIdLoader(DataLoader):
    """A producer member's view of shipments: only those that carried their products (keyed
    per scope, `ProducerFulfillmentsByOrderIdLoader(context, scope)`)."""

    def _init(self, context, scope):
        super()._init(context, scope)
        self.scope = scope

    def batch_load(self, keys):
        grouped = producer_shipments_by_order(self.scope, keys)
        return [grouped.get(key, []) for key in keys]


class FulfillmentLinesByFulfillmentIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = FulfillmentLine.objects.filter(fulfillment_id__in=keys)
        grouped = group_by(rows, lambda line: line.fulfillment_id)
        return [grouped.get(key, []) for key in keys]


class EventsByOrderIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(OrderEvent.objects.filter(order_id__in=keys), lambda e: e.order_id)
        return [grouped.get(key, []) for key in keys]


class UserByIdLoader(ByIdLoader):
    model = User


class ShippingMethodByIdLoader(ByIdLoader):
    model = ShippingMethod


class VoucherByIdLoader(ByIdLoader):
    model = Voucher
