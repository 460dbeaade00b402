"""An event's report for the office: viewers (unique, and the most at once in any minute) and
add-to-carts from the page's activity, orders and revenue per producer, and its CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from backend.livestream import report
from backend.livestream.models import ActivityKind, ViewerActivity
from backend.order.models import Order, OrderStatus
from tests.fixtures.checkout import VN_ADDRESS
from tests.livestream_office_factory import make_event
from tests.order_factory import create_order

START = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)


def seen(event, visitor, minute, second=0, kind=ActivityKind.VIEW):
    ViewerActivity.objects.create(
        event=event,
        visitor=visitor,
        kind=kind,
        at=START + timedelta(minutes=minute, seconds=second),
    )


@pytest.fixture
def event(channel_vn):
    event = make_event(channel_vn, start=START)
    # Minute 0: a and b (a twice); minute 1: a, b and c at once; minute 2: c alone.
    seen(event, "a", 0, 5)
    seen(event, "a", 0, 50)
    seen(event, "b", 0, 30)
    for visitor in ("a", "b", "c"):
        seen(event, visitor, 1, 20)
    seen(event, "c", 2, 10)
    seen(event, "b", 1, 40, ActivityKind.ADD_TO_CART)
    seen(event, "c", 2, 15, ActivityKind.ADD_TO_CART)
    other = make_event(channel_vn, slug="phien-khac", start=START)
    for visitor in ("x", "y", "z", "w"):
        seen(other, visitor, 1, 10)
    return event


def test_viewer_figures_from_heartbeats(event, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures = report.viewer_figures(event)
    assert figures == {"unique_viewers": 3, "peak_viewers": 3, "add_to_carts": 2}


def test_orders_and_revenue_per_producer(
    producer_a, producer_b, channel_vn, django_assert_max_num_queries
):
    tea = create_order(channel_vn, [(producer_a.variant, 2)], address_data=VN_ADDRESS)
    both = create_order(
        channel_vn, [(producer_a.variant, 1), (producer_b.variant, 4)], address_data=VN_ADDRESS
    )
    cancelled = create_order(channel_vn, [(producer_b.variant, 5)], address_data=VN_ADDRESS)
    cancelled.status = OrderStatus.CANCELED
    cancelled.save(update_fields=["status"])
    orders = Order.objects.filter(pk__in=[tea.pk, both.pk, cancelled.pk])
    with django_assert_max_num_queries(2):
        figures = report.order_figures(orders)
    assert (figures.orders, figures.revenue) == (2, 7 * 120_000)  # goods, without shipping
    assert [(p.name, p.orders, p.quantity, p.revenue) for p in figures.producers] == [
        ("HTX nuoc-mam-phu-quoc", 1, 4, 480_000),
        ("HTX tra-tan-cuong", 2, 3, 360_000),
    ]


def test_csv_has_the_figures_then_the_producers(event, producer_a):
    result = report.Report(
        event=event,
        unique_viewers=3,
        peak_viewers=3,
        add_to_carts=2,
        orders=2,
        revenue=360_000,
        producers=[report.ProducerRevenue(producer_a.producer.pk, "HTX Tân Cương", 2, 3, 360_000)],
    )
    with translation.override("vi"):
        text = report.as_csv(result)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[:6] == [
        ["Phiên livestream", "Phiên live mật ong Hải Hậu"],
        ["Người xem (không trùng)", "3"],
        ["Người xem cùng lúc cao nhất", "3"],
        ["Lượt thêm vào giỏ", "2"],
        ["Đơn hàng", "2"],
        ["Doanh thu (VNĐ)", "360000"],
    ]
    assert rows[7:] == [
        ["Chủ thể sản xuất", "Đơn hàng", "Số lượng", "Doanh thu (VNĐ)"],
        ["HTX Tân Cương", "2", "3", "360000"],
    ]
