"""Outgoing webhooks: signed deliveries to a real local HTTP receiver, sent only after the
transaction commits, retried with backoff and recorded."""

import socket

import pytest
from django.db import transaction

from backend.core.ids import global_id
from backend.webhook.delivery import retry_countdown
from backend.webhook.events import trigger_webhook_event
from backend.webhook.models import DeliveryStatus, EventDelivery, Webhook, WebhookEventType
from backend.webhook.payloads import order_payload
from tests.fixtures.checkout import VN_ADDRESS
from tests.fixtures.webhooks import WEBHOOK_SECRET
from tests.order_factory import create_order
from tests.webhook_receiver import WebhookReceiver

SECRET = WEBHOOK_SECRET


@pytest.fixture
def order_webhook(db, receiver):
    return Webhook.objects.create(
        name="ERP",
        target_url=receiver.url,
        secret_key=SECRET,
        events=[WebhookEventType.ORDER_CREATED, WebhookEventType.ORDER_PAID],
    )


@pytest.fixture
def order(channel_vn, variant):
    return create_order(channel_vn, [(variant, 2)], address_data=VN_ADDRESS, allocate=False)


def trigger_order_created(order, capture):
    with capture(execute=True):
        trigger_webhook_event(WebhookEventType.ORDER_CREATED, lambda: order_payload(order))


def test_order_created_is_delivered_signed_with_the_order(
    order_webhook, order, receiver, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_URL = "https://ocop.example"
    trigger_order_created(order, django_capture_on_commit_callbacks)

    [received] = receiver.received
    assert received.signature_valid
    assert received.event == "order_created"
    assert received.headers["Saleor-Domain"] == "ocop.example"
    payload = received.payload
    assert payload["number"] == str(order.number)
    assert payload["total"] == {"amount": "280000", "currency": "VND"}
    assert [(line["product_name"], line["quantity"]) for line in payload["lines"]] == [
        ("Nước mắm Phú Quốc", 2)
    ]
    assert payload["shipping_address"]["country_area"] == "Thành phố Hà Nội"
    delivery = EventDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCESS, 1)
    assert delivery.last_response.startswith("HTTP 200")


