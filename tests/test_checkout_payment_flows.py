"""The whole purchase over /graphql/, as a Saleor storefront does it, with each way of paying —
for a guest and for a signed-in buyer: checkoutCreate → checkoutDeliveryMethodUpdate →
paymentGatewayInitialize → transactionInitialize → (the buyer pays) → checkoutComplete.

The bank, VNPay and Stripe are real HTTP peers: the bank webhook is posted to our server, VNPay is
a local server that checks our signature and calls our IPN, Stripe a local server speaking its
REST API."""

import hashlib
import hmac
import json

import pytest
import requests

from backend.account.jwt import create_access_token
from backend.core.ids import global_id
from tests.fixtures.checkout import VN_ADDRESS_INPUT
from tests.payment_servers.stripe_server import StripeServer
from tests.payment_servers.vnpay_server import VNPayServer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id shippingMethods { id name } totalPrice { gross { amount currency } } }
    errors { field code message }
  }
}
"""
DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { totalPrice { gross { amount currency } } }
    errors { field code message }
  }
}
"""
GATEWAYS = """
mutation Gateways($id: ID!) {
  paymentGatewayInitialize(id: $id) { gatewayConfigs { id } errors { code } }
}
"""
PAY = """
mutation Pay($id: ID!, $gateway: String!, $data: JSON) {
  transactionInitialize(id: $id, paymentGateway: {id: $gateway, data: $data}) {
    transaction { id }
    data
    errors { field code message }
  }
}
"""
PROCESS = """
mutation Process($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) {
    transactionEvent { type }
    errors { code message }
  }
}
"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order {
      id number status isPaid chargeStatus userEmail
      total { gross { amount currency } }
      lines { productName quantity }
    }
    errors { field code message }
  }
}
"""
MY_ORDERS = "{ me { orders(first: 5) { edges { node { number isPaid } } } } }"
MARK_PAID = """
mutation MarkPaid($id: ID!) {
  orderMarkAsPaid(id: $id) { order { isPaid chargeStatus } errors { code } }
}
"""
US_ADDRESS_INPUT = {
    "firstName": "Anna",
    "lastName": "Smith",
    "streetAddress1": "1 Main Street",
    "city": "Springfield",
    "postalCode": "62701",
    "countryArea": "IL",
    "country": "US",
}
BANK_SECRET = "bank-webhook-secret"


def _data(result, field):
    assert "errors" not in result, result
    payload = result["data"][field]
    assert not payload.get("errors"), payload
    return payload


def buy(api_client, variant, *, channel, address, gateway, pay, token=None, gateway_data=None):
    """A storefront's purchase; `pay(checkout_id, transaction payload)` is the buyer paying."""
    api_client.token = token
    created = _data(
        api_client.execute(
            CREATE,
            {
                "input": {
                    "channel": channel,
                    "email": None if token else "khach.le@example.com",
                    "lines": [
                        {"variantId": global_id("ProductVariant", variant.pk), "quantity": 2}
                    ],
                    "shippingAddress": address,
                    "billingAddress": address,
                }
            },
        ),
        "checkoutCreate",
    )["checkout"]
    checkout_id = created["id"]
    method = created["shippingMethods"][0]["id"]
    _data(
        api_client.execute(DELIVERY, {"id": checkout_id, "method": method}),
        "checkoutDeliveryMethodUpdate",
    )
    offered = _data(api_client.execute(GATEWAYS, {"id": checkout_id}), "paymentGatewayInitialize")
    assert gateway in [config["id"] for config in offered["gatewayConfigs"]]
    started = _data(
        api_client.execute(PAY, {"id": checkout_id, "gateway": gateway, "data": gateway_data}),
        "transactionInitialize",
    )
    pay(api_client, checkout_id, started)
    return _data(api_client.execute(COMPLETE, {"id": checkout_id}), "checkoutComplete")["order"]


def _assert_my_order(api_client, token, order):
    if token:
        mine = api_client.execute(MY_ORDERS, token=token)["data"]["me"]["orders"]["edges"]
        assert [edge["node"]["number"] for edge in mine] == [order["number"]]


@pytest.fixture(params=["guest", "signed-in"])
def buyer_token(request, customer_user):
    return create_access_token(customer_user) if request.param == "signed-in" else None


def test_cash_on_delivery_is_placed_unpaid_and_paid_on_delivery(
    api_client, variant, shipping_zones, buyer_token, staff_user
):
    order = buy(
        api_client,
        variant,
        channel="vn",
        address=VN_ADDRESS_INPUT,
        gateway="ocop.payments.cod",
        pay=lambda *_: None,
        token=buyer_token,
    )
    assert order["total"]["gross"] == {"amount": 280_000, "currency": "VND"}
    assert (order["status"], order["isPaid"], order["chargeStatus"]) == (
        "UNFULFILLED",
        False,
        "NONE",
    )
    assert order["userEmail"] == ("khach@example.com" if buyer_token else "khach.le@example.com")
    _assert_my_order(api_client, buyer_token, order)

    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(Permission.objects.get(codename="manage_orders"))
    paid = api_client.execute(MARK_PAID, {"id": order["id"]}, token=create_access_token(staff_user))
    assert paid["data"]["orderMarkAsPaid"]["order"] == {"isPaid": True, "chargeStatus": "FULL"}


