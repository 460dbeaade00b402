"""Which gateways each channel offers, paymentGatewayInitialize, and cash on delivery from
transactionInitialize to an order staff mark as paid on delivery."""

import pytest
from django.core.exceptions import ValidationError

from backend.core.ids import global_id
from backend.order.models import ChargeStatus, OrderEvent, OrderEvents
from backend.payment import services
from backend.payment.gateways import list_payment_gateways
from backend.payment.models import TransactionEventType, TransactionItem
from backend.webhook.models import EventDelivery, Webhook, WebhookEventType
from tests.payment_servers.helpers import (
    GATEWAY_INITIALIZE,
    checkout_id,
    initialize,
    place_order,
    process,
)

pytestmark = pytest.mark.django_db

TOTAL = 2 * 125_000 + 30_000


@pytest.fixture
def vnpay_keys(settings):
    settings.VNPAY_TMN_CODE = "OCOPTEST"
    settings.VNPAY_HASH_SECRET = "secret"


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ocop"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_ocop"


def test_vn_channel_offers_cod_first_and_vnpay_only_with_keys(channel_vn, settings):
    assert [g.id for g in list_payment_gateways(channel_vn)] == [
        "ocop.payments.cod",
        "ocop.payments.vietqr",
    ]
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "OCOPTEST", "secret"
    assert [g.id for g in list_payment_gateways(channel_vn)][-1] == "ocop.payments.vnpay"


def test_intl_channel_offers_stripe_only_with_keys(channel_intl, stripe_keys, settings):
    gateways = list_payment_gateways(channel_intl)
    assert [(g.id, g.currencies[0]) for g in gateways] == [("saleor.app.payment.stripe", "USD")]
    assert gateways[0].config() == [("api_key", "pk_test_ocop")]
    settings.STRIPE_SECRET_KEY = ""
    assert list_payment_gateways(channel_intl) == []


def test_payment_gateway_initialize_returns_public_config(api_client, checkout, vnpay_keys):
    result = api_client.execute(GATEWAY_INITIALIZE, {"id": checkout_id(checkout)})
    configs = {c["id"]: c for c in result["data"]["paymentGatewayInitialize"]["gatewayConfigs"]}
    assert set(configs) == {"ocop.payments.cod", "ocop.payments.vietqr", "ocop.payments.vnpay"}
    assert configs["ocop.payments.vietqr"]["data"]["accountNumber"] == "0011004455667"
    assert configs["ocop.payments.cod"]["data"] is None


def test_payment_gateway_initialize_reports_unknown_gateway(api_client, checkout):
    result = api_client.execute(
        GATEWAY_INITIALIZE,
        {"id": checkout_id(checkout), "gateways": [{"id": "saleor.app.payment.stripe"}]},
    )
    (config,) = result["data"]["paymentGatewayInitialize"]["gatewayConfigs"]
    assert config["errors"][0]["code"] == "NOT_FOUND"


def test_payment_gateway_initialize_unknown_checkout(api_client):
    missing = global_id("Checkout", "6f1c1f6e-1111-4a4a-9b9b-000000000000")
    result = api_client.execute(GATEWAY_INITIALIZE, {"id": missing})
    assert result["data"]["paymentGatewayInitialize"]["errors"][0]["code"] == "NOT_FOUND"


def test_cod_transaction_records_pending_charge(api_client, checkout):
    payload = initialize(api_client, checkout, "ocop.payments.cod")
    assert payload["errors"] == []
    assert payload["transactionEvent"]["type"] == "CHARGE_REQUEST"
    transaction = payload["transaction"]
    assert transaction["chargedAmount"]["amount"] == 0
    assert transaction["chargePendingAmount"] == {"amount": TOTAL, "currency": "VND"}
    assert services.checkout_charge_status(checkout, TOTAL) == ChargeStatus.NONE


def test_gateway_not_offered_in_channel_is_refused(api_client, checkout):
    payload = initialize(api_client, checkout, "saleor.app.payment.stripe")
    assert payload["errors"][0]["code"] == "NOT_FOUND"
    assert payload["errors"][0]["field"] == "paymentGateway"
    assert not TransactionItem.objects.exists()


def test_amount_with_fraction_of_dong_is_invalid(api_client, checkout):
    payload = initialize(api_client, checkout, "ocop.payments.cod", amount="1000.5")
    assert payload["errors"][0]["code"] == "INVALID"
    assert not TransactionItem.objects.exists()


