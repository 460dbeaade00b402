"""The portal's orders: a producer lists the orders with its products, opens one and sees only
its own lines with the buyer's delivery details, packs them and hands them to a carrier — stock
leaves, the buyer is emailed the tracking code and sees it on the shop's order page. Another
producer's orders answer 404 (NOT_FOUND / null through the API)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from backend.core.ids import global_id
from backend.ocop.access import ProducerScope
from backend.order.models import Fulfillment, OrderEvent, OrderEvents, OrderStatus
from backend.order.producer_fulfillment import ship_producer_lines
from backend.warehouse.models import Stock
from tests.fixtures.accounts import access_token_for
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order

pytestmark = pytest.mark.django_db


def place(channel, lines, **kwargs):
    order = create_order(channel, lines, address_data=VN_ADDRESS, **kwargs)
    order.shipping_method_name = "Giao hàng tiêu chuẩn"
    order.save(update_fields=["shipping_method_name"])
    return order


@pytest.fixture
def mixed_order(channel_vn, producer_a, producer_b):
    """2 × producer A's product and 1 × producer B's, in one order."""
    return place(channel_vn, [(producer_a.variant, 2), (producer_b.variant, 1)])


@pytest.fixture
def only_b_order(channel_vn, producer_b):
    return place(channel_vn, [(producer_b.variant, 3)], email="khach.b@example.com")


@pytest.fixture
def member_a(client, producer_a):
    client.force_login(producer_a.owner)
    return client


def stock_of(variant):
    stock = Stock.objects.get(product_variant=variant)
    return stock.quantity, stock.quantity_allocated


def order_url(order, name="portal:order"):
    return reverse(name, args=[order.number])


def test_list_shows_only_orders_with_own_products_newest_first(
    member_a, channel_vn, producer_a, mixed_order, only_b_order
):
    newer = place(channel_vn, [(producer_a.variant, 1)])
    page = member_a.get(reverse("portal:orders")).content.decode()
    assert f"#{newer.number}" in page and f"#{mixed_order.number}" in page
    assert f"#{only_b_order.number}" not in page
    assert page.index(f"#{newer.number}") < page.index(f"#{mixed_order.number}")
    # Only A's part of the mixed order is counted: 2 × 120.000 ₫.
    assert "240.000 ₫" in page


@pytest.mark.parametrize("count", [3, 30])
def test_list_reads_a_bounded_number_of_queries(
    member_a, channel_vn, producer_a, producer_b, count, django_assert_max_num_queries
):
    Stock.objects.update(quantity=1000)
    for _ in range(count):
        place(channel_vn, [(producer_a.variant, 1), (producer_b.variant, 1)])
    with django_assert_max_num_queries(6):
        response = member_a.get(reverse("portal:orders"))
    assert response.status_code == 200
    assert response.content.decode().count('class="row-title"') == min(count, 20)


def test_list_is_paginated(member_a, channel_vn, producer_a):
    Stock.objects.filter(product_variant=producer_a.variant).update(quantity=1000)
    orders = [place(channel_vn, [(producer_a.variant, 1)]) for _ in range(22)]
    second = member_a.get(reverse("portal:orders"), {"page": 2}).content.decode()
    assert f"#{orders[0].number}" in second and f"#{orders[-1].number}" not in second


def test_filter_by_state_follows_packing_and_shipping(member_a, mixed_order):
    def listed(state):
        page = member_a.get(reverse("portal:orders"), {"state": state}).content.decode()
        return f"#{mixed_order.number}" in page

    assert listed("to-pack") and not listed("to-ship") and not listed("shipped")
    member_a.post(order_url(mixed_order, "portal:order_pack"))
    assert not listed("to-pack") and listed("to-ship") and not listed("shipped")
    member_a.post(
        order_url(mixed_order, "portal:order_ship"),
        {"carrier": "ghn", "tracking_number": "GHN123"},
    )
    assert not listed("to-pack") and not listed("to-ship") and listed("shipped")


def test_detail_shows_only_own_lines_and_the_buyers_delivery(
    member_a, mixed_order, producer_a, producer_b
):
    page = member_a.get(order_url(mixed_order)).content.decode()
    assert producer_a.product.name in page
    assert producer_b.product.name not in page
    assert "Nguyễn Lan" in page
    assert "+84912345678" in page
    assert "12 Phan Đình Phùng" in page
    assert "Giao hàng tiêu chuẩn" in page
    assert "240.000 ₫" in page


def test_packing_marks_own_lines_once(member_a, mixed_order, producer_a, producer_b):
    response = member_a.post(order_url(mixed_order, "portal:order_pack"), follow=True)
    assert response.status_code == 200
    lines = {line.variant_id: line for line in mixed_order.lines.all()}
    assert lines[producer_a.variant.pk].packed_at is not None
    assert lines[producer_b.variant.pk].packed_at is None
    assert OrderEvent.objects.filter(order=mixed_order, type=OrderEvents.PACKED).count() == 1

    again = member_a.post(order_url(mixed_order, "portal:order_pack"), follow=True)
    assert "đã được đóng gói hoặc đã giao" in again.content.decode()
    assert OrderEvent.objects.filter(order=mixed_order, type=OrderEvents.PACKED).count() == 1


def test_shipping_fulfils_own_lines_moves_stock_and_emails_the_buyer(
    member_a, mixed_order, producer_a, producer_b, django_capture_on_commit_callbacks
):
    assert stock_of(producer_a.variant) == (20, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_a.post(
            order_url(mixed_order, "portal:order_ship"),
            {"carrier": "viettel-post", "tracking_number": " VTP 123456 "},
        )
    assert response.status_code == 302
    fulfillment = Fulfillment.objects.get(order=mixed_order)
    assert (fulfillment.carrier, fulfillment.tracking_number) == ("viettel-post", "VTP123456")
    assert [line.order_line.variant_id for line in fulfillment.lines.all()] == [
        producer_a.variant.pk
    ]
    assert stock_of(producer_a.variant) == (18, 0)
    assert stock_of(producer_b.variant) == (20, 1)
    mixed_order.refresh_from_db()
    assert mixed_order.status == OrderStatus.PARTIALLY_FULFILLED
    assert OrderEvent.objects.filter(
        order=mixed_order, type=OrderEvents.FULFILLMENT_FULFILLED_ITEMS
    ).exists()
    [email] = mail.outbox
    assert email.to == [mixed_order.user_email]
    assert "Viettel Post" in email.body and "VTP123456" in email.body
    assert "đơn vị vận chuyển" in email.body  # Vietnamese for the Vietnamese buyer
    assert producer_b.product.name not in email.body
    assert str(mixed_order.token) in email.body


def test_shipping_twice_is_refused(member_a, mixed_order, producer_a):
    ship = order_url(mixed_order, "portal:order_ship")
    member_a.post(ship, {"carrier": "ghn", "tracking_number": "GHN1"})
    again = member_a.post(ship, {"carrier": "ghtk", "tracking_number": "GHTK2"})
    assert again.status_code == 400
    assert "đã được giao cho đơn vị vận chuyển" in again.content.decode()
    assert Fulfillment.objects.filter(order=mixed_order).count() == 1
    assert stock_of(producer_a.variant) == (18, 0)


@pytest.mark.parametrize(
    "data",
    [
        {"carrier": "", "tracking_number": "GHN1"},
        {"carrier": "pigeon", "tracking_number": "GHN1"},
        {"carrier": "ghn", "tracking_number": ""},
        {"carrier": "ghn", "tracking_number": "<script>"},
    ],
)
def test_bad_shipping_input_changes_nothing(member_a, mixed_order, producer_a, data):
    response = member_a.post(order_url(mixed_order, "portal:order_ship"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Fulfillment.objects.exists()
    assert stock_of(producer_a.variant) == (20, 2)
    assert not mail.outbox


def test_a_canceled_order_cannot_be_shipped(member_a, mixed_order):
    mixed_order.status = OrderStatus.CANCELED
    mixed_order.save(update_fields=["status"])
    response = member_a.post(
        order_url(mixed_order, "portal:order_ship"), {"carrier": "ghn", "tracking_number": "A1"}
    )
    assert response.status_code == 400
    assert not Fulfillment.objects.exists()


def test_changes_are_post_only(member_a, mixed_order):
    assert member_a.get(order_url(mixed_order, "portal:order_pack")).status_code == 405
    assert member_a.get(order_url(mixed_order, "portal:order_ship")).status_code == 405


def test_another_producers_order_answers_404(member_a, only_b_order, producer_b):
    assert member_a.get(order_url(only_b_order)).status_code == 404
    assert member_a.post(order_url(only_b_order, "portal:order_pack")).status_code == 404
    ship = member_a.post(
        order_url(only_b_order, "portal:order_ship"), {"carrier": "ghn", "tracking_number": "X1"}
    )
    assert ship.status_code == 404
    assert not Fulfillment.objects.exists()
    assert all(line.packed_at is None for line in only_b_order.lines.all())
    assert stock_of(producer_b.variant) == (20, 3)


def test_producer_b_sees_only_its_line_of_the_mixed_order(
    client, mixed_order, producer_a, producer_b
):
    client.force_login(producer_b.owner)
    page = client.get(order_url(mixed_order)).content.decode()
    assert producer_b.product.name in page and producer_a.product.name not in page


def test_the_buyer_sees_carrier_and_tracking_on_the_order_page(client, member_a, mixed_order):
    member_a.post(
        order_url(mixed_order, "portal:order_ship"),
        {"carrier": "ghtk", "tracking_number": "S123.GHTK"},
    )
    member_a.logout()
    page = client.get(reverse("storefront:order", args=[mixed_order.token])).content.decode()
    assert "GHTK (Giao Hàng Tiết Kiệm)" in page
    assert "S123.GHTK" in page


# --- the API ------------------------------------------------------------------------------
FULFILL = """
mutation ($order: ID!, $lines: [OrderFulfillLineInput!]!, $carrier: FulfillmentCarrierEnum) {
  orderFulfill(order: $order, input: {lines: $lines, trackingNumber: "GHN9", carrier: $carrier}) {
    fulfillments { trackingNumber carrier carrierName }
    errors { field code }
  }
}
"""
ORDER = "query ($id: ID!) { order(id: $id) { number lines { productName } } }"
ORDERS = "{ orders(first: 50) { edges { node { number } } } }"


def fulfill_vars(order, variant, warehouse, quantity=1):
    line = order.lines.get(variant=variant)
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
        "carrier": "GHN",
    }


def test_a_member_fulfils_own_lines_through_the_api(
    api_client, mixed_order, producer_a, django_capture_on_commit_callbacks
):
    token = access_token_for(producer_a.owner)
    variables = fulfill_vars(mixed_order, producer_a.variant, producer_a.warehouse, 2)
    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(FULFILL, variables, token=token)
    payload = result["data"]["orderFulfill"]
    assert payload["errors"] == []
    assert payload["fulfillments"] == [
        {"trackingNumber": "GHN9", "carrier": "GHN", "carrierName": "GHN (Giao Hàng Nhanh)"}
    ]
    assert stock_of(producer_a.variant) == (18, 0)
    assert len(mail.outbox) == 1


def test_a_member_sees_only_shipments_of_own_lines(
    api_client, mixed_order, producer_a, producer_b, django_capture_on_commit_callbacks
):
    """Producer A's tracking code is not shown to producer B, who sees its own shipment only."""
    for cast, code in ((producer_a, "GHN-A"), (producer_b, "GHN-B")):
        variables = fulfill_vars(mixed_order, cast.variant, cast.warehouse, 1)
        with django_capture_on_commit_callbacks(execute=True):
            api_client.execute(
                FULFILL.replace('"GHN9"', f'"{code}"'),
                variables,
                token=access_token_for(cast.owner),
            )
    query = "query ($id: ID!) { order(id: $id) { fulfillments { trackingNumber } } }"
    variables = {"id": global_id("Order", mixed_order.pk)}
    for cast, code in ((producer_a, "GHN-A"), (producer_b, "GHN-B")):
        result = api_client.execute(query, variables, token=access_token_for(cast.owner))
        assert result["data"]["order"]["fulfillments"] == [{"trackingNumber": code}]