def test_upper_case_event_names_are_accepted(
    order_webhook, order, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trigger_webhook_event("ORDER_PAID", lambda: order_payload(order))
    assert [r.event for r in receiver.received] == ["order_paid"]


def test_only_active_subscribed_webhooks_get_the_event(
    order_webhook, order, receiver, django_capture_on_commit_callbacks
):
    other = WebhookReceiver(secret="khac").start()
    try:
        Webhook.objects.create(
            name="Kho", target_url=other.url, secret_key="khac", events=["stock_changed"]
        )
        Webhook.objects.create(
            name="Tắt",
            target_url=other.url,
            secret_key="khac",
            events=["order_created"],
            is_active=False,
        )
        trigger_order_created(order, django_capture_on_commit_callbacks)
    finally:
        other.stop()
    assert len(receiver.received) == 1
    assert other.received == []
    assert EventDelivery.objects.count() == 1


def test_payload_is_not_built_when_nobody_listens(db, django_capture_on_commit_callbacks):
    def build():
        raise AssertionError("payload built for no subscriber")

    with django_capture_on_commit_callbacks(execute=True):
        trigger_webhook_event(WebhookEventType.PRODUCT_UPDATED, build)
    assert not EventDelivery.objects.exists()


def test_nothing_is_sent_when_the_transaction_rolls_back(
    order_webhook, order, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            trigger_webhook_event(WebhookEventType.ORDER_CREATED, lambda: order_payload(order))
            raise RuntimeError("checkout failed")
    assert receiver.attempts == 0
    assert not EventDelivery.objects.exists()


def test_failed_deliveries_are_retried_until_the_app_answers(
    order_webhook, order, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_RETRIES = 5
    receiver.fail_next = 2
    trigger_order_created(order, django_capture_on_commit_callbacks)

    assert receiver.attempts == 3
    assert len(receiver.received) == 1
    delivery = EventDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCESS, 3)


def test_delivery_fails_after_the_last_retry(
    order_webhook, order, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_RETRIES = 2
    receiver.fail_next = 10
    trigger_order_created(order, django_capture_on_commit_callbacks)

    assert receiver.attempts == 3  # the first try and two retries
    delivery = EventDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.last_response == "HTTP 500: temporarily unavailable"


def test_a_wrong_secret_is_refused_by_the_app(
    order_webhook, order, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_RETRIES = 1
    Webhook.objects.update(secret_key="not-the-shared-secret")
    trigger_order_created(order, django_capture_on_commit_callbacks)

    assert receiver.accepted == []
    delivery = EventDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_response == "HTTP 401: invalid signature"


def test_unreachable_app_is_recorded(order, django_capture_on_commit_callbacks, settings):
    settings.WEBHOOK_MAX_RETRIES = 1
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    Webhook.objects.create(
        name="Down",
        target_url=f"http://127.0.0.1:{free_port}/",
        secret_key=SECRET,
        events=["order_created"],
    )
    trigger_order_created(order, django_capture_on_commit_callbacks)

    delivery = EventDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    assert "Connection refused" in delivery.last_response


def test_retries_back_off_exponentially():
    assert [retry_countdown(n) for n in range(1, 6)] == [10, 20, 40, 80, 160]
    assert retry_countdown(20) == 3600


def test_stock_changes_are_sent_with_new_levels(
    channel_vn, variant, receiver, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        name="Kho", target_url=receiver.url, secret_key=SECRET, events=["stock_changed"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        create_order(channel_vn, [(variant, 3)], address_data=VN_ADDRESS)

    [received] = receiver.received
    assert received.event == "stock_changed"
    [stock] = received.payload["stocks"]
    assert (stock["quantity"], stock["quantity_allocated"], stock["available"]) == (10, 3, 7)


PRODUCT_UPDATE = """
mutation ($id: ID!, $input: ProductInput!) {
  productUpdate(id: $id, input: $input) { product { name } errors { field code } }
}
"""


def test_product_update_is_sent_after_the_mutation(
    api_client, variant, receiver, catalog_manager_token, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        name="Sàn TMĐT", target_url=receiver.url, secret_key=SECRET, events=["product_updated"]
    )
    product = variant.product
    variables = {"id": global_id("Product", product.pk), "input": {"name": "Nước mắm Phú Quốc 40N"}}
    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(PRODUCT_UPDATE, variables, token=catalog_manager_token)
    assert result["data"]["productUpdate"]["errors"] == []

    [received] = receiver.accepted
    assert received.event == "product_updated"
    assert received.payload["name"] == "Nước mắm Phú Quốc 40N"
    assert received.payload["variants"] == [
        {"id": global_id("ProductVariant", variant.pk), "sku": variant.sku, "name": variant.name}
    ]


def test_failed_product_update_sends_nothing(
    api_client, variant, receiver, catalog_manager_token, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        name="Sàn TMĐT", target_url=receiver.url, secret_key=SECRET, events=["product_updated"]
    )
    variables = {"id": global_id("Product", variant.product.pk), "input": {"name": ""}}
    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(PRODUCT_UPDATE, variables, token=catalog_manager_token)
    assert result["data"]["productUpdate"]["errors"]
    assert receiver.attempts == 0


def test_order_payloads_carry_the_buyers_details_in_full(
    order_webhook, order, receiver, django_capture_on_commit_callbacks
):
    """Apps are trusted with the buyer's contact details, as Saleor sends them to apps allowed
    to manage orders; who may subscribe one is checked below."""
    trigger_order_created(order, django_capture_on_commit_callbacks)

    payload = receiver.received[0].payload
    assert payload["user_email"] == "khach.le@example.com"
    address = payload["shipping_address"]
    assert (address["street_address_1"], address["phone"]) == ("12 Phan Đình Phùng", "+84912345678")


def webhook_editor(django_user_model, *codenames):
    from django.contrib.auth.models import Permission
    from django.test import Client

    staff = django_user_model.objects.create_user(
        email="it@ocop.example", password="Mat-khau-dai-1!", is_staff=True
    )
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(staff)
    return client


ADD_ORDER_WEBHOOK = {
    "name": "ERP",
    "target_url": "https://erp.example/hooks",
    "secret_key": "bi-mat",
    "is_active": "on",
    "events": ["order_created", "stock_changed"],
}


def test_staff_who_do_not_manage_orders_cannot_send_orders_to_an_app(db, django_user_model):
    client = webhook_editor(django_user_model, "add_webhook", "change_webhook", "view_webhook")

    response = client.post("/admin/webhook/webhook/add/", ADD_ORDER_WEBHOOK)

    assert response.status_code == 200
    assert "Chỉ nhân viên quản lý đơn hàng" in response.content.decode()
    assert not Webhook.objects.exists()
    stock_only = {**ADD_ORDER_WEBHOOK, "events": ["stock_changed"]}
    assert client.post("/admin/webhook/webhook/add/", stock_only).status_code == 302


def test_order_managers_can_send_orders_to_an_app(db, django_user_model):
    client = webhook_editor(
        django_user_model, "add_webhook", "change_webhook", "view_webhook", "manage_orders"
    )

    response = client.post("/admin/webhook/webhook/add/", ADD_ORDER_WEBHOOK)

    assert response.status_code == 302
    assert Webhook.objects.get().events == ["order_created", "stock_changed"]
