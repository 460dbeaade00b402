"""Provider callbacks with missing or odd fields: a correctly signed Stripe event, VNPay IPN or
bank-transfer webhook that lacks what we check gets a clear 4xx (or Stripe's 200 "ignored", or
VNPay's documented RspCode), never a 500, and changes nothing."""

import json
import time

import pytest

from backend.payment.models import TransactionEvent, TransactionItem
from tests.payment_servers.helpers import initialize
from tests.payment_servers.stripe_server import stripe_signature
from tests.payment_servers.vnpay_server import signed
from tests.test_payment_vietqr import SECRET as BANK_SECRET
from tests.test_payment_vietqr import sign as bank_sign
from tests.test_payment_vietqr import transfer

pytestmark = pytest.mark.django_db

STRIPE_WEBHOOK = "/payment/stripe/webhook/"
CARD = {"id": "saleor.app.payment.stripe", "data": {"paymentIntent": {"paymentMethod": "card"}}}
VN_TOTAL = 2 * 125_000 + 30_000


def post_stripe(client, payload: str, signature: str | None = None):
    return client.post(
        STRIPE_WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature or stripe_signature(payload, "whsec_ocop"),
    )


@pytest.fixture
def stripe_intent(api_client, intl_checkout, stripe_server):
    """A PaymentIntent our transaction waits for, as Stripe returns it."""
    payload = initialize(api_client, intl_checkout, CARD)
    return dict(stripe_server.intents[payload["transaction"]["pspReference"]])


def succeeded(intent, **changes):
    return {
        "id": "evt_odd",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {**intent, "status": "succeeded", "amount_received": intent["amount"]}},
        **changes,
    }


def unchanged():
    return TransactionItem.objects.get().amount_charged == 0


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded"},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {}},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": None},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": "pi_1"}},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {}}},
        [{"type": "payment_intent.succeeded"}],
        "payment_intent.succeeded",
    ],
    ids=["no data", "no object", "null data", "object not a dict", "empty object", "list", "str"],
)
def test_signed_stripe_event_without_its_payment_intent_is_refused(client, stripe_intent, event):
    response = post_stripe(client, json.dumps(event))
    assert response.status_code == 400
    assert response.json() == {"error": "malformed event"}
    assert unchanged()


@pytest.mark.parametrize(
    "broken",
    [
        {"amount": None},
        {"amount": "3800"},
        {"amount": True},
        {"currency": None},
        {"id": None},
    ],
    ids=["no amount", "amount as text", "amount as boolean", "no currency", "no id"],
)
def test_signed_stripe_event_with_odd_intent_fields_is_refused(client, stripe_intent, broken):
    event = succeeded(stripe_intent)
    event["data"]["object"].update(broken)
    assert post_stripe(client, json.dumps(event)).status_code == 400
    assert unchanged()


def test_signed_stripe_event_without_an_id_is_refused(client, stripe_intent):
    event = succeeded(stripe_intent)
    del event["id"]
    assert post_stripe(client, json.dumps(event)).status_code == 400
    assert unchanged()


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_2", "type": "customer.created", "data": {"object": {"id": "cus_1"}}},
        {"id": "evt_3", "data": {"object": {}}},
        {"id": "evt_4", "type": None},
    ],
    ids=["unknown type", "no type", "null type"],
)
def test_stripe_events_we_do_not_handle_are_acknowledged(client, stripe_intent, event):
    response = post_stripe(client, json.dumps(event))
    assert response.status_code == 200
    assert response.json() == {"received": True, "ignored": "event type"}
    assert unchanged()


def test_intent_without_metadata_or_error_fields_still_pays(client, stripe_intent):
    event = succeeded(stripe_intent)
    for field in ("metadata", "last_payment_error", "amount_received"):
        event["data"]["object"].pop(field)
    assert post_stripe(client, json.dumps(event)).status_code == 200
    assert TransactionItem.objects.get().amount_charged == stripe_intent["amount"]


def test_stripe_signature_header_as_stripe_documents_it(client, stripe_intent):
    """Stripe's documented header `t=1492774577,v1=5257a8…,v0=6ffbb5…`: the signed payload is
    `{t}.{body}`, any of several v1 signatures may match (secret rotation), other schemes such
    as v0 are ignored, and a timestamp older than the 5-minute tolerance is refused."""
    payload = json.dumps(succeeded(stripe_intent))
    now = int(time.time())
    good = stripe_signature(payload, "whsec_ocop", now).split(",")[1]
    rotated = f"t={now},v1={'0' * 64},{good},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07"
    stale = stripe_signature(payload, "whsec_ocop", now - 301)
    assert post_stripe(client, payload, f"t={now},v0={good[3:]}").status_code == 400
    assert post_stripe(client, payload, stale).status_code == 400
    assert post_stripe(client, payload, "t=1492774577").status_code == 400
    assert post_stripe(client, payload, f"t={now},v1=é").status_code == 400
    assert unchanged()
    assert post_stripe(client, payload, rotated).status_code == 200
    assert TransactionItem.objects.get().amount_charged == stripe_intent["amount"]


