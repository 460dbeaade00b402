"""Fifty buyers press "Đặt hàng" at the same moment for a variant with 10 left: exactly ten orders,
stock never below zero, every other buyer told INSUFFICIENT_STOCK. Real PostgreSQL, real
transactions and row locks, one connection per buyer (threads), all through /graphql/."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.test import Client

from backend.account.models import Address
from backend.checkout.models import Checkout, CheckoutLine
from backend.core.ids import global_id
from backend.order.models import Order
from backend.warehouse.audit import stock_levels_are_consistent
from backend.warehouse.models import Reservation, Stock
from tests.fixtures.checkout import VN_ADDRESS

BUYERS = 50

COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number }
    errors { field code message variants }
  }
}
"""

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _ready_checkouts(channel, variant, shipping_method, count):
    """Checkouts filled in earlier whose stock holds have lapsed (so all of them reach the
    final step), one unit each."""
    checkouts = []
    for index in range(count):
        checkout = Checkout.objects.create(
            channel=channel,
            currency="VND",
            email=f"nguoimua{index}@example.com",
            shipping_address=Address.objects.create(**VN_ADDRESS),
            billing_address=Address.objects.create(**VN_ADDRESS),
            shipping_method=shipping_method,
        )
        CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=1)
        checkouts.append(checkout)
    return checkouts


def _complete_all(checkouts):
    barrier = threading.Barrier(len(checkouts))

    def buy(checkout):
        client = Client()
        try:
            barrier.wait(timeout=30)
            response = client.post(
                "/graphql/",
                {"query": COMPLETE, "variables": {"id": global_id("Checkout", checkout.pk)}},
                content_type="application/json",
            )
            return response.json()["data"]["checkoutComplete"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(checkouts)) as pool:
        return list(pool.map(buy, checkouts))


def test_fifty_concurrent_completions_sell_exactly_the_ten_units(
    channel_vn, variant, shipping_zones
):
    checkouts = _ready_checkouts(channel_vn, variant, shipping_zones["standard"], BUYERS)

    results = _complete_all(checkouts)

    placed = [result["order"] for result in results if result["order"]]
    refused = [result["errors"] for result in results if not result["order"]]
    assert len(placed) == 10
    assert Order.objects.count() == 10
    assert len({order["number"] for order in placed}) == 10
    assert len(refused) == BUYERS - 10
    variant_id = global_id("ProductVariant", variant.pk)
    for errors in refused:
        assert [(e["code"], e["field"], e["variants"]) for e in errors] == [
            ("INSUFFICIENT_STOCK", "lines", [variant_id])
        ]
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (10, 10)
    assert stock_levels_are_consistent()
    # The ten buyers' checkouts became orders; the others keep theirs to change and retry.
    assert Checkout.objects.count() == BUYERS - 10


def test_the_same_checkout_completed_twice_at_once_makes_one_order(
    channel_vn, variant, shipping_zones
):
    checkout = _ready_checkouts(channel_vn, variant, shipping_zones["standard"], 1)[0]

    results = _complete_all([checkout] * 8)

    numbers = {result["order"]["number"] for result in results if result["order"]}
    assert len(numbers) == 1
    assert Order.objects.count() == 1
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 1


CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id }
    errors { field code }
  }
}
"""


def test_thirty_buyers_carting_the_last_ten_units_at_once_get_ten_holds(channel_vn, variant):
    barrier = threading.Barrier(30)
    variables = {
        "input": {
            "channel": "vn",
            "email": "nguoimua@example.com",
            "lines": [{"variantId": global_id("ProductVariant", variant.pk), "quantity": 1}],
        }
    }

    def add_to_cart(_index):
        client = Client()
        try:
            barrier.wait(timeout=30)
            response = client.post(
                "/graphql/",
                {"query": CREATE, "variables": variables},
                content_type="application/json",
            )
            return response.json()["data"]["checkoutCreate"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(add_to_cart, range(30)))

    held = [result for result in results if result["checkout"]]
    assert len(held) == 10
    assert {e["code"] for r in results if not r["checkout"] for e in r["errors"]} == {
        "INSUFFICIENT_STOCK"
    }
    assert Reservation.objects.aggregate(total=Sum("quantity_reserved"))["total"] == 10


def test_twenty_buyers_racing_for_a_voucher_limited_to_three_uses_get_three_discounts(
    channel_vn, variant, shipping_zones
):
    """As in Saleor, completion counts the use; a buyer who loses the race gets
    VOUCHER_NOT_APPLICABLE and keeps the checkout (no order, no stock, no use) to retry without
    the code."""
    from backend.discount.models import Voucher

    voucher = Voucher.objects.create(code="OCOP3", value=10_000, usage_limit=3)
    voucher.channels.add(channel_vn)
    Stock.objects.filter(product_variant=variant).update(quantity=100)
    checkouts = _ready_checkouts(channel_vn, variant, shipping_zones["standard"], 20)
    Checkout.objects.update(voucher_code="OCOP3")

    results = _complete_all(checkouts)

    placed = [result["order"] for result in results if result["order"]]
    refused = [result["errors"] for result in results if not result["order"]]
    assert len(placed) == 3
    assert all(
        [(e["code"], e["field"]) for e in errors] == [("VOUCHER_NOT_APPLICABLE", "promoCode")]
        for errors in refused
    )
    assert len(refused) == 17
    assert (
        sorted(Order.objects.values_list("total_amount", "discount_amount"))
        == [(125_000 - 10_000 + 30_000, 10_000)] * 3
    )
    voucher.refresh_from_db()
    assert voucher.used == 3
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 3
    assert Checkout.objects.filter(voucher_code="OCOP3").count() == 17
