"""Holds that survive payment (Saleor's open issue #15246): starting a payment keeps the buyer's
stock held for the payment's lifetime, so a buyer who paid after the normal hold ran out still
gets the order; goods gone anyway have the payment refunded (or the authorization released) at the
provider — the local VNPay and Stripe servers, over real HTTP — with no order left behind and the
buyer told why."""

import hashlib
import hmac
from datetime import timedelta

import pytest
import requests
from django.conf import settings as django_settings
from django.db.models import F
from django.utils import timezone

from backend.checkout.models import Checkout, CheckoutLine
from backend.core.ids import global_id
from backend.order.models import Order
from backend.payment.models import TransactionItem
from backend.warehouse.models import Allocation, Reservation, Stock
from backend.warehouse.services import reserve_stocks, set_stock_quantities
from tests.fixtures.payment import use_stripe_server
from tests.payment_servers.helpers import checkout_id, initialize, process
from tests.payment_servers.stripe_server import StripeServer
from tests.payment_servers.vnpay_server import (
    API_PATH,
    REFUND_FIELDS,
    SUBMIT_PATH,
    VNPayServer,
)

TMN, SECRET = "OCOPTEST", "VNPAYSECRETOCOP"
VNPAY, VIETQR, COD = "ocop.payments.vnpay", "ocop.payments.vietqr", "ocop.payments.cod"
CARD = {"id": "saleor.app.payment.stripe", "data": {"paymentIntent": {"paymentMethod": "card"}}}
TOTAL = 2 * 125_000 + 30_000
TOTAL_USD = 2 * 650 + 2_500
REFUNDED_VI = "Khoản thanh toán của bạn đã được hoàn lại đầy đủ"
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { number }
    errors { field code message variants }
  }
}
"""
START = """
mutation Start($id: ID!, $gateway: PaymentGatewayToInitialize!) {
  transactionInitialize(id: $id, paymentGateway: $gateway) {
    transaction { id }
    errors { field code message variants }
  }
}
"""
CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id }
    errors { field code variants }
  }
}
"""


def use_vnpay(settings, server):
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = TMN, SECRET
    settings.VNPAY_PAYMENT_URL = server.payment_url
    settings.VNPAY_API_URL = server.url + API_PATH


@pytest.fixture
def vnpay(settings):
    """A local VNPay that does not call our IPN (the test delivers it)."""
    with VNPayServer(tmn_code=TMN, hash_secret=SECRET) as server:
        use_vnpay(settings, server)
        yield server


def time_passes(minutes: int) -> None:
    """Every hold was made `minutes` earlier (the clock itself cannot be moved)."""
    Reservation.objects.update(reserved_until=F("reserved_until") - timedelta(minutes=minutes))


def office_counts(variant, warehouse, quantity: int) -> None:
    set_stock_quantities(variant, [(warehouse, quantity)])


def pay_on_vnpay(server, payment_url: str, language: str = "vi") -> requests.Response:
    """The buyer's browser: VNPay's page, the pay button, back to our return page."""
    browser = requests.Session()
    browser.cookies.set(django_settings.LANGUAGE_COOKIE_NAME, language)
    page = browser.get(payment_url, timeout=5)
    session = page.text.split('name="session" value="')[1].split('"')[0]
    # Without a live server (no IPN URL) the test itself follows up on the result.
    return browser.post(
        server.url + SUBMIT_PATH,
        data={"session": session, "outcome": "success"},
        allow_redirects=bool(server.ipn_url),
        timeout=30,
    )


def holds_of(checkout) -> list[tuple[int, object]]:
    return list(
        Reservation.objects.filter(holder=checkout.stock_holder).values_list(
            "quantity_reserved", "reserved_until"
        )
    )


def started(api_client, checkout, gateway):
    payload = initialize(api_client, checkout, gateway)
    assert payload["errors"] == [], payload
    return payload


# --- Holds while paying ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("gateway", "minutes"), [(VNPAY, 15 + 10), (VIETQR, 30 + 10), (COD, 20)])
def test_starting_a_payment_keeps_the_holds_for_its_lifetime(
    api_client, checkout, vnpay, settings, gateway, minutes
):
    settings.RESERVE_STOCK_MINUTES = 20
    settings.PAYMENT_MINUTES = {VNPAY: 15, VIETQR: 30}
    settings.PAYMENT_HOLD_GRACE_MINUTES = 10
    before = timezone.now()
    started(api_client, checkout, gateway)
    ((quantity, until),) = holds_of(checkout)
    assert quantity == 2
    assert before + timedelta(minutes=minutes) <= until
    assert until <= timezone.now() + timedelta(minutes=minutes)


