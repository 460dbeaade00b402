"""Delivery over the API: prices by region and weight, delivery options, the international
channel, and pick-up at an OCOP showroom from the showroom's own stock."""

import pytest

from backend.core.ids import global_id
from backend.order.models import Order
from backend.warehouse.models import Allocation, Stock
from tests.fixtures.checkout import SOUTH_ADDRESS_INPUT, VN_ADDRESS_INPUT
from tests.test_checkout_flow import (
    COMPLETE,
    DELIVERY,
    LINES_UPDATE,
    QUERY,
    SHIPPING_ADDRESS,
    create,
    method_id,
    run,
    variant_id,
)

pytestmark = pytest.mark.django_db

OPTIONS = """
mutation Options($id: ID!) {
  deliveryOptionsCalculate(id: $id) {
    deliveries { id shippingMethod { id name price { amount currency } } }
    errors { field code message }
  }
}
"""


def _methods(checkout):
    return [(m["name"], m["price"]["amount"]) for m in checkout["shippingMethods"]]


def test_prices_follow_region_and_weight(api_client, checkout, variant):
    checkout_id = global_id("Checkout", checkout.pk)

    north = run(api_client, QUERY, {"id": checkout_id}, "checkout")
    assert _methods(north) == [("Giao hàng tiêu chuẩn", 30_000), ("Giao hàng nhanh", 55_000)]

    south = run(
        api_client,
        SHIPPING_ADDRESS,
        {"id": checkout_id, "address": SOUTH_ADDRESS_INPUT},
        "checkoutShippingAddressUpdate",
    )["checkout"]
    assert _methods(south) == [
        ("Giao hàng tiết kiệm miền Nam", 18_000),
        ("Giao hàng tiêu chuẩn", 30_000),
        ("Giao hàng nhanh", 55_000),
    ]

    heavy = run(
        api_client,
        LINES_UPDATE,
        {"id": checkout_id, "lines": [{"variantId": variant_id(variant), "quantity": 10}]},
        "checkoutLinesUpdate",
    )["checkout"]  # 10 × 500 g = 5 kg: the brackets meet at 5 kg
    assert ("Giao hàng hàng nặng", 80_000) in _methods(heavy)
    assert ("Giao hàng tiêu chuẩn", 30_000) in _methods(heavy)


def test_chosen_method_prices_the_order(api_client, checkout, shipping_zones):
    checkout_id = global_id("Checkout", checkout.pk)
    run(
        api_client,
        SHIPPING_ADDRESS,
        {"id": checkout_id, "address": SOUTH_ADDRESS_INPUT},
        "checkoutShippingAddressUpdate",
    )

    chosen = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": method_id(shipping_zones["south"])},
        "checkoutDeliveryMethodUpdate",
    )["checkout"]
    assert chosen["shippingPrice"]["gross"]["amount"] == 18_000
    assert chosen["totalPrice"]["gross"]["amount"] == 250_000 + 18_000
    assert chosen["delivery"]["shippingMethod"]["name"] == "Giao hàng tiết kiệm miền Nam"

    order = run(api_client, COMPLETE, {"id": checkout_id}, "checkoutComplete")["order"]
    assert order["total"]["gross"]["amount"] == 268_000
    assert Order.objects.get().shipping_method_name == "Giao hàng tiết kiệm miền Nam"


def test_delivery_options_calculate(api_client, checkout, shipping_zones):
    result = run(
        api_client, OPTIONS, {"id": global_id("Checkout", checkout.pk)}, "deliveryOptionsCalculate"
    )

    assert result["errors"] == []
    assert [
        (d["shippingMethod"]["name"], d["shippingMethod"]["price"]["amount"])
        for d in result["deliveries"]
    ] == [("Giao hàng tiêu chuẩn", 30_000), ("Giao hàng nhanh", 55_000)]
    unknown = global_id("Checkout", "00000000-0000-0000-0000-000000000000")
    missing = run(api_client, OPTIONS, {"id": unknown}, "deliveryOptionsCalculate")
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("id", "NOT_FOUND")]