def test_vietqr_transfer_confirmed_by_the_bank_webhook(
    api_client, client, settings, variant, shipping_zones, buyer_token
):
    settings.BANK_TRANSFER_WEBHOOK_SECRET = BANK_SECRET

    def bank_reports_the_transfer(_api_client, _checkout_id, started):
        code = started["data"]["transferMessage"]  # what the buyer's bank app fills in
        data = {
            "amount": 280_000,
            "description": f"CT DEN:FT2611 {code} thanh toan",
            "reference": "FT2611",
            "currency": "VND",
        }
        text = "&".join(f"{key}={data[key]}" for key in sorted(data))
        signature = hmac.new(BANK_SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()
        response = client.post(
            "/payment/vietqr/webhook/",
            json.dumps({"code": "00", "data": data, "signature": signature}),
            content_type="application/json",
        )
        assert response.json()["success"] is True

    order = buy(
        api_client,
        variant,
        channel="vn",
        address=VN_ADDRESS_INPUT,
        gateway="ocop.payments.vietqr",
        pay=bank_reports_the_transfer,
        token=buyer_token,
    )
    assert (order["isPaid"], order["chargeStatus"]) == (True, "FULL")
    _assert_my_order(api_client, buyer_token, order)


@pytest.fixture
def shop_on_live_server(live_server, settings):
    """PUBLIC_URL is the live server's (VNPay returns there); set before any token is issued,
    as tokens name the API's URL as their issuer."""
    settings.PUBLIC_URL = live_server.url
    return live_server


def test_vnpay_paid_on_vnpay_and_confirmed_by_its_ipn(
    api_client, shop_on_live_server, settings, variant, shipping_zones, buyer_token
):
    live_server = shop_on_live_server
    with VNPayServer(
        tmn_code="OCOPTEST",
        hash_secret="VNPAYSECRETOCOP",
        ipn_url=live_server.url + "/payment/vnpay/ipn/",
    ) as vnpay:
        settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "OCOPTEST", "VNPAYSECRETOCOP"
        settings.VNPAY_PAYMENT_URL = vnpay.payment_url

        def buyer_pays_on_vnpay(_api_client, _checkout_id, started):
            browser = requests.Session()
            page = browser.get(started["data"]["paymentUrl"], timeout=5)
            session = page.text.split('name="session" value="')[1].split('"')[0]
            back = browser.post(
                vnpay.url + "/paymentv2/Transaction/pay.html",
                data={"session": session, "outcome": "success"},
                timeout=10,
            )
            assert back.url.startswith(live_server.url + "/payment/vnpay/return/")
            assert vnpay.ipn_calls[0][1]["RspCode"] == "00"

        order = buy(
            api_client,
            variant,
            channel="vn",
            address=VN_ADDRESS_INPUT,
            gateway="ocop.payments.vnpay",
            pay=buyer_pays_on_vnpay,
            token=buyer_token,
        )
    assert (order["isPaid"], order["chargeStatus"]) == (True, "FULL")
    _assert_my_order(api_client, buyer_token, order)


def test_stripe_card_in_the_international_channel(
    api_client, settings, variant, shipping_zones, buyer_token
):
    with StripeServer() as stripe_server:
        settings.STRIPE_SECRET_KEY = stripe_server.secret_key
        settings.STRIPE_PUBLISHABLE_KEY = stripe_server.publishable_key
        settings.STRIPE_WEBHOOK_SECRET = stripe_server.webhook_secret
        settings.STRIPE_API_BASE = stripe_server.url

        def card_is_confirmed(api_client, _checkout_id, started):
            assert started["data"]["paymentIntent"]["stripeClientSecret"]
            processed = _data(
                api_client.execute(
                    PROCESS,
                    {"id": started["transaction"]["id"], "data": {"paymentMethod": "pm_card_visa"}},
                ),
                "transactionProcess",
            )
            assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"

        order = buy(
            api_client,
            variant,
            channel="intl",
            address=US_ADDRESS_INPUT,
            gateway="saleor.app.payment.stripe",
            gateway_data={"paymentIntent": {"paymentMethod": "card"}},
            pay=card_is_confirmed,
            token=buyer_token,
        )
    assert order["total"]["gross"] == {"amount": 38.0, "currency": "USD"}
    assert (order["isPaid"], order["chargeStatus"]) == (True, "FULL")
    _assert_my_order(api_client, buyer_token, order)
