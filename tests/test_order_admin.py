"""The office admin shows orders with their history and runs cancel / mark as paid; webhooks are
managed there and failed deliveries can be sent again."""

import pytest
from django.test import Client

from backend.order.models import OrderStatus
from backend.webhook.models import DeliveryStatus, EventDelivery, Webhook
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order
from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def admin_client_(django_user_model):
    admin = django_user_model.objects.create_superuser("admin@ocop.example", "Mat-khau-dai-1!")
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def order(channel_vn, variant):
    return create_order(channel_vn, [(variant, 2)], address_data=VN_ADDRESS)


def test_orders_list_and_detail(admin_client_, order):
    listing = admin_client_.get("/admin/order/order/")
    assert listing.status_code == 200
    assert "280.000 ₫" in listing.content.decode()

    detail = admin_client_.get(f"/admin/order/order/{order.pk}/change/").content.decode()
    assert "Nước mắm Phú Quốc" in detail
    assert "125.000 ₫" in detail


def test_cancel_action(admin_client_, order, variant):
    response = admin_client_.post(
        "/admin/order/order/",
        {"action": "cancel_orders", "_selected_action": [str(order.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    assert variant.stocks.get().quantity_allocated == 0


def test_mark_as_paid_action(admin_client_, order):
    admin_client_.post(
        "/admin/order/order/",
        {"action": "mark_orders_as_paid", "_selected_action": [str(order.pk)]},
        follow=True,
    )
    order.refresh_from_db()
    assert order.is_paid


def test_webhook_is_created_with_chosen_events(admin_client_):
    response = admin_client_.post(
        "/admin/webhook/webhook/add/",
        {
            "name": "ERP",
            "target_url": "https://erp.example/hooks",
            "secret_key": "bi-mat",
            "is_active": "on",
            "events": ["order_created", "order_paid"],
        },
    )
    assert response.status_code == 302
    assert Webhook.objects.get().events == ["order_created", "order_paid"]


def test_failed_delivery_can_be_sent_again(
    admin_client_, django_capture_on_commit_callbacks, settings
):
    receiver = WebhookReceiver(secret="s").start()
    try:
        webhook = Webhook.objects.create(
            name="ERP", target_url=receiver.url, secret_key="s", events=["order_paid"]
        )
        delivery = EventDelivery.objects.create(
            webhook=webhook,
            event_type="order_paid",
            payload='{"number": "10001"}',
            status=DeliveryStatus.FAILED,
            attempts=6,
        )
        with django_capture_on_commit_callbacks(execute=True):
            admin_client_.post(
                "/admin/webhook/eventdelivery/",
                {"action": "send_again", "_selected_action": [str(delivery.pk)]},
            )
    finally:
        receiver.stop()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCESS, 1)
    assert [r.payload for r in receiver.accepted] == [{"number": "10001"}]
