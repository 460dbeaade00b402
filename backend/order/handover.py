"""How an order reaches the buyer and when they pay, for the order page and the confirmation
email: a pick-up is collected and, with cash on delivery, paid at the pick-up point; a shipped
order paid by cash on delivery is paid to the delivery staff."""

from dataclasses import dataclass

from backend.order.models import Order
from backend.payment.gateways import COD


def warehouse_address(warehouse) -> str:
    """A pick-up point's street, ward and province on one line."""
    province = warehouse.province.name if warehouse.province else ""
    return ", ".join(part for part in (warehouse.street_address, warehouse.ward, province) if part)


@dataclass(frozen=True)
class Handover:
    is_pickup: bool
    place_name: str  # the pick-up point's, empty for a shipped order
    place_address: str
    pays_on_handover: bool  # cash on delivery still to be paid, at the point or to the courier
    contact: object  # the address whose name and phone the shop calls


def order_handover(order: Order) -> Handover:
    is_pickup = bool(order.collection_point_id or order.collection_point_name)
    point = order.collection_point
    return Handover(
        is_pickup=is_pickup,
        place_name=(point.name if point else order.collection_point_name) if is_pickup else "",
        place_address=warehouse_address(point) if is_pickup and point else "",
        pays_on_handover=order.payment_gateway == COD and not order.is_paid,
        contact=order.shipping_address or order.billing_address,
    )
