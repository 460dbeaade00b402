"""The portal's overview: today's orders, low stock, this month's sales and best sellers of the
producer — checked against a direct count over generated orders, in a bounded number of queries
whatever the number of orders."""

import random
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.core.money import format_money
from backend.ocop.access import ProducerScope
from backend.order.models import Order, OrderLine, OrderStatus
from backend.order.producer_dashboard import producer_dashboard
from backend.product.models import ProductVariant, ProductVariantChannelListing
from backend.warehouse.models import Stock
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order

pytestmark = pytest.mark.django_db


def start_of(day):
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def scope_of(cast):
    return ProducerScope(
        user=cast.owner, everything=False, producer_ids=frozenset({cast.producer.pk})
    )


def second_variant(cast, channel, stock):
    variant = ProductVariant.objects.create(
        product=cast.product, sku=f"{cast.variant.sku}-2", name="Hộp 1 kg"
    )
    ProductVariantChannelListing.objects.create(
        variant=variant, channel=channel, currency="VND", price_amount=215_000
    )
    Stock.objects.create(warehouse=cast.warehouse, product_variant=variant, quantity=stock)
    return variant


def generate_orders(channel, producer_a, producer_b, count, seed=14):
    """`count` orders spread over today, earlier this month and last month, some cancelled,
    some mixing both producers' products."""
    rng = random.Random(seed)
    Stock.objects.update(quantity=10_000)
    big = second_variant(producer_a, channel, 10_000)
    today = timezone.localdate()
    moments = [
        timezone.now(),
        start_of(today) + timedelta(minutes=1),
        start_of(today.replace(day=1)) + timedelta(hours=1),
        start_of(today.replace(day=1)) - timedelta(hours=2),  # last month
        start_of(today) - timedelta(days=40),
    ]
    for index in range(count):
        lines = []
        if rng.random() < 0.8:
            lines.append((producer_a.variant, rng.randint(1, 4)))
        if rng.random() < 0.5:
            lines.append((big, rng.randint(1, 3)))
        if not lines or rng.random() < 0.4:
            lines.append((producer_b.variant, rng.randint(1, 5)))
        order = create_order(channel, lines, address_data=VN_ADDRESS)
        status = OrderStatus.CANCELED if index % 7 == 3 else OrderStatus.UNFULFILLED
        Order.objects.filter(pk=order.pk).update(
            created_at=moments[index % len(moments)], status=status
        )
    return big


def direct_figures(cast):
    """The figures counted the plain way, one line at a time."""
    today = timezone.localdate()
    month_start, day_start = start_of(today.replace(day=1)), start_of(today)
    lines = OrderLine.objects.filter(variant__product__producer=cast.producer).select_related(
        "order"
    )
    sales, units, today_orders = 0, {}, set()
    for line in lines:
        if line.order.created_at >= day_start and line.order.status != OrderStatus.DRAFT:
            today_orders.add(line.order_id)
        counted = line.order.status not in (
            OrderStatus.CANCELED,
            OrderStatus.DRAFT,
            OrderStatus.EXPIRED,
        )
        if line.order.created_at >= month_start and counted:
            sales += line.total_price_amount
            units[line.variant_id] = units.get(line.variant_id, 0) + line.quantity
    return sales, units, len(today_orders)


@pytest.mark.parametrize("count", [6, 40])
def test_figures_match_a_direct_count(channel_vn, producer_a, producer_b, count):
    generate_orders(channel_vn, producer_a, producer_b, count)
    sales, units, today_orders = direct_figures(producer_a)
    figures = producer_dashboard(scope_of(producer_a))
    assert figures.sales_this_month == sales
    assert figures.orders_today == today_orders
    assert {(seller.variant_name, seller.units) for seller in figures.best_sellers} == {
        (ProductVariant.objects.get(pk=pk).name, total) for pk, total in units.items()
    }
    assert [seller.units for seller in figures.best_sellers] == sorted(units.values(), reverse=True)
    assert len(figures.newest_today) == min(today_orders, 5)
    assert all(
        row.order.created_at >= start_of(timezone.localdate()) for row in figures.newest_today
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_reads_a_bounded_number_of_queries(
    client, channel_vn, producer_a, producer_b, count, django_assert_max_num_queries
):
    generate_orders(channel_vn, producer_a, producer_b, count)
    client.force_login(producer_a.owner)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200


def test_the_page_shows_sales_in_dong_best_sellers_low_stock_and_links(
    client, channel_vn, producer_a, producer_b
):
    plenty = second_variant(producer_a, channel_vn, 50)
    Stock.objects.filter(product_variant=producer_a.variant).update(quantity=6)
    create_order(
        channel_vn, [(producer_a.variant, 3), (producer_b.variant, 2)], address_data=VN_ADDRESS
    )
    create_order(channel_vn, [(plenty, 1)], address_data=VN_ADDRESS)
    client.force_login(producer_a.owner)
    page = client.get(reverse("portal:dashboard")).content.decode()
    # 3 × 120.000 ₫ + 1 × 215.000 ₫; producer B's line is not theirs.
    assert format_money(575_000, "VND") == "575.000 ₫"
    assert "575.000 ₫" in page
    assert 'id="orders-today">2<' in page
    # 6 in stock, 3 allocated to the order: 3 can still be sold, below the threshold of 5.
    low = page[page.index('class="portal-list low-stock"') :]
    assert producer_a.variant.sku in low and plenty.sku not in low.split("</ul>")[0]
    sellers = page[page.index("best-sellers") :].split("</ol>")[0]
    assert sellers.index("Hộp 500 g") < sellers.index("Hộp 1 kg")
    assert producer_b.product.name not in page
    for name in ("portal:orders", "portal:products", "portal:certifications"):
        assert f'href="{reverse(name)}"' in page


def test_another_producers_figures_are_not_counted(client, channel_vn, producer_a, producer_b):
    create_order(channel_vn, [(producer_b.variant, 2)], address_data=VN_ADDRESS)
    figures = producer_dashboard(scope_of(producer_a))
    assert figures.orders_today == 0 and figures.sales_this_month == 0
    assert figures.best_sellers == []
