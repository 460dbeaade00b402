"""Staff order mutations: orderFulfill ships stock, orderCancel gives it back, orderMarkAsPaid
records the money (and ORDER_PAID); all need MANAGE_ORDERS and a failure changes nothing."""

import pytest

from backend.core.ids import global_id
from backend.order.models import OrderEvent, OrderEvents, OrderStatus
from backend.warehouse.models import Stock
from backend.webhook.models import Webhook
from tests.fixtures.accounts import access_token_for
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order, grant
from tests.webhook_receiver import WebhookReceiver

FULFILL = """
mutation ($order: ID!, $lines: [OrderFulfillLineInput!]!, $tracking: String) {
  orderFulfill(order: $order, input: {lines: $lines, trackingNumber: $tracking}) {
    fulfillments {
      fulfillmentOrder status trackingNumber lines { quantity orderLine { productName } }
    }
    order { status lines { quantity quantityFulfilled } }
    errors { field code message variants }
  }
}
"""
CANCEL = """
mutation ($id: ID!) {
  orderCancel(id: $id) { order { status } errors { field code message } }
}
"""
MARK_PAID = """
mutation ($id: ID!, $ref: String) {
  orderMarkAsPaid(id: $id, transactionReference: $ref) {
    order { isPaid chargeStatus paymentStatus totalCharged { amount } totalBalance { amount } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def order(channel_vn, variant):
    return create_order(channel_vn, [(variant, 4)], address_data=VN_ADDRESS)


@pytest.fixture
def manager_token(staff_user):
    return access_token_for(grant(staff_user, "order", "manage_orders"))


def stock_of(variant) -> tuple[int, int]:
    stock = Stock.objects.get(product_variant=variant, warehouse__slug="showroom-ocop")
    return stock.quantity, stock.quantity_allocated


def fulfill_vars(order, quantity, warehouse):
    line = order.lines.get()
    return {
        "order": global_id("Order", order.pk),
        "lines": [
            {
                "orderLineId": global_id("OrderLine", line.pk),
                "stocks": [
                    {"quantity": quantity, "warehouse": global_id("Warehouse", warehouse.pk)}
                ],
            }
        ],
        "tracking": "VN123456789",
    }


def test_fulfilling_in_two_parcels_takes_the_stock_out(
    api_client, order, variant, warehouse, manager_token
):
    assert stock_of(variant) == (10, 4)

    first = api_client.execute(FULFILL, fulfill_vars(order, 3, warehouse), token=manager_token)
    payload = first["data"]["orderFulfill"]
    assert payload["errors"] == []
    assert payload["fulfillments"] == [
        {
            "fulfillmentOrder": 1,
            "status": "FULFILLED",
            "trackingNumber": "VN123456789",
            "lines": [{"quantity": 3, "orderLine": {"productName": "Nước mắm Phú Quốc"}}],
        }
    ]
    assert payload["order"] == {
        "status": "PARTIALLY_FULFILLED",
        "lines": [{"quantity": 4, "quantityFulfilled": 3}],
    }
    assert stock_of(variant) == (7, 1)

    second = api_client.execute(FULFILL, fulfill_vars(order, 1, warehouse), token=manager_token)
    assert second["data"]["orderFulfill"]["order"]["status"] == "FULFILLED"
    assert second["data"]["orderFulfill"]["fulfillments"][0]["fulfillmentOrder"] == 2
    assert stock_of(variant) == (6, 0)
    event = OrderEvent.objects.filter(type=OrderEvents.FULFILLMENT_FULFILLED_ITEMS).last()
    assert event.parameters["composed_id"] == f"{order.number}-2"


@pytest.mark.parametrize(("quantity", "code"), [(5, "FULFILL_ORDER_LINE"), (0, "ZERO_QUANTITY")])
def test_fulfilling_more_than_ordered_or_nothing_fails(
    api_client, order, variant, warehouse, manager_token, quantity, code
):
    result = api_client.execute(
        FULFILL, fulfill_vars(order, quantity, warehouse), token=manager_token
    )
    assert result["data"]["orderFulfill"]["errors"][0]["code"] == code
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED
    assert not order.fulfillments.exists()
    assert stock_of(variant) == (10, 4)


def test_fulfilling_without_allocated_stock_fails(
    api_client, channel_vn, variant, warehouse, manager_token
):
    unallocated = create_order(channel_vn, [(variant, 1)], allocate=False)
    result = api_client.execute(
        FULFILL, fulfill_vars(unallocated, 1, warehouse), token=manager_token
    )
    [error] = result["data"]["orderFulfill"]["errors"]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert error["variants"] == [global_id("ProductVariant", variant.pk)]
    assert stock_of(variant) == (10, 0)
    assert unallocated.lines.get().quantity_fulfilled == 0


def test_fulfilling_needs_manage_orders(api_client, order, variant, warehouse, customer_token):
    result = api_client.execute(FULFILL, fulfill_vars(order, 1, warehouse), token=customer_token)
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert stock_of(variant) == (10, 4)


def test_fulfilling_a_line_of_another_order_fails(
    api_client, order, channel_vn, variant, warehouse, manager_token
):
    other = create_order(channel_vn, [(variant, 1)])
    variables = fulfill_vars(other, 1, warehouse)
    variables["order"] = global_id("Order", order.pk)
    result = api_client.execute(FULFILL, variables, token=manager_token)
    assert result["data"]["orderFulfill"]["errors"][0]["code"] == "NOT_FOUND"


def test_cancel_gives_the_stock_back(api_client, order, variant, manager_token):
    result = api_client.execute(CANCEL, {"id": global_id("Order", order.pk)}, token=manager_token)
    assert result["data"]["orderCancel"] == {"order": {"status": "CANCELED"}, "errors": []}
    assert stock_of(variant) == (10, 0)
    assert OrderEvent.objects.filter(order=order, type=OrderEvents.CANCELED).exists()

    again = api_client.execute(CANCEL, {"id": global_id("Order", order.pk)}, token=manager_token)
    assert again["data"]["orderCancel"]["errors"][0]["code"] == "CANNOT_CANCEL_ORDER"


def test_shipped_orders_cannot_be_canceled(api_client, order, variant, warehouse, manager_token):
    api_client.execute(FULFILL, fulfill_vars(order, 1, warehouse), token=manager_token)
    result = api_client.execute(CANCEL, {"id": global_id("Order", order.pk)}, token=manager_token)
    assert result["data"]["orderCancel"]["errors"][0]["code"] == "CANNOT_CANCEL_ORDER"
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    assert stock_of(variant) == (9, 3)


def test_cancel_needs_manage_orders(api_client, order, customer_token):
    result = api_client.execute(CANCEL, {"id": global_id("Order", order.pk)}, token=customer_token)
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED


def test_unknown_order_is_not_found(api_client, manager_token):
    missing = global_id("Order", "00000000-0000-0000-0000-000000000000")
    result = api_client.execute(CANCEL, {"id": missing}, token=manager_token)
    assert result["data"]["orderCancel"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": f"Không tìm thấy đơn hàng: {missing}"}
    ]


def test_mark_as_paid_records_the_payment_and_tells_apps(
    api_client, order, manager_token, django_capture_on_commit_callbacks
):
    receiver = WebhookReceiver(secret="s").start()
    try:
        Webhook.objects.create(
            name="ERP", target_url=receiver.url, secret_key="s", events=["order_paid"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            result = api_client.execute(
                MARK_PAID,
                {"id": global_id("Order", order.pk), "ref": "COD-GHN-0001"},
                token=manager_token,
            )
    finally:
        receiver.stop()
    payload = result["data"]["orderMarkAsPaid"]
    assert payload["errors"] == []
    assert payload["order"] == {
        "isPaid": True,
        "chargeStatus": "FULL",
        "paymentStatus": "FULLY_CHARGED",
        "totalCharged": {"amount": 530000.0},
        "totalBalance": {"amount": 0.0},
    }
    [delivery] = receiver.accepted
    assert delivery.event == "order_paid"
    assert delivery.payload["number"] == str(order.number)
    assert delivery.payload["is_paid"] is True

    again = api_client.execute(MARK_PAID, {"id": global_id("Order", order.pk)}, token=manager_token)
    assert again["data"]["orderMarkAsPaid"]["errors"][0]["code"] == "TRANSACTION_ERROR"


def test_canceled_orders_cannot_be_marked_paid(api_client, order, manager_token):
    api_client.execute(CANCEL, {"id": global_id("Order", order.pk)}, token=manager_token)
    result = api_client.execute(
        MARK_PAID, {"id": global_id("Order", order.pk)}, token=manager_token
    )
    assert result["data"]["orderMarkAsPaid"]["errors"][0]["code"] == "INVALID"
    order.refresh_from_db()
    assert not order.is_paid


def test_mark_as_paid_needs_manage_orders(api_client, order, customer_token):
    result = api_client.execute(
        MARK_PAID, {"id": global_id("Order", order.pk)}, token=customer_token
    )
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    order.refresh_from_db()
    assert not order.is_paid
