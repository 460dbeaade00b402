"""Buying through a livestream: the live price applies only while the event is on air and only to
lines added through it; its quota and per-buyer limit are counted at completion, where units come
out of the event's stock hold; the order carries the event; a refused completion keeps nothing."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from backend.account.models import Address, User
from backend.checkout.fetch import fetch_checkout_info
from backend.checkout.lines import LineInput, add_lines
from backend.checkout.live import add_live_offer
from backend.checkout.models import Checkout
from backend.core.ids import global_id
from backend.livestream import quotas, report, services
from backend.livestream.models import (
    ActivityKind,
    EventOffer,
    LiveEvent,
    LivestreamerIdentity,
    OfferPurchase,
    Platform,
    ViewerActivity,
)
from backend.order.models import Order, OrderSource
from backend.warehouse.audit import stock_levels_are_consistent
from backend.warehouse.models import Reservation, Stock, StockChange, StockChangeReason
from tests.fixtures.checkout import VN_ADDRESS

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)

REGULAR, LIVE = 125_000, 99_000

COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number }
    errors { field code message }
  }
}
"""


def make_event(channel, variant, *, quota=None, per_buyer_limit=None, slug="phien-nuoc-mam"):
    """A scheduled event (its quota held from stock) with one verified host."""
    start = timezone.now() + timedelta(hours=1)
    event = LiveEvent.objects.create(
        title="Phiên live nước mắm",
        slug=slug,
        channel=channel,
        platform=Platform.YOUTUBE,
        stream_url="https://www.youtube.com/embed/ocop",
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=2),
    )
    host = User.objects.create_user(f"host-{slug}@example.com")
    LivestreamerIdentity.objects.create(
        user=host, full_name="Nguyễn Văn Dẫn", id_number="001", verified_at=timezone.now()
    )
    event.hosts.add(host)
    offer = EventOffer.objects.create(
        event=event,
        variant=variant,
        live_price=LIVE,
        quota=quota,
        per_buyer_limit=per_buyer_limit,
    )
    services.schedule(event)
    return event, EventOffer.objects.select_related("event").get(pk=offer.pk)


def ready_checkout(channel, shipping_method, email="nguoimua@example.com", user=None):
    return Checkout.objects.create(
        channel=channel,
        currency="VND",
        email=email,
        user=user,
        shipping_address=Address.objects.create(**VN_ADDRESS),
        billing_address=Address.objects.create(**VN_ADDRESS),
        shipping_method=shipping_method,
    )


def unit_prices(checkout):
    return [line.unit_price for line in fetch_checkout_info(checkout).lines]


def complete(checkout, client=None):
    response = (client or Client()).post(
        "/graphql/",
        {"query": COMPLETE, "variables": {"id": global_id("Checkout", checkout.pk)}},
        content_type="application/json",
    )
    return response.json()["data"]["checkoutComplete"]


def event_hold(event) -> int:
    return sum(
        Reservation.objects.filter(holder=quotas.event_holder(event.pk)).values_list(
            "quantity_reserved", flat=True
        )
    )


@pytest.mark.django_db
def test_the_live_price_applies_only_while_the_event_is_on_air(channel_vn, variant, shipping_zones):
    event, offer = make_event(channel_vn, variant)
    through_event = ready_checkout(channel_vn, shipping_zones["standard"])
    add_live_offer(through_event, offer, 1)
    from_shop = ready_checkout(channel_vn, shipping_zones["standard"], email="khac@example.com")
    add_lines(from_shop, [LineInput(variant=variant, quantity=1)])

    assert unit_prices(through_event) == [REGULAR]  # before the start

    services.go_live(event)
    assert unit_prices(through_event) == [LIVE]
    assert unit_prices(from_shop) == [REGULAR]  # the same variant, not bought through the event

    services.end(event)
    assert unit_prices(through_event) == [REGULAR]


