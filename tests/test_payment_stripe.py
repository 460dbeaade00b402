"""Stripe for the international channel, against a local server speaking Stripe's REST API:
PaymentIntents with idempotency keys, card confirmation, errors and rate limiting, and webhooks
verified with the endpoint secret (replays change nothing)."""

import importlib
import json

import pytest
import requests

from backend.order.models import ChargeStatus
from backend.payment.models import TransactionEvent, TransactionItem
from tests.fixtures.payment import use_stripe_server
from tests.payment_servers.helpers import (
    TRANSACTION_INITIALIZE,
    checkout_id,
    initialize,
    place_order,
    process,
)
from tests.payment_servers.stripe_server import StripeServer, stripe_signature

TOTAL = 2 * 650 + 2_500  # two bottles at 6.50 USD + EMS shipping, in cents
STRIPE = "saleor.app.payment.stripe"
# What Saleor's storefront sends to transactionInitialize for the Stripe app.
CARD = {"id": STRIPE, "data": {"paymentIntent": {"paymentMethod": "card"}}}
WEBHOOK_URL = "/payment/stripe/webhook/"


def send_event(client, event, secret="whsec_ocop"):
    payload = json.dumps(event)
    return client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stripe_signature(payload, secret),
    )


def browser_confirm(server, client_secret, payment_method="pm_card_visa"):
    """What Stripe.js does in the buyer's browser: confirm with the publishable key (the intent
    id is the client secret's part before `_secret_`)."""
    intent_id = client_secret.split("_secret_")[0]
    return requests.post(
        f"{server.url}/v1/payment_intents/{intent_id}/confirm",
        data={"payment_method": payment_method, "client_secret": client_secret},
        headers={"Authorization": f"Bearer {server.publishable_key}"},
        timeout=5,
    )


@pytest.mark.django_db
def test_initialize_creates_a_payment_intent(api_client, intl_checkout, stripe_server):
    payload = initialize(api_client, intl_checkout, CARD)
    assert payload["errors"] == []
    assert payload["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    intent = stripe_server.intents[payload["transaction"]["pspReference"]]
    assert intent["amount"] == TOTAL and intent["currency"] == "usd"
    assert intent["metadata"]["checkout_token"] == str(intl_checkout.pk)
    assert payload["data"] == {"paymentIntent": {"stripeClientSecret": intent["client_secret"]}}
    assert payload["transaction"]["pspReference"] == intent["id"]


@pytest.mark.django_db
def test_same_idempotency_key_gives_the_same_intent(api_client, intl_checkout, stripe_server):
    first = initialize(api_client, intl_checkout, CARD, key="buyer-click-1")
    again = initialize(api_client, intl_checkout, CARD, key="buyer-click-1")
    assert again["transaction"]["id"] == first["transaction"]["id"]
    assert again["data"] == first["data"]
    assert len(stripe_server.intents) == 1
    other = initialize(api_client, intl_checkout, CARD, key="buyer-click-2")
    assert other["transaction"]["pspReference"] != first["transaction"]["pspReference"]


@pytest.mark.django_db
def test_retry_after_a_lost_answer_reuses_the_stripe_intent(
    api_client, intl_checkout, stripe_server, monkeypatch
):
    """Stripe created the intent but our mutation failed afterwards: the retry with the same key
    must not create a second charge at Stripe."""
    from backend.payment import services

    original = services.record_event
    calls = {"n": 0}

    def fail_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("connection lost")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "record_event", fail_once)
    failed = api_client.execute(
        TRANSACTION_INITIALIZE,
        {"id": checkout_id(intl_checkout), "gateway": CARD, "key": "k-1"},
    )
    assert failed["errors"][0]["message"] == "connection lost"
    assert not TransactionItem.objects.exists()
    payload = initialize(api_client, intl_checkout, CARD, key="k-1")
    assert payload["errors"] == []
    assert len(stripe_server.intents) == 1