@pytest.mark.django_db
def test_vnpay_link_expires_with_the_payment_time(api_client, checkout, vnpay, settings):
    from datetime import datetime
    from urllib.parse import parse_qsl, urlsplit

    settings.PAYMENT_MINUTES = {**settings.PAYMENT_MINUTES, VNPAY: 12}
    url = started(api_client, checkout, VNPAY)["data"]["paymentUrl"]
    params = dict(parse_qsl(urlsplit(url).query))
    created, expires = (
        datetime.strptime(params[key], "%Y%m%d%H%M%S")
        for key in ("vnp_CreateDate", "vnp_ExpireDate")
    )
    assert expires - created == timedelta(minutes=12)
    ((_quantity, until),) = holds_of(checkout)
    assert until >= timezone.now() + timedelta(minutes=21)


@pytest.mark.django_db
def test_holds_that_lapsed_are_held_again_when_the_payment_starts(
    api_client, checkout, vnpay, channel_vn
):
    reserve_stocks(list(checkout.lines.select_related("variant")), channel_vn)
    time_passes(21)
    assert not Reservation.objects.filter(reserved_until__gt=timezone.now()).exists()
    started(api_client, checkout, VNPAY)
    ((quantity, until),) = holds_of(checkout)
    assert quantity == 2 and until > timezone.now() + timedelta(minutes=24)


def _other_buyer_holds(channel, variant, quantity):
    other = Checkout.objects.create(channel=channel, currency=channel.currency_code)
    line = CheckoutLine.objects.create(checkout=other, variant=variant, quantity=quantity)
    reserve_stocks([line], channel)
    return other


@pytest.mark.django_db
def test_no_payment_starts_for_goods_that_are_gone(
    api_client, intl_checkout, stripe_server, channel_intl, variant
):
    """Another buyer holds 9 of the 10 units: the card is never asked for the 2 wanted."""
    _other_buyer_holds(channel_intl, variant, 9)
    holds = list(Reservation.objects.values_list("holder", "quantity_reserved", "reserved_until"))

    result = api_client.execute(START, {"id": checkout_id(intl_checkout), "gateway": CARD})
    payload = result["data"]["transactionInitialize"]

    assert payload["transaction"] is None
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("lines", "INSUFFICIENT_STOCK")
    assert error["variants"] == [global_id("ProductVariant", variant.pk)]
    assert error["message"] == (
        "Chỉ còn 1 sản phẩm trong kho; vui lòng đổi số lượng trong giỏ hàng trước khi thanh toán."
    )
    assert not TransactionItem.objects.exists()
    assert stripe_server.requests == []
    assert (
        list(Reservation.objects.values_list("holder", "quantity_reserved", "reserved_until"))
        == holds
    )


# --- Paying after the normal hold ran out ----------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_paid_after_the_normal_hold_ran_out_still_gets_the_order(
    live_server, settings, api_client, checkout, variant, warehouse
):
    """Buyer A starts paying for the last two units; 21 minutes pass (the normal hold is 20);
    buyer B cannot take them; A pays, VNPay's IPN places A's order."""
    settings.PUBLIC_URL = live_server.url
    office_counts(variant, warehouse, 2)
    with VNPayServer(
        tmn_code=TMN, hash_secret=SECRET, ipn_url=live_server.url + "/payment/vnpay/ipn/"
    ) as server:
        use_vnpay(settings, server)
        url = started(api_client, checkout, VNPAY)["data"]["paymentUrl"]
        time_passes(django_settings.RESERVE_STOCK_MINUTES + 1)

        other = api_client.execute(
            CREATE,
            {
                "input": {
                    "channel": "vn",
                    "email": "nguoi.khac@example.com",
                    "lines": [
                        {"variantId": global_id("ProductVariant", variant.pk), "quantity": 1}
                    ],
                }
            },
        )["data"]["checkoutCreate"]
        assert [e["code"] for e in other["errors"]] == ["INSUFFICIENT_STOCK"]

        back = pay_on_vnpay(server, url, language="en")

    assert server.ipn_calls[0][1] == {"RspCode": "00", "Message": "Confirm Success"}
    order = Order.objects.get()
    assert order.total_charged_amount == TOTAL and order.is_paid
    assert back.status_code == 200
    assert f"your order #{order.number} is placed" in back.text
    assert f"/don-hang/{order.token}/" in back.text
    assert not Checkout.objects.filter(pk=checkout.pk).exists()
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2
    assert server.api_calls == []  # nothing to refund


# --- Stock gone although the buyer paid ------------------------------------------------------