@pytest.mark.django_db
def test_an_order_bought_live_carries_the_event_and_takes_its_units_from_the_quota(
    channel_vn, variant, shipping_zones
):
    event, offer = make_event(channel_vn, variant, quota=5, per_buyer_limit=2)
    checkout = ready_checkout(channel_vn, shipping_zones["standard"])
    add_live_offer(checkout, offer, 2)
    assert not Reservation.objects.filter(holder=checkout.stock_holder).exists()
    services.go_live(event)

    result = complete(checkout)

    assert result["errors"] == []
    order = Order.objects.get()
    assert (order.source, order.source_reference, order.live_event) == (
        OrderSource.LIVESTREAM,
        event.slug,
        event,
    )
    assert [(line.quantity, line.unit_price_amount) for line in order.lines.all()] == [(2, LIVE)]
    offer.refresh_from_db()
    assert offer.sold == 2
    assert event_hold(event) == 3
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (10, 2)
    assert StockChange.objects.filter(stock=stock, reason=StockChangeReason.ALLOCATED).exists()
    assert stock_levels_are_consistent()
    figures = report.report(event)  # the event's report counts the order and its revenue
    assert (figures.orders, figures.revenue) == (1, 2 * LIVE)


@pytest.mark.django_db
def test_after_the_event_a_line_added_through_it_is_bought_at_the_regular_price(
    channel_vn, variant, shipping_zones
):
    event, offer = make_event(channel_vn, variant, quota=5)
    checkout = ready_checkout(channel_vn, shipping_zones["standard"])
    add_live_offer(checkout, offer, 1)
    services.go_live(event)
    services.end(event)

    assert complete(checkout)["errors"] == []

    order = Order.objects.get()
    assert order.lines.get().unit_price_amount == REGULAR
    assert order.live_event == event  # the buyer came through its page
    offer.refresh_from_db()
    assert offer.sold == 0  # not a live sale: the quota is not counted


@pytest.mark.django_db
def test_the_cart_refuses_more_than_the_buyer_limit_or_the_quota_left(
    channel_vn, variant, shipping_zones
):
    event, offer = make_event(channel_vn, variant, quota=3, per_buyer_limit=2)
    checkout = ready_checkout(channel_vn, shipping_zones["standard"])
    add_live_offer(checkout, offer, 2)

    with pytest.raises(ValidationError) as error:
        add_live_offer(checkout, offer, 1)
    assert error.value.error_dict["quantity"][0].code == "livestream_limit_exceeded"

    other = ready_checkout(channel_vn, shipping_zones["standard"], email="khac@example.com")
    EventOffer.objects.filter(pk=offer.pk).update(sold=2)
    offer.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        add_live_offer(other, offer, 2)
    assert error.value.error_dict["quantity"][0].code == "livestream_quota_exceeded"
    assert checkout.lines.get().quantity == 2
    assert not other.lines.exists()


def _snapshot(event, offer):
    offer.refresh_from_db()
    return {
        "orders": Order.objects.count(),
        "stocks": list(Stock.objects.values_list("pk", "quantity", "quantity_allocated")),
        "holds": sorted(Reservation.objects.values_list("holder", "stock_id", "quantity_reserved")),
        "changes": StockChange.objects.count(),
        "sold": offer.sold,
        "purchases": OfferPurchase.objects.count(),
        "checkouts": Checkout.objects.count(),
        "lines": sorted(Checkout.objects.values_list("lines__quantity", flat=True)),
    }


@pytest.mark.django_db
def test_a_completion_refused_by_the_quota_or_the_limit_changes_nothing(
    channel_vn, variant, shipping_zones, customer_user
):
    event, offer = make_event(channel_vn, variant, quota=3, per_buyer_limit=2)
    first = ready_checkout(channel_vn, shipping_zones["standard"], user=customer_user)
    second = ready_checkout(channel_vn, shipping_zones["standard"], user=customer_user)
    late = ready_checkout(channel_vn, shipping_zones["standard"], email="muon@example.com")
    add_live_offer(first, offer, 2, user=customer_user)
    add_live_offer(second, offer, 1, user=customer_user)
    add_live_offer(late, offer, 2)
    services.go_live(event)
    client = Client()
    client.force_login(customer_user)
    assert complete(first, client)["errors"] == []
    before = _snapshot(event, offer)

    over_limit = complete(second, client)
    short = complete(late)

    assert over_limit["order"] is None
    assert [e["code"] for e in over_limit["errors"]] == ["LIVESTREAM_LIMIT_EXCEEDED"]
    assert short["order"] is None
    assert [e["code"] for e in short["errors"]] == ["LIVESTREAM_QUOTA_EXCEEDED"]
    assert _snapshot(event, offer) == before


