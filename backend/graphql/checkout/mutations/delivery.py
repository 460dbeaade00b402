"""Choosing how the checkout is delivered: a shipping method or a pick-up point
(backend.checkout.delivery)."""

import graphene
from django.utils.translation import gettext as _

from backend.checkout.delivery import set_delivery
from backend.checkout.error_codes import CheckoutErrorCode
from backend.graphql.checkout.mutations.base import (
    CheckoutIdArguments,
    CheckoutUpdateMutation,
    mutation_error,
)
from backend.shipping.models import ShippingMethod as ShippingMethodModel
from backend.warehouse.models import Warehouse as WarehouseModel


def _delivery_target(value):
    """(shipping method, collection point) named by a ShippingMethod, Delivery or Warehouse id."""
    from graphql_relay import from_global_id

    try:
        type_name, pk = from_global_id(value)
    except Exception:  # noqa: BLE001 - any undecodable id is just invalid
        type_name, pk = "", ""
    if type_name not in ("ShippingMethod", "Delivery", "Warehouse") or not pk.isdigit():
        raise mutation_error(
            "delivery_method_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.INVALID,
        )
    model = WarehouseModel if type_name == "Warehouse" else ShippingMethodModel
    found = model.objects.filter(pk=int(pk)).first()
    if found is None:
        raise mutation_error(
            "delivery_method_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.NOT_FOUND,
        )
    if type_name == "Warehouse":
        return None, found
    return found, None


class CheckoutDeliveryMethodUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutIdArguments):
        delivery_method_id = graphene.ID(
            description="A ShippingMethod id for delivery or a Warehouse id for pick-up; "
            "null clears the choice."
        )

    class Meta:
        description = "Updates the delivery method (shipping method or pick up point)."

    @classmethod
    def update(cls, info, checkout, delivery_method_id=None):
        shipping_method = collection_point = None
        if delivery_method_id:
            shipping_method, collection_point = _delivery_target(delivery_method_id)
        set_delivery(checkout, shipping_method=shipping_method, collection_point=collection_point)
