"""VNPay: the signed redirect is accepted by a local VNPay that checks signatures as VNPay does;
the IPN verifies signature and amount, answers VNPay's RspCode JSON and is idempotent; and the
whole round trip (redirect, buyer pays, IPN, return) works over real HTTP."""

from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.conf import settings as django_settings

from backend.order.models import ChargeStatus
from backend.payment.models import TransactionEvent, TransactionItem
from tests.payment_servers.helpers import initialize, place_order
from tests.payment_servers.vnpay_server import VNPayServer, signed

TOTAL = 2 * 125_000 + 30_000
TMN, SECRET = "OCOPTEST", "VNPAYSECRETOCOP"


@pytest.fixture
def vnpay(settings):
    with VNPayServer(tmn_code=TMN, hash_secret=SECRET) as server:
        settings.VNPAY_TMN_CODE = TMN
        settings.VNPAY_HASH_SECRET = SECRET
        settings.VNPAY_PAYMENT_URL = server.payment_url
        yield server


def start_payment(api_client, checkout):
    payload = initialize(api_client, checkout, "ocop.payments.vnpay")
    assert payload["errors"] == [], payload
    return payload


def query(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query))


@pytest.mark.django_db
def test_redirect_is_signed_and_accepted_by_vnpay(api_client, checkout, vnpay):
    payload = start_payment(api_client, checkout)
    assert payload["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    url = payload["data"]["paymentUrl"]
    params = query(url)
    assert params["vnp_Amount"] == str(TOTAL * 100)
    assert params["vnp_TmnCode"] == TMN and params["vnp_CurrCode"] == "VND"
    page = requests.get(url, allow_redirects=False, timeout=5)
    assert page.status_code == 200 and "280,000 VND" in page.text


@pytest.mark.django_db
def test_vnpay_rejects_a_tampered_redirect(api_client, checkout, vnpay):
    url = start_payment(api_client, checkout)["data"]["paymentUrl"]
    tampered = url.replace(f"vnp_Amount={TOTAL * 100}", "vnp_Amount=100000")
    response = requests.get(tampered, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("Error.html?code=70")
    assert "Sai chữ ký" in requests.get(tampered, timeout=5).text


def ipn_params(transaction_token, amount=TOTAL, response_code="00", status="00"):
    return signed(
        {
            "vnp_Amount": str(amount * 100),
            "vnp_BankCode": "NCB",
            "vnp_OrderInfo": "Thanh toan don hang",
            "vnp_PayDate": "20261123101500",
            "vnp_ResponseCode": response_code,
            "vnp_TmnCode": TMN,
            "vnp_TransactionNo": "14123456",
            "vnp_TransactionStatus": status,
            "vnp_TxnRef": transaction_token.replace("-", ""),
        },
        SECRET,
    )


@pytest.mark.django_db
def test_ipn_checks_signature_amount_and_is_idempotent(api_client, checkout, vnpay, client):
    token = start_payment(api_client, checkout)["transaction"]["token"]
    bad = {**ipn_params(token), "vnp_SecureHash": "0" * 128}
    assert client.get("/payment/vnpay/ipn/", bad).json() == {
        "RspCode": "97",
        "Message": "Invalid Checksum",
    }
    wrong_amount = ipn_params(token, amount=TOTAL - 1)
    assert client.get("/payment/vnpay/ipn/", wrong_amount).json()["RspCode"] == "04"
    unknown = ipn_params("0" * 32)
    assert client.get("/payment/vnpay/ipn/", unknown).json()["RspCode"] == "01"
    assert TransactionItem.objects.get().amount_charged == 0

    good = ipn_params(token)
    assert client.get("/payment/vnpay/ipn/", good).json() == {
        "RspCode": "00",
        "Message": "Confirm Success",
    }
    events = TransactionEvent.objects.count()
    assert client.get("/payment/vnpay/ipn/", good).json()["RspCode"] == "02"
    assert TransactionEvent.objects.count() == events
    order = place_order(checkout)
    assert order.payment_gateway == "ocop.payments.vnpay"
    assert order.charge_status == ChargeStatus.FULL


@pytest.mark.django_db
def test_failed_payment_leaves_checkout_unpaid(api_client, checkout, vnpay, client):
    from django.core.exceptions import ValidationError

    token = start_payment(api_client, checkout)["transaction"]["token"]
    cancelled = ipn_params(token, response_code="24", status="02")
    assert client.get("/payment/vnpay/ipn/", cancelled).json()["RspCode"] == "00"
    transaction = TransactionItem.objects.get()
    assert transaction.amount_charged == 0
    assert transaction.events.filter(type="charge_failure").exists()
    with pytest.raises(ValidationError):
        place_order(checkout)


@pytest.mark.django_db
def test_ipn_pays_an_order_placed_before_paying(api_client, checkout, vnpay, client):
    """A buyer may place a cash order and pay it online afterwards (payment by order id)."""
    from backend.core.ids import global_id

    order = place_order(checkout)
    payload = initialize(api_client, global_id("Order", order.pk), "ocop.payments.vnpay")
    assert payload["errors"] == []
    assert query(payload["data"]["paymentUrl"])["vnp_Amount"] == str(TOTAL * 100)
    params = ipn_params(payload["transaction"]["token"])
    assert client.get("/payment/vnpay/ipn/", params).json()["RspCode"] == "00"
    order.refresh_from_db()
    assert order.charge_status == ChargeStatus.FULL
    again = initialize(api_client, global_id("Order", order.pk), "ocop.payments.vnpay")
    assert again["errors"][0]["code"] == "INVALID"


@pytest.mark.django_db
def test_return_page_verifies_signature(api_client, checkout, vnpay, client):
    token = start_payment(api_client, checkout)["transaction"]["token"]
    params = ipn_params(token)
    tampered = {**params, "vnp_ResponseCode": "99"}
    assert client.get("/payment/vnpay/return/", tampered).status_code == 400
    assert client.get("/payment/vnpay/return/", params).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_full_round_trip_over_http(live_server, settings, api_client, checkout):
    """Redirect → buyer pays on the local VNPay → VNPay calls our IPN → buyer returns."""
    settings.PUBLIC_URL = live_server.url
    with VNPayServer(
        tmn_code=TMN, hash_secret=SECRET, ipn_url=live_server.url + "/payment/vnpay/ipn/"
    ) as server:
        settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = TMN, SECRET
        settings.VNPAY_PAYMENT_URL = server.payment_url
        url = start_payment(api_client, checkout)["data"]["paymentUrl"]
        browser = requests.Session()
        browser.cookies.set(django_settings.LANGUAGE_COOKIE_NAME, "en")
        page = browser.get(url, timeout=5)
        session = page.text.split('name="session" value="')[1].split('"')[0]
        back = browser.post(
            server.url + "/paymentv2/Transaction/pay.html",
            data={"session": session, "outcome": "success"},
            timeout=10,
        )
        assert server.ipn_calls[0][1] == {"RspCode": "00", "Message": "Confirm Success"}
        assert back.url.startswith(live_server.url + "/payment/vnpay/return/")
        assert back.status_code == 200 and "payment was received" in back.text
        # VNPay retries an IPN it is unsure about: the replay is acknowledged and changes nothing.
        txn_ref = server.ipn_calls[0][0]
        assert server.call_ipn(server.results[txn_ref])["RspCode"] == "02"
    order = place_order(checkout)
    assert order.charge_status == ChargeStatus.FULL
    assert order.total_charged_amount == TOTAL