BUYERS, PEOPLE, QUOTA, LIMIT = 100, 50, 30, 2
# Connections open at once: the PostgreSQL server (max_connections 100) is shared with the
# app's other test runs, so the hundred buyers pass through a pool as a web server's would.
CONNECTIONS = 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hundred_buyers_at_once_never_pass_the_quota_or_their_limit(
    channel_vn, variant, shipping_zones
):
    """Fifty people with two checkouts each, 1–3 units per checkout, race for a quota of 30
    with a limit of 2 per person: exactly what was sold was ordered, nobody has more than 2,
    the stock never goes below zero and the event's hold shrank by what was sold."""
    Stock.objects.filter(product_variant=variant).update(quantity=100)
    event, offer = make_event(channel_vn, variant, quota=QUOTA, per_buyer_limit=LIMIT)
    services.go_live(event)
    checkouts = []
    for index in range(BUYERS):
        checkout = ready_checkout(
            channel_vn, shipping_zones["standard"], email=f"nguoi{index % PEOPLE}@example.com"
        )
        checkout.lines.create(variant=variant, live_offer=offer, quantity=index % 3 + 1)
        checkouts.append(checkout)
    barrier, pool_slots = threading.Barrier(BUYERS), threading.Semaphore(CONNECTIONS)

    def buy(checkout):
        try:
            barrier.wait(timeout=60)
            with pool_slots:
                return complete(checkout)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        results = list(pool.map(buy, checkouts))

    placed = [result for result in results if result["order"]]
    codes = {e["code"] for result in results if not result["order"] for e in result["errors"]}
    assert codes <= {"LIVESTREAM_QUOTA_EXCEEDED", "LIVESTREAM_LIMIT_EXCEEDED"}
    offer.refresh_from_db()
    ordered = Order.objects.filter(live_event=event).values_list("user_email", "lines__quantity")
    per_person = {}
    for email, quantity in ordered:
        per_person[email] = per_person.get(email, 0) + quantity
    assert len(placed) == Order.objects.count() > 0
    assert sum(per_person.values()) == offer.sold <= QUOTA
    assert max(per_person.values()) <= LIMIT
    assert offer.sold >= QUOTA - LIMIT  # the quota sold out, bar a unit nobody could take
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (100, offer.sold)
    assert event_hold(event) == QUOTA - offer.sold
    assert stock_levels_are_consistent()


@pytest.mark.django_db
def test_the_event_page_adds_to_the_cart_without_leaving_it(client, channel_vn, variant):
    event, offer = make_event(channel_vn, variant, quota=5, per_buyer_limit=2)
    services.go_live(event)
    url = f"/live/{event.slug}/gio-hang/"

    answer = client.post(url, {"offer": offer.pk, "quantity": 2}, HTTP_ACCEPT="application/json")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["ok"], body["cart_count"]) == (True, 2)
    assert "Nước mắm Phú Quốc" in body["message"]
    assert ViewerActivity.objects.filter(event=event, kind=ActivityKind.ADD_TO_CART).count() == 1

    refused = client.post(url, {"offer": offer.pk, "quantity": 1}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert refused.json()["ok"] is False
    assert refused.json()["cart_count"] == 2

    cart = client.get("/gio-hang/").content.decode()
    assert "Giá livestream" in cart
    assert "99.000" in cart and "125.000" in cart


@pytest.mark.django_db
def test_without_javascript_adding_from_the_event_page_returns_to_it(client, channel_vn, variant):
    event, offer = make_event(channel_vn, variant)

    answer = client.post(f"/live/{event.slug}/gio-hang/", {"offer": offer.pk, "quantity": 1})

    assert answer.status_code == 302
    assert answer["Location"] == f"/live/{event.slug}/"
    checkout = Checkout.objects.get()
    assert (checkout.live_event, checkout.lines.get().live_offer) == (event, offer)
    other, _ = make_event(channel_vn, variant, slug="phien-khac")
    assert client.post(f"/live/{event.slug}/gio-hang/", {"offer": 99999}).status_code == 404
    assert (
        client.post(f"/live/{other.slug}/gio-hang/", {"offer": offer.pk, "quantity": 1}).status_code
        == 404
    )


@pytest.mark.django_db
def test_pricing_livestream_lines_costs_no_extra_query(
    channel_vn, variant, shipping_zones, django_assert_num_queries
):
    event, offer = make_event(channel_vn, variant, quota=5)
    services.go_live(event)
    checkout = ready_checkout(channel_vn, shipping_zones["standard"])
    add_live_offer(checkout, offer, 1)
    add_lines(checkout, [LineInput(variant=variant, quantity=1)])

    with django_assert_num_queries(3):
        prices = sorted(line.unit_price for line in fetch_checkout_info(checkout).lines)

    assert prices == [LIVE, REGULAR]