def _valid_vnpay_checksum(body: dict) -> bool:
    """VNPay's refund checksum, written out independently of the code under test."""
    data = "|".join(str(body[name]) for name in REFUND_FIELDS)
    expected = hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
    return hmac.compare_digest(body["vnp_SecureHash"], expected)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stock_sold_while_paying_refunds_the_vnpay_payment(
    live_server, settings, api_client, checkout, variant, warehouse, mailoutbox
):
    settings.PUBLIC_URL = live_server.url
    with VNPayServer(
        tmn_code=TMN, hash_secret=SECRET, ipn_url=live_server.url + "/payment/vnpay/ipn/"
    ) as server:
        use_vnpay(settings, server)
        payload = started(api_client, checkout, VNPAY)
        office_counts(variant, warehouse, 0)  # the office found the shelf empty

        back = pay_on_vnpay(server, payload["data"]["paymentUrl"])

    assert server.ipn_calls[0][1]["RspCode"] == "00"
    ((body, code),) = server.api_calls
    assert code == "00" and _valid_vnpay_checksum(body)
    assert body["vnp_Command"] == "refund" and body["vnp_TransactionType"] == "02"
    assert body["vnp_Amount"] == TOTAL * 100
    txn_ref = payload["transaction"]["token"].replace("-", "")
    assert body["vnp_TxnRef"] == txn_ref
    assert body["vnp_TransactionNo"] == server.results[txn_ref]["vnp_TransactionNo"]

    tx = TransactionItem.objects.get()
    assert (tx.amount_charged, tx.amount_refunded, tx.order_id) == (0, TOTAL, None)
    assert list(tx.events.values_list("type", flat=True)) == [
        "charge_action_required",
        "charge_success",
        "refund_success",
    ]
    assert not Order.objects.exists() and not Allocation.objects.exists()
    assert not Reservation.objects.exists()
    assert Checkout.objects.filter(pk=checkout.pk).exists()

    assert back.status_code == 200 and REFUNDED_VI in back.text
    (email,) = mailoutbox
    assert email.to == ["khach.le@example.com"]
    assert "hoàn lại" in email.subject.lower()
    assert REFUNDED_VI in email.body and "280.000 ₫" in email.body


@pytest.mark.django_db
def test_a_refund_vnpay_refuses_is_left_to_staff_and_said_so(
    api_client, client, checkout, variant, warehouse, vnpay
):
    payload = started(api_client, checkout, VNPAY)
    pay_on_vnpay(vnpay, payload["data"]["paymentUrl"])  # this VNPay leaves the IPN to the test
    office_counts(variant, warehouse, 0)
    result = vnpay.results[payload["transaction"]["token"].replace("-", "")]
    vnpay.hash_secret = "ROTATED"  # VNPay now finds our refund's checksum wrong (97)

    assert client.get("/payment/vnpay/ipn/", result).json()["RspCode"] == "00"

    ((_body, code),) = vnpay.api_calls
    assert code == "97"
    tx = TransactionItem.objects.get()
    assert (tx.amount_charged, tx.amount_refunded) == (TOTAL, 0)
    failure = tx.events.get(type="refund_failure")
    assert failure.amount == TOTAL and "97" in failure.message
    assert not Order.objects.exists()
    page = client.get("/payment/vnpay/return/", result)
    assert "nhân viên sẽ hoàn tiền cho bạn" in page.content.decode()


