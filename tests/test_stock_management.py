"""The stock service: reservations while buyers check out, allocation for orders, release on
cancel, shipping on fulfilment — and pick-up showrooms keeping their own shelves."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.checkout.models import Checkout, CheckoutLine
from backend.order.models import Order, OrderLine
from backend.order.utils import next_order_number
from backend.warehouse.audit import stock_levels_are_consistent
from backend.warehouse.availability import available_quantities
from backend.warehouse.models import Allocation, Reservation, Stock
from backend.warehouse.services import (
    InsufficientStock,
    allocate_stocks,
    deallocate_order_stocks,
    delete_expired_reservations,
    fulfill_order_stocks,
    reserve_stocks,
)


def _checkout(channel, variant, quantity, collection_point=None):
    checkout = Checkout.objects.create(
        channel=channel, currency=channel.currency_code, collection_point=collection_point
    )
    line = CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=quantity)
    return checkout, line


def _order(channel, variant, quantity):
    order = Order.objects.create(number=next_order_number(), channel=channel, currency="VND")
    line = OrderLine.objects.create(
        order=order,
        variant=variant,
        product_name=variant.product.name,
        quantity=quantity,
        currency="VND",
        undiscounted_unit_price_amount=125_000,
        unit_price_amount=125_000,
        total_price_amount=125_000 * quantity,
    )
    return order, line


def test_reservation_holds_stock_from_other_buyers(channel_vn, variant):
    _first, line = _checkout(channel_vn, variant, 7)
    reserve_stocks([line], channel_vn)
    assert available_quantities([variant.pk], channel_vn) == {variant.pk: 3}

    second, second_line = _checkout(channel_vn, variant, 4)
    with pytest.raises(InsufficientStock) as error:
        reserve_stocks([second_line], channel_vn)
    assert error.value.items[0].available == 3
    assert not Reservation.objects.filter(checkout_line=second_line).exists()


def test_changing_a_line_replaces_its_own_reservation(channel_vn, variant):
    checkout, line = _checkout(channel_vn, variant, 7)
    reserve_stocks([line], channel_vn)
    line.quantity = 10
    line.save()
    reserve_stocks([line], channel_vn)
    assert Reservation.objects.get(checkout_line=line).quantity_reserved == 10
    assert available_quantities([variant.pk], channel_vn, exclude_holder=checkout.stock_holder) == {
        variant.pk: 10
    }


def test_expired_reservations_count_for_nothing(channel_vn, variant):
    _checkout_1, line = _checkout(channel_vn, variant, 10)
    reserve_stocks([line], channel_vn)
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))
    assert available_quantities([variant.pk], channel_vn) == {variant.pk: 10}
    assert delete_expired_reservations() == 1


def test_reservations_can_be_turned_off(settings, channel_vn, variant):
    settings.RESERVE_STOCK_MINUTES = 0
    _checkout_1, line = _checkout(channel_vn, variant, 10)
    reserve_stocks([line], channel_vn)
    assert not Reservation.objects.exists()
    _checkout_2, too_many = _checkout(channel_vn, variant, 11)
    with pytest.raises(InsufficientStock):
        reserve_stocks([too_many], channel_vn)


def test_allocation_uses_the_checkouts_own_reservation(channel_vn, variant):
    checkout, line = _checkout(channel_vn, variant, 10)
    reserve_stocks([line], channel_vn)
    _order_1, order_line = _order(channel_vn, variant, 10)
    allocate_stocks([order_line], channel_vn, holder=checkout.stock_holder)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (10, 10)
    assert not Reservation.objects.exists()

    _order_2, late_line = _order(channel_vn, variant, 1)
    with pytest.raises(InsufficientStock):
        allocate_stocks([late_line], channel_vn)
    assert stock_levels_are_consistent()


def test_cancel_gives_stock_back_and_fulfilment_ships_it(channel_vn, variant):
    order, line = _order(channel_vn, variant, 4)
    allocate_stocks([line], channel_vn)
    deallocate_order_stocks(order)
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0
    assert not Allocation.objects.exists()

    order, line = _order(channel_vn, variant, 4)
    allocate_stocks([line], channel_vn)
    used = fulfill_order_stocks(order, [(line, 3)])
    assert [quantity for _line, _stock, quantity in used] == [3]
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (7, 1)
    with pytest.raises(InsufficientStock):
        fulfill_order_stocks(order, [(line, 2)])
    assert stock_levels_are_consistent()


def test_showroom_stock_serves_its_own_pick_ups_only(channel_vn, variant, showroom, showroom_stock):
    assert available_quantities([variant.pk], channel_vn) == {variant.pk: 10}
    assert available_quantities([variant.pk], channel_vn, collection_point=showroom) == {
        variant.pk: 3
    }
    checkout, line = _checkout(channel_vn, variant, 4, collection_point=showroom)
    with pytest.raises(InsufficientStock):
        reserve_stocks([line], channel_vn, collection_point=showroom)
    line.quantity = 3
    line.save()
    reserve_stocks([line], channel_vn, collection_point=showroom)
    assert Reservation.objects.get().stock == showroom_stock


def test_the_database_refuses_to_allocate_more_than_there_is(variant):
    stock = Stock.objects.get(product_variant=variant)
    stock.quantity_allocated = stock.quantity + 1
    with pytest.raises(IntegrityError), transaction.atomic():
        stock.save()


def test_beat_clears_expired_holds_every_ten_minutes(settings, channel_vn, variant):
    from backend.warehouse.tasks import delete_expired_reservations_task

    entry = settings.CELERY_BEAT_SCHEDULE["warehouse-delete-expired-reservations"]
    assert entry["task"] == delete_expired_reservations_task.name
    _checkout_1, line = _checkout(channel_vn, variant, 2)
    reserve_stocks([line], channel_vn)
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(minutes=1))
    assert delete_expired_reservations_task.delay().result == 1
    assert not Reservation.objects.exists()