@pytest.mark.django_db
def test_stripe_error_shapes(stripe_server):
    key = {"Authorization": f"Bearer {stripe_server.secret_key}"}
    missing = requests.post(
        f"{stripe_server.url}/v1/payment_intents", data={"currency": "usd"}, headers=key
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "parameter_missing"
    assert missing.json()["error"]["param"] == "amount"
    unknown = requests.get(f"{stripe_server.url}/v1/payment_intents/pi_nope", headers=key)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "resource_missing"
    bad_key = requests.get(
        f"{stripe_server.url}/v1/payment_intents/pi_nope",
        headers={"Authorization": "Bearer sk_test_wrong"},
    )
    assert bad_key.status_code == 401


@pytest.mark.django_db
def test_rate_limited_initialize_changes_nothing(api_client, intl_checkout, stripe_server):
    stripe_server.rate_limit = 0
    payload = initialize(api_client, intl_checkout, CARD, key="k-429")
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["transaction"] is None
    assert not TransactionItem.objects.exists() and not stripe_server.intents
    stripe_server.rate_limit = 25
    assert initialize(api_client, intl_checkout, CARD, key="k-429")["errors"] == []


@pytest.mark.django_db
def test_process_confirms_the_card_and_pays(api_client, intl_checkout, stripe_server):
    payload = initialize(api_client, intl_checkout, CARD)
    processed = process(api_client, payload["transaction"]["id"], {"paymentMethod": "pm_card_visa"})
    assert processed["errors"] == []
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert processed["transaction"]["chargedAmount"] == {"amount": 38.0, "currency": "USD"}
    order = place_order(intl_checkout)
    assert order.payment_gateway == STRIPE
    assert order.charge_status == ChargeStatus.FULL


@pytest.mark.django_db
def test_declined_card_records_a_failure(api_client, intl_checkout, stripe_server):
    from django.core.exceptions import ValidationError

    payload = initialize(api_client, intl_checkout, CARD)
    processed = process(
        api_client, payload["transaction"]["id"], {"paymentMethod": "pm_card_chargeDeclined"}
    )
    assert processed["transactionEvent"]["type"] == "CHARGE_FAILURE"
    (error,) = processed["data"]["paymentIntent"]["errors"]
    assert error == {"code": "StripeCardError", "message": "Your card was declined."}
    assert TransactionEvent.objects.get(type="charge_failure").raw["error"]["decline_code"] == (
        "generic_decline"
    )
    with pytest.raises(ValidationError):
        place_order(intl_checkout)


@pytest.mark.django_db
def test_authorization_flow(api_client, intl_checkout, stripe_server):
    payload = initialize(api_client, intl_checkout, CARD, action="AUTHORIZATION")
    assert payload["transactionEvent"]["type"] == "AUTHORIZATION_ACTION_REQUIRED"
    intent = stripe_server.intents[payload["transaction"]["pspReference"]]
    assert intent["capture_method"] == "manual"
    processed = process(api_client, payload["transaction"]["id"], {"paymentMethod": "pm_card_visa"})
    assert processed["transactionEvent"]["type"] == "AUTHORIZATION_SUCCESS"
    assert set(processed["transaction"]["actions"]) == {"CHARGE", "CANCEL"}
    order = place_order(intl_checkout)
    assert order.authorize_status == "full" and order.charge_status == ChargeStatus.NONE


@pytest.mark.django_db
def test_webhook_signature_is_verified_and_replay_is_idempotent(
    api_client, intl_checkout, stripe_server, client
):
    payload = initialize(api_client, intl_checkout, CARD)
    data = payload["data"]
    assert browser_confirm(stripe_server, data["paymentIntent"]["stripeClientSecret"]).ok
    (event,) = [e for e in stripe_server.events if e["type"] == "payment_intent.succeeded"]
    assert send_event(client, event, secret="whsec_wrong").status_code == 400
    unsigned = client.post(WEBHOOK_URL, json.dumps(event), content_type="application/json")
    assert unsigned.status_code == 400
    assert TransactionItem.objects.get().amount_charged == 0

    assert send_event(client, event).status_code == 200
    transaction = TransactionItem.objects.get()
    assert transaction.amount_charged == TOTAL
    events = TransactionEvent.objects.count()
    assert send_event(client, event).status_code == 200
    assert TransactionEvent.objects.count() == events
    assert TransactionItem.objects.get().amount_charged == TOTAL


@pytest.mark.django_db
def test_webhook_with_another_amount_is_rejected(api_client, intl_checkout, stripe_server, client):
    payload = initialize(api_client, intl_checkout, CARD)
    intent = dict(stripe_server.intents[payload["transaction"]["pspReference"]])
    intent.update(status="succeeded", amount=100, amount_received=100)
    event = {
        "id": "evt_forged",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": intent},
    }
    assert send_event(client, event).status_code == 400
    assert TransactionItem.objects.get().amount_charged == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stripe_delivers_the_webhook_over_http(live_server, api_client, intl_checkout, settings):
    with StripeServer(webhook_url=live_server.url + WEBHOOK_URL) as server:
        use_stripe_server(settings, server)
        payload = initialize(api_client, checkout_id(intl_checkout), CARD)
        data = payload["data"]
        assert browser_confirm(server, data["paymentIntent"]["stripeClientSecret"]).ok
        server.wait_for_deliveries()
        assert [status for _event, status in server.deliveries] == [200]
    order = place_order(intl_checkout)
    assert order.charge_status == ChargeStatus.FULL
    assert order.total_charged_amount == TOTAL


@pytest.mark.django_db
def test_transactions_under_the_former_stripe_id_are_moved_to_the_app_id(intl_checkout):
    from django.apps import apps

    migration = importlib.import_module(
        "backend.payment.migrations.0002_stripe_gateway_saleor_app_id"
    )
    old = TransactionItem.objects.create(
        gateway="ocop.payments.stripe", currency="USD", checkout=intl_checkout
    )
    migration.rename(apps, migration.OLD_ID, migration.NEW_ID)
    old.refresh_from_db()
    assert old.gateway == STRIPE