@pytest.mark.django_db
def test_checkout_complete_refunds_a_card_payment_for_goods_gone(
    api_client,
    intl_checkout,
    stripe_server,
    variant,
    warehouse,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    payload = started(api_client, intl_checkout, CARD)
    processed = process(api_client, payload["transaction"]["id"], {"paymentMethod": "pm_card_visa"})
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    office_counts(variant, warehouse, 1)

    with django_capture_on_commit_callbacks(execute=True):
        result = api_client.execute(COMPLETE, {"id": checkout_id(intl_checkout)})

    payload = result["data"]["checkoutComplete"]
    assert payload["order"] is None
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("lines", "INSUFFICIENT_STOCK")
    assert REFUNDED_VI in error["message"]
    assert error["variants"] == [global_id("ProductVariant", variant.pk)]
    (refund,) = stripe_server.refunds.values()
    intent_id = processed["transaction"]["pspReference"]
    assert (refund["payment_intent"], refund["amount"]) == (intent_id, TOTAL_USD)
    tx = TransactionItem.objects.get()
    assert (tx.amount_charged, tx.amount_refunded) == (0, TOTAL_USD)
    assert tx.events.get(type="refund_success").psp_reference == refund["id"]
    assert not Order.objects.exists() and not Allocation.objects.exists()
    assert len(mailoutbox) == 1

    # Asked again, nothing is refunded twice: the checkout is simply not paid any more.
    again = api_client.execute(COMPLETE, {"id": checkout_id(intl_checkout)})
    codes = [e["code"] for e in again["data"]["checkoutComplete"]["errors"]]
    assert codes == ["CHECKOUT_NOT_FULLY_PAID"]
    assert len(stripe_server.refunds) == 1


@pytest.mark.django_db
def test_checkout_complete_releases_a_card_authorization_for_goods_gone(
    api_client, intl_checkout, stripe_server, variant, warehouse, settings
):
    payload = initialize(api_client, intl_checkout, CARD, action="AUTHORIZATION")
    process(api_client, payload["transaction"]["id"], {"paymentMethod": "pm_card_visa"})
    office_counts(variant, warehouse, 0)

    result = api_client.execute(COMPLETE, {"id": checkout_id(intl_checkout)})

    (error,) = result["data"]["checkoutComplete"]["errors"]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert "Số tiền tạm giữ trên thẻ của bạn đã được giải phóng" in error["message"]
    intent = stripe_server.intents[payload["transaction"]["pspReference"]]
    assert intent["status"] == "canceled" and not stripe_server.refunds
    assert ("POST", f"/v1/payment_intents/{intent['id']}/cancel") in stripe_server.requests
    tx = TransactionItem.objects.get()
    assert (tx.amount_authorized, tx.amount_canceled) == (0, TOTAL_USD)
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stripe_webhook_places_the_order_or_refunds_when_goods_are_gone(
    live_server, settings, api_client, intl_checkout, variant, warehouse
):
    """The signed webhook completes the paid checkout itself; here the goods went meanwhile."""
    from tests.test_payment_stripe import browser_confirm

    with StripeServer(webhook_url=live_server.url + "/payment/stripe/webhook/") as server:
        use_stripe_server(settings, server)
        payload = started(api_client, intl_checkout, CARD)
        office_counts(variant, warehouse, 0)
        secret = payload["data"]["paymentIntent"]["stripeClientSecret"]
        assert browser_confirm(server, secret).ok
        server.wait_for_deliveries()
        (refund,) = server.refunds.values()
        server.wait_for_deliveries()  # charge.refunded, acknowledged
    assert refund["amount"] == TOTAL_USD
    assert {status for _event, status in server.deliveries} == {200}
    tx = TransactionItem.objects.get()
    assert (tx.amount_charged, tx.amount_refunded, tx.order_id) == (0, TOTAL_USD, None)
    assert not Order.objects.exists()


# --- The local VNPay's refund API --------------------------------------------------------------


@pytest.mark.django_db
def test_local_vnpay_refund_api_checks_checksum_transaction_and_amount(api_client, checkout, vnpay):
    payload = started(api_client, checkout, VNPAY)
    pay_on_vnpay(vnpay, payload["data"]["paymentUrl"])
    txn_ref = payload["transaction"]["token"].replace("-", "")
    paid = vnpay.results[txn_ref]

    def body(request_id, **changes):
        fields = {
            "vnp_RequestId": request_id,
            "vnp_Version": "2.1.0",
            "vnp_Command": "refund",
            "vnp_TmnCode": TMN,
            "vnp_TransactionType": "02",
            "vnp_TxnRef": txn_ref,
            "vnp_Amount": TOTAL * 100,
            "vnp_TransactionNo": paid["vnp_TransactionNo"],
            "vnp_TransactionDate": paid["vnp_PayDate"],
            "vnp_CreateBy": "test",
            "vnp_CreateDate": paid["vnp_PayDate"],
            "vnp_IpAddr": "127.0.0.1",
            "vnp_OrderInfo": "Hoan tien",
            **changes,
        }
        data = "|".join(str(fields[name]) for name in REFUND_FIELDS)
        fields["vnp_SecureHash"] = hmac.new(SECRET.encode(), data.encode(), "sha512").hexdigest()
        return fields

    def code(fields):
        return requests.post(vnpay.url + API_PATH, json=fields, timeout=5).json()[
            "vnp_ResponseCode"
        ]

    assert code({**body("r1"), "vnp_Amount": 100}) == "97"  # tampered after signing
    assert code(body("r2", vnp_TxnRef="0" * 32)) == "91"
    assert code(body("r3", vnp_Amount=TOTAL * 100 + 100)) == "03"
    assert code(body("r4", vnp_TransactionType="03")) == "03"  # partial must be less
    assert code(body("r5")) == "00"
    assert code(body("r5")) == "94"  # the same request again
    assert code(body("r6")) == "94"  # nothing left to refund