# --- VNPay IPN ----------------------------------------------------------------------------------

VNPAY_SECRET = "VNPAYSECRETOCOP"


@pytest.fixture
def vnpay_transaction(api_client, checkout, settings):
    settings.VNPAY_TMN_CODE = "OCOPTEST"
    settings.VNPAY_HASH_SECRET = VNPAY_SECRET
    return initialize(api_client, checkout, "ocop.payments.vnpay")["transaction"]["token"]


def ipn(client, params):
    return client.get("/payment/vnpay/ipn/", params)


def test_vnpay_ipn_with_a_non_ascii_signature_is_refused(client, vnpay_transaction):
    response = ipn(
        client, {"vnp_TxnRef": vnpay_transaction.replace("-", ""), "vnp_SecureHash": "é"}
    )
    assert response.json()["RspCode"] == "97"
    page = client.get("/payment/vnpay/return/", {"vnp_SecureHash": "ü" * 128})
    assert page.status_code == 400


TXN = "the transaction's reference"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"vnp_Amount": str(VN_TOTAL * 100)}, "01"),
        ({"vnp_TxnRef": "zz", "vnp_Amount": str(VN_TOTAL * 100)}, "01"),
        ({"vnp_TxnRef": TXN}, "04"),
        ({"vnp_TxnRef": TXN, "vnp_Amount": "abc"}, "04"),
        ({"vnp_TxnRef": TXN, "vnp_Amount": f"{VN_TOTAL * 100}.5"}, "04"),
    ],
    ids=["no reference", "odd reference", "no amount", "amount as text", "fractional amount"],
)
def test_signed_vnpay_ipn_with_missing_fields_changes_nothing(
    client, vnpay_transaction, params, code
):
    params = {"vnp_ResponseCode": "00", **params}
    if params.get("vnp_TxnRef") == TXN:
        params["vnp_TxnRef"] = vnpay_transaction.replace("-", "")
    assert ipn(client, signed(params, VNPAY_SECRET)).json()["RspCode"] == code
    assert TransactionItem.objects.get().amount_charged == 0


# --- VietQR bank-transfer webhook ---------------------------------------------------------------


@pytest.fixture
def vietqr_code(api_client, checkout, settings):
    settings.BANK_TRANSFER_WEBHOOK_SECRET = BANK_SECRET
    return initialize(api_client, checkout, "ocop.payments.vietqr")["data"]["transferMessage"]


def post_bank(client, body):
    return client.post(
        "/payment/vietqr/webhook/", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    "amount",
    [VN_TOTAL + 0.4, float(VN_TOTAL), "280000.0", "abc", True, None, -VN_TOTAL, "٢٨٠٠٠٠"],
    ids=["fraction", "float", "decimal text", "text", "boolean", "null", "negative", "arabic"],
)
def test_signed_transfer_with_an_odd_amount_is_refused(client, vietqr_code, amount):
    data = {**transfer(vietqr_code, VN_TOTAL), "amount": amount}
    response = post_bank(client, {"data": data, "signature": bank_sign(data)})
    assert response.status_code == 400
    assert response.json()["error"] == "malformed payload"
    assert TransactionItem.objects.get().amount_charged == 0
    assert TransactionEvent.objects.filter(type="info").count() == 0


@pytest.mark.parametrize(
    "body",
    [
        [],
        "data",
        {"signature": "x"},
        {"data": [1, 2], "signature": "x"},
        {"data": "amount", "signature": "x"},
        {"data": {"amount": VN_TOTAL}, "signature": "x"},
        {"data": {"amount": VN_TOTAL, "reference": ""}, "signature": "x"},
    ],
    ids=["list", "string", "no data", "data list", "data string", "no reference", "empty ref"],
)
def test_transfer_webhook_without_its_fields_is_refused(client, vietqr_code, body):
    response = post_bank(client, body)
    assert response.status_code == 400
    assert TransactionItem.objects.get().amount_charged == 0


def test_transfer_webhook_with_a_non_ascii_signature_is_refused(client, vietqr_code):
    data = transfer(vietqr_code, VN_TOTAL)
    response = post_bank(client, {"data": data, "signature": "chữ ký"})
    assert response.status_code == 401
    assert TransactionItem.objects.get().amount_charged == 0
