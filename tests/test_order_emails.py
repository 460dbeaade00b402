"""The order confirmation email: sent once the order is placed, in the buyer's language, with
the order number, lines and totals formatted for that language."""

import pytest
from django.core import mail
from django.utils import translation

from backend.checkout.complete_checkout import complete_checkout
from backend.order.models import OrderEvent, OrderEvents
from backend.order.tasks import send_order_confirmation
from backend.webhook.models import Webhook
from tests.fixtures.checkout import VN_ADDRESS
from tests.order_factory import create_order
from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def order(channel_vn, variant, shipping_zones):
    return create_order(
        channel_vn,
        [(variant, 2)],
        address_data=VN_ADDRESS,
        shipping_method=shipping_zones["standard"],
        allocate=False,
    )


def test_confirmation_lists_number_lines_and_totals_in_dong(order):
    assert send_order_confirmation.delay(str(order.pk)).get() is True

    [email] = mail.outbox
    assert email.to == ["khach.le@example.com"]
    assert f"#{order.number}" in email.subject
    body = email.body
    assert f"#{order.number}" in body
    assert "2 × Nước mắm Phú Quốc (Loại 1) (125.000 ₫): 250.000 ₫" in body
    assert "30.000 ₫" in body  # shipping
    assert "280.000 ₫" in body  # total
    assert "Nguyễn Lan" in body
    assert "Nguyễn Lan, 12 Phan Đình Phùng, Phường Ba Đình, Thành phố Hà Nội" in body
    assert "Giao hàng tiêu chuẩn" in body
    event = OrderEvent.objects.get(order=order, type=OrderEvents.EMAIL_SENT)
    assert event.parameters == {"email": "khach.le@example.com", "email_type": "order_confirmation"}


def test_english_buyers_get_english_text_and_amounts(order):
    order.language_code = "en"
    order.save(update_fields=["language_code"])

    send_order_confirmation(str(order.pk))

    body = mail.outbox[0].body
    assert "Thank you for shopping at OCOP Market" in body
    assert "Total: ₫280,000" in body
    assert "Please pay the courier when your order is delivered." in body


def _vietnamese_compiled() -> bool:
    with translation.override("vi"):
        return translation.gettext("Payment method") != "Payment method"


@pytest.mark.skipif(
    not _vietnamese_compiled(), reason="Vietnamese translations of the email not compiled yet"
)
def test_vietnamese_is_the_default_language(order):
    order.language_code = "vi"
    order.save(update_fields=["language_code"])

    send_order_confirmation(str(order.pk))

    email = mail.outbox[0]
    assert "Payment method" not in email.body
    assert "Thank you" not in email.body
    with translation.override("vi"):
        assert f"{translation.gettext('Total')}: 280.000 ₫" in email.body


def test_no_email_without_an_address(order):
    order.user_email = ""
    order.save(update_fields=["user_email"])
    assert send_order_confirmation(str(order.pk)) is False
    assert mail.outbox == []


def test_placing_an_order_sends_the_email_and_order_created(
    checkout, django_capture_on_commit_callbacks
):
    receiver = WebhookReceiver(secret="s").start()
    try:
        Webhook.objects.create(
            name="ERP", target_url=receiver.url, secret_key="s", events=["order_created"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            order = complete_checkout(checkout)
    finally:
        receiver.stop()

    [email] = mail.outbox
    assert email.to == ["khach.le@example.com"]
    assert f"#{order.number}" in email.subject
    assert "280.000 ₫" in email.body
    [delivery] = receiver.accepted
    assert delivery.event == "order_created"
    assert delivery.payload["number"] == str(order.number)
    assert delivery.payload["payment_gateway"] == "ocop.payments.cod"