def test_clearing_the_delivery_method(api_client, checkout):
    cleared = run(
        api_client,
        DELIVERY,
        {"id": global_id("Checkout", checkout.pk), "method": None},
        "checkoutDeliveryMethodUpdate",
    )["checkout"]

    assert cleared["deliveryMethod"] is None
    assert cleared["shippingPrice"]["gross"]["amount"] == 0


def test_international_channel_ships_abroad_in_dollars(api_client, variant, shipping_zones):
    created = create(
        api_client,
        channel="intl",
        email="buyer@example.com",
        lines=[{"variantId": variant_id(variant), "quantity": 2}],
        shippingAddress={
            "firstName": "Ann",
            "lastName": "Lee",
            "streetAddress1": "1 Market St",
            "city": "San Francisco",
            "postalCode": "94105",
            "countryArea": "CA",
            "country": "US",
        },
    )

    checkout = created["checkout"]
    assert created["errors"] == []
    assert checkout["subtotalPrice"]["gross"] == {"amount": 13.0, "currency": "USD"}
    assert [(m["name"], m["price"]) for m in checkout["shippingMethods"]] == [
        ("EMS International", {"amount": 25.0, "currency": "USD"})
    ]


def test_pick_up_at_the_showroom_takes_its_own_stock(
    api_client, checkout, variant, showroom, showroom_stock, warehouse
):
    checkout_id = global_id("Checkout", checkout.pk)
    showroom_id = global_id("Warehouse", showroom.pk)

    seen = run(api_client, QUERY, {"id": checkout_id}, "checkout")
    assert seen["availableCollectionPoints"] == [
        {"id": showroom_id, "name": showroom.name, "clickAndCollectOption": "LOCAL"}
    ]

    chosen = run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": showroom_id},
        "checkoutDeliveryMethodUpdate",
    )
    assert chosen["errors"] == []
    checkout_data = chosen["checkout"]
    assert checkout_data["deliveryMethod"] == {
        "__typename": "Warehouse",
        "id": showroom_id,
        "name": showroom.name,
    }
    assert checkout_data["shippingPrice"]["gross"]["amount"] == 0
    assert checkout_data["totalPrice"]["gross"]["amount"] == 250_000

    completed = run(api_client, COMPLETE, {"id": checkout_id}, "checkoutComplete")
    assert completed["errors"] == []
    order = Order.objects.get()
    assert order.collection_point == showroom
    assert [a.stock.warehouse for a in Allocation.objects.select_related("stock__warehouse")] == [
        showroom
    ]
    assert Stock.objects.get(warehouse=warehouse, product_variant=variant).quantity_allocated == 0


def test_pick_up_holds_more_than_the_showroom_has_is_refused(
    api_client, checkout, variant, showroom, showroom_stock
):
    """The showroom has 3: after choosing pick-up, asking for 4 is refused."""
    checkout_id = global_id("Checkout", checkout.pk)
    run(
        api_client,
        DELIVERY,
        {"id": checkout_id, "method": global_id("Warehouse", showroom.pk)},
        "checkoutDeliveryMethodUpdate",
    )

    result = run(
        api_client,
        LINES_UPDATE,
        {"id": checkout_id, "lines": [{"variantId": variant_id(variant), "quantity": 4}]},
        "checkoutLinesUpdate",
    )

    assert [(e["code"], e["variants"]) for e in result["errors"]] == [
        ("INSUFFICIENT_STOCK", [variant_id(variant)])
    ]
    assert checkout.lines.get().quantity == 2


def test_address_for_pick_up_is_not_needed(api_client, variant, showroom, showroom_stock):
    created = create(
        api_client,
        email="khach@example.com",
        lines=[{"variantId": variant_id(variant), "quantity": 1}],
        billingAddress=VN_ADDRESS_INPUT,
    )["checkout"]
    run(
        api_client,
        DELIVERY,
        {"id": created["id"], "method": global_id("Warehouse", showroom.pk)},
        "checkoutDeliveryMethodUpdate",
    )

    completed = run(api_client, COMPLETE, {"id": created["id"]}, "checkoutComplete")

    assert completed["errors"] == []
    assert Order.objects.get().shipping_address is None