def test_checkout_being_completed_refuses_new_payments(api_client, checkout):
    from django.utils import timezone

    checkout.completing_started_at = timezone.now()
    checkout.save()
    payload = initialize(api_client, checkout, "ocop.payments.cod")
    assert payload["errors"][0]["code"] == "CHECKOUT_COMPLETION_IN_PROGRESS"


def test_switching_from_cod_to_vietqr_cancels_the_cod_promise(api_client, checkout):
    initialize(api_client, checkout, "ocop.payments.cod")
    initialize(api_client, checkout, "ocop.payments.vietqr")
    order = place_order(checkout)
    assert order.payment_gateway == "ocop.payments.vietqr"
    cod = TransactionItem.objects.get(gateway="ocop.payments.cod")
    assert cod.amount_charge_pending == 0
    assert cod.amount_canceled == TOTAL


def test_checkout_without_transaction_places_a_cod_order(checkout):
    order = place_order(checkout)
    assert order.payment_gateway == "ocop.payments.cod"
    assert order.charge_status == ChargeStatus.NONE
    (transaction,) = order.payment_transactions.all()
    assert transaction.amount_charge_pending == order.total_amount == TOTAL


def test_unpaid_online_payment_blocks_completion(api_client, checkout, vnpay_keys):
    initialize(api_client, checkout, "ocop.payments.vnpay")
    with pytest.raises(ValidationError) as error:
        services.prepare_payment_for_completion(checkout, TOTAL)
    assert error.value.code == "checkout_not_fully_paid"


def test_cod_total_follows_checkout_changes(api_client, checkout):
    initialize(api_client, checkout, "ocop.payments.cod")
    line = checkout.lines.get()
    line.quantity = 3
    line.save()
    order = place_order(checkout)
    (transaction,) = order.payment_transactions.all()
    assert order.total_amount == 3 * 125_000 + 30_000
    assert transaction.amount_charge_pending == order.total_amount


def test_staff_mark_cod_order_paid_sends_order_paid_once(
    checkout, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        name="erp",
        target_url="http://127.0.0.1:9/hook",
        secret_key="s",
        events=[WebhookEventType.ORDER_PAID.value],
    )
    queued = []
    monkeypatch.setattr("backend.webhook.delivery.deliver_webhook.delay", queued.append)
    order = place_order(checkout)
    with django_capture_on_commit_callbacks(execute=True):
        transaction = services.mark_order_as_paid(order, staff_user, psp_reference="CASH-123")
    order.refresh_from_db()
    assert order.charge_status == ChargeStatus.FULL
    assert order.total_charged_amount == order.total_amount
    assert transaction.gateway == "ocop.payments.cod"
    assert transaction.events.filter(
        type=TransactionEventType.CHARGE_SUCCESS, psp_reference="CASH-123"
    ).exists()
    assert OrderEvent.objects.filter(order=order, type=OrderEvents.MARKED_AS_PAID).count() == 1
    paid = EventDelivery.objects.filter(event_type=WebhookEventType.ORDER_PAID)
    assert paid.count() == 1 and len(queued) == 1
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.mark_order_as_paid(order, staff_user)
    assert paid.count() == 1


def test_transaction_process_of_cod_reports_the_request(api_client, checkout):
    payload = initialize(api_client, checkout, "ocop.payments.cod")
    processed = process(api_client, payload["transaction"]["id"])
    assert processed["errors"] == []
    assert processed["transactionEvent"]["type"] == "CHARGE_REQUEST"


def test_transaction_process_unknown_transaction(api_client):
    missing = global_id("TransactionItem", "6f1c1f6e-1111-4a4a-9b9b-000000000000")
    processed = process(api_client, missing)
    assert processed["errors"][0]["code"] == "NOT_FOUND"


def test_idempotency_key_of_another_checkout_is_refused(api_client, checkout, channel_vn):
    from backend.checkout.models import Checkout

    other = Checkout.objects.create(channel=channel_vn, currency="VND", email="a@example.com")
    initialize(api_client, checkout, "ocop.payments.cod", key="same-key")
    again = initialize(api_client, checkout, "ocop.payments.cod", key="same-key")
    assert again["errors"] == [] and TransactionItem.objects.count() == 1
    payload = initialize(api_client, other, "ocop.payments.cod", key="same-key")
    assert payload["errors"][0]["code"] == "UNIQUE"
