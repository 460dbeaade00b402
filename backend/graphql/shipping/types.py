"""Delivery types with Saleor's names: ShippingMethod (a method as a checkout sees it, priced in
its channel), Delivery and the DeliveryMethod union (a method, or a Warehouse as a pick-up
point)."""

from dataclasses import dataclass

import graphene

from backend.core.ids import global_id
from backend.graphql.core.types import Money, ObjectWithMetadata
from backend.graphql.warehouse.types import Warehouse
from backend.shipping import models
from backend.warehouse import models as warehouse_models


@dataclass
class ShippingMethodData:
    """A shipping method with its channel listing, as offered to one checkout."""

    method: models.ShippingMethod
    listing: models.ShippingMethodChannelListing | None
    active: bool = True
    message: str = ""

    def __getattr__(self, name):
        if name in ("method", "listing", "active", "message"):
            raise AttributeError(name)
        return getattr(self.method, name)


class ShippingMethodTypeEnum(graphene.Enum):
    PRICE = "PRICE"
    WEIGHT = "WEIGHT"


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True)
    value = graphene.Float(required=True)


def _weight(grams):
    return None if grams is None else Weight(unit="G", value=float(grams))


class ShippingMethod(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String()
    type = graphene.Field(ShippingMethodTypeEnum)
    maximum_delivery_days = graphene.Int()
    minimum_delivery_days = graphene.Int()
    maximum_order_weight = graphene.Field(Weight)
    minimum_order_weight = graphene.Field(Weight)
    price = graphene.Field(Money, required=True)
    maximum_order_price = graphene.Field(Money)
    minimum_order_price = graphene.Field(Money)
    active = graphene.Boolean(
        required=True, description="Whether the method can be chosen for this checkout."
    )
    message = graphene.String(description="Why the method cannot be chosen, when it cannot.")

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Shipping method available for the checkout."

    @staticmethod
    def resolve_id(root: ShippingMethodData, _info):
        return global_id("ShippingMethod", root.method.pk)

    @staticmethod
    def resolve_description(root: ShippingMethodData, _info):
        return root.method.description or None

    @staticmethod
    def resolve_type(root: ShippingMethodData, _info):
        return root.method.type.upper()

    @staticmethod
    def resolve_maximum_order_weight(root: ShippingMethodData, _info):
        return _weight(root.method.maximum_order_weight_grams)

    @staticmethod
    def resolve_minimum_order_weight(root: ShippingMethodData, _info):
        return _weight(root.method.minimum_order_weight_grams)

    @staticmethod
    def resolve_price(root: ShippingMethodData, _info):
        listing = root.listing
        if listing is None:
            return Money.from_minor(0, "VND")
        return Money.from_minor(listing.price_amount, listing.currency)

    @staticmethod
    def resolve_maximum_order_price(root: ShippingMethodData, _info):
        listing = root.listing
        return listing and Money.from_minor(listing.maximum_order_price_amount, listing.currency)

    @staticmethod
    def resolve_minimum_order_price(root: ShippingMethodData, _info):
        listing = root.listing
        return listing and Money.from_minor(listing.minimum_order_price_amount, listing.currency)

    @staticmethod
    def resolve_active(root: ShippingMethodData, _info):
        return root.active

    @staticmethod
    def resolve_message(root: ShippingMethodData, _info):
        return root.message or None


class Delivery(graphene.ObjectType):
    id = graphene.ID(required=True)
    shipping_method = graphene.Field(ShippingMethod)

    class Meta:
        description = "A delivery option for a checkout: one shipping method with its price."

    @staticmethod
    def resolve_id(root: ShippingMethodData, _info):
        return global_id("Delivery", root.method.pk)

    @staticmethod
    def resolve_shipping_method(root: ShippingMethodData, _info):
        return root


class DeliveryMethod(graphene.Union):
    class Meta:
        types = (ShippingMethod, Warehouse)

    @classmethod
    def resolve_type(cls, instance, info):
        if isinstance(instance, warehouse_models.Warehouse):
            return Warehouse
        return ShippingMethod