def test_a_member_cannot_fulfil_another_producers_lines(
    api_client, mixed_order, producer_a, producer_b
):
    token = access_token_for(producer_a.owner)
    variables = fulfill_vars(mixed_order, producer_b.variant, producer_b.warehouse)
    result = api_client.execute(FULFILL, variables, token=token)
    assert result["data"]["orderFulfill"]["errors"] == [
        {"field": "orderLineId", "code": "NOT_FOUND"}
    ]
    assert not Fulfillment.objects.exists()
    assert stock_of(producer_b.variant) == (20, 1)


def test_a_customer_still_cannot_fulfil(api_client, mixed_order, producer_a, customer_token):
    variables = fulfill_vars(mixed_order, producer_a.variant, producer_a.warehouse)
    result = api_client.execute(FULFILL, variables, token=customer_token)
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_a_member_reads_only_orders_with_own_products(
    api_client, mixed_order, only_b_order, producer_a, producer_b
):
    token = access_token_for(producer_a.owner)
    mine = api_client.execute(ORDER, {"id": global_id("Order", mixed_order.pk)}, token=token)
    assert mine["data"]["order"]["number"] == str(mixed_order.number)
    # Producer B's line of the mixed order is not shown to producer A.
    assert mine["data"]["order"]["lines"] == [{"productName": producer_a.product.name}]
    other = api_client.execute(ORDER, {"id": global_id("Order", only_b_order.pk)}, token=token)
    assert other["data"]["order"] is None
    listed = api_client.execute(ORDERS, token=token)["data"]["orders"]["edges"]
    assert [edge["node"]["number"] for edge in listed] == [str(mixed_order.number)]
    as_b = api_client.execute(ORDERS, token=access_token_for(producer_b.owner))
    numbers = {edge["node"]["number"] for edge in as_b["data"]["orders"]["edges"]}
    assert numbers == {str(mixed_order.number), str(only_b_order.number)}


def test_orders_still_need_manage_orders_for_customers(api_client, mixed_order, customer_token):
    result = api_client.execute(ORDERS, token=customer_token)
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_members_shipping_the_same_order_at_once_ship_it_once(channel_vn, producer_a, producer_b):
    order = place(channel_vn, [(producer_a.variant, 2), (producer_b.variant, 1)])
    scope = ProducerScope.of(producer_a.owner)
    barrier = threading.Barrier(5)

    def ship(index):
        barrier.wait()
        try:
            ship_producer_lines(
                order,
                scope=scope,
                user=producer_a.owner,
                carrier="ghn",
                tracking_number=f"GHN{index}",
            )
            return "shipped"
        except ValidationError as error:
            return next(iter(error.error_dict))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = sorted(pool.map(ship, range(5)))
    assert outcomes == ["id"] * 4 + ["shipped"]
    assert Fulfillment.objects.filter(order=order).count() == 1
    assert stock_of(producer_a.variant) == (18, 0)
