"""VietQR bank transfer: the EMVCo payload a banking app scans, and the signed bank-transfer
webhook that confirms the payment (signature, amount, code and replay checked)."""

import binascii
import hashlib
import hmac
import json

import pytest

from backend.order.models import ChargeStatus, OrderEvent, OrderEvents
from backend.payment.models import TransactionEvent, TransactionItem
from tests.payment_servers.helpers import initialize, place_order

pytestmark = pytest.mark.django_db

SECRET = "bank-webhook-secret"
TOTAL = 2 * 125_000 + 30_000
WEBHOOK_URL = "/payment/vietqr/webhook/"


def parse_tlv(payload: str) -> dict:
    fields, i = {}, 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        fields[tag] = payload[i + 4 : i + 4 + length]
        i += 4 + length
    return fields


def sign(data: dict, secret: str = SECRET) -> str:
    """payOS's documented scheme, written out independently of the code under test."""
    text = "&".join(f"{k}={'' if data[k] is None else data[k]}" for k in sorted(data))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def transfer(code: str, amount: int, reference: str = "FT25001") -> dict:
    return {
        "orderCode": 1001,
        "amount": amount,
        "description": f"CT DEN:{reference} {code} chuyen tien",
        "accountNumber": "0011004455667",
        "reference": reference,
        "transactionDateTime": "2026-11-23 10:15:00",
        "currency": "VND",
    }


def post(client, data, signature=None):
    body = {"code": "00", "desc": "success", "data": data, "signature": signature or sign(data)}
    return client.post(WEBHOOK_URL, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.BANK_TRANSFER_WEBHOOK_SECRET = SECRET


@pytest.fixture
def vietqr(api_client, checkout):
    return initialize(api_client, checkout, "ocop.payments.vietqr")


def test_payload_is_a_valid_emvco_vietqr(vietqr):
    data = vietqr["data"]
    payload = data["payload"]
    # CRC16-CCITT (poly 0x1021, init 0xFFFF) over everything up to and including "6304".
    expected_crc = binascii.crc_hqx(payload[:-4].encode(), 0xFFFF)
    assert payload[-8:-4] == "6304" and int(payload[-4:], 16) == expected_crc
    fields = parse_tlv(payload)
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["53"] == "704" and fields["58"] == "VN"
    assert fields["54"] == str(TOTAL)
    merchant = parse_tlv(fields["38"])
    assert merchant["00"] == "A000000727" and merchant["02"] == "QRIBFTTA"
    assert parse_tlv(merchant["01"]) == {"00": "970436", "01": "0011004455667"}
    assert parse_tlv(fields["62"])["08"] == data["transferMessage"]
    assert data["transferMessage"] == vietqr["transaction"]["pspReference"]
    assert data["qrSvg"].startswith("<svg")


def test_vietqr_order_is_placed_unpaid(vietqr, checkout):
    order = place_order(checkout)
    assert order.payment_gateway == "ocop.payments.vietqr"
    assert order.charge_status == ChargeStatus.NONE


def test_signed_transfer_pays_the_order_and_replay_changes_nothing(vietqr, checkout, client):
    order = place_order(checkout)
    code = vietqr["data"]["transferMessage"]
    data = transfer(code.lower(), TOTAL)
    response = post(client, data)
    assert response.status_code == 200 and response.json()["success"] is True
    order.refresh_from_db()
    assert order.charge_status == ChargeStatus.FULL
    assert order.total_charged_amount == TOTAL
    events = TransactionEvent.objects.count()
    replay = post(client, data)
    assert replay.status_code == 200
    order.refresh_from_db()
    assert order.total_charged_amount == TOTAL
    assert TransactionEvent.objects.count() == events
    assert OrderEvent.objects.filter(order=order, type=OrderEvents.PAYMENT_CAPTURED).count() == 1


def test_transfer_before_completion_makes_a_paid_order(vietqr, checkout, client):
    post(client, transfer(vietqr["data"]["transferMessage"], TOTAL))
    order = place_order(checkout)
    assert order.charge_status == ChargeStatus.FULL


def test_bad_signature_is_rejected(vietqr, checkout, client):
    data = transfer(vietqr["data"]["transferMessage"], TOTAL)
    response = post(client, data, signature=sign(data, "not-the-secret"))
    assert response.status_code == 401
    tampered = post(client, {**data, "amount": TOTAL}, signature=sign({**data, "amount": 1}))
    assert tampered.status_code == 401
    assert TransactionItem.objects.get().amount_charged == 0


def test_wrong_amount_is_rejected(vietqr, checkout, client):
    order = place_order(checkout)
    response = post(client, transfer(vietqr["data"]["transferMessage"], TOTAL - 1000))
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.charge_status == ChargeStatus.NONE
    transaction = TransactionItem.objects.get()
    assert transaction.amount_charged == 0 and transaction.amount_charge_pending == TOTAL
    # The transfer is kept on record for staff to sort out with the buyer.
    assert transaction.events.filter(type="info", psp_reference="FT25001").exists()


def test_transfer_without_our_code_is_acknowledged_and_ignored(vietqr, client):
    response = post(client, transfer("NO CODE HERE", TOTAL))
    assert response.status_code == 200 and response.json()["message"] == "ignored"
    assert TransactionItem.objects.get().amount_charged == 0


def test_webhook_disabled_without_secret(settings, client, vietqr):
    settings.BANK_TRANSFER_WEBHOOK_SECRET = ""
    data = transfer(vietqr["data"]["transferMessage"], TOTAL)
    assert post(client, data, signature=sign(data, "")).status_code == 503


def test_staff_can_confirm_a_transfer_seen_on_the_statement(vietqr, checkout, staff_user):
    from backend.payment.services import mark_order_as_paid

    order = place_order(checkout)
    transaction = mark_order_as_paid(order, staff_user, psp_reference="FT25999")
    order.refresh_from_db()
    assert transaction.gateway == "ocop.payments.vietqr"
    assert order.charge_status == ChargeStatus.FULL
