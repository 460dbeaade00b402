"""Saleor's own storefront paying by card in the international channel, with the storefront's
exact operation documents (saleor/storefront, src/checkout/graphql/*.graphql) sent over HTTP to
/graphql/: the gateway must look like Saleor's Stripe app (`saleor.app.payment.stripe`, its
`data` shapes), Stripe.js confirms the PaymentIntent with the client secret, Stripe's signed
webhook marks the transaction charged and checkoutComplete places an order paid in full."""

import pytest
import requests

from backend.core.ids import global_id
from backend.order.models import ChargeStatus, Order
from backend.payment.models import TransactionItem
from tests.fixtures.payment import use_stripe_server
from tests.payment_servers.stripe_server import StripeServer

STRIPE_GATEWAY_ID = "saleor.app.payment.stripe"
TOTAL = 2 * 650 + 2_500  # cents
WEBHOOK_PATH = "/payment/stripe/webhook/"

# --- The storefront's documents, verbatim (fragments inlined where they are used) -------------
CHECKOUT_GATEWAYS = """
fragment PaymentGatewayFragment on PaymentGateway {
	id
	name
	currencies
	config {
		field
		value
	}
}
query checkout($id: ID!) {
	checkout(id: $id) {
		id
		authorizeStatus
		chargeStatus
		availablePaymentGateways {
			...PaymentGatewayFragment
		}
		totalPrice { gross { amount currency } }
	}
}
"""
PAYMENT_GATEWAYS_INITIALIZE = """
mutation paymentGatewaysInitialize($checkoutId: ID!, $paymentGateways: [PaymentGatewayToInitialize!]) {
	paymentGatewayInitialize(id: $checkoutId, paymentGateways: $paymentGateways) {
		errors {
			field
			message
			code
		}
		gatewayConfigs {
			id
			data
			errors {
				field
				message
				code
			}
		}
	}
}
"""  # noqa: E501
TRANSACTION_INITIALIZE = """
mutation transactionInitialize(
	$checkoutId: ID!
	$action: TransactionFlowStrategyEnum
	$paymentGateway: PaymentGatewayToInitialize!
	$amount: PositiveDecimal
) {
	transactionInitialize(id: $checkoutId, action: $action, paymentGateway: $paymentGateway, amount: $amount) {
		transaction {
			id
			actions
		}
		transactionEvent {
			message
			type
		}
		data
		errors {
			field
			code
			message
		}
	}
}
"""  # noqa: E501
TRANSACTION_PROCESS = """
mutation transactionProcess($id: ID!, $data: JSON) {
	transactionProcess(id: $id, data: $data) {
		transaction {
			id
			actions
		}
		transactionEvent {
			message
			type
		}
		data
		errors {
			field
			code
			message
		}
	}
}
"""
CHECKOUT_COMPLETE = """
fragment CheckoutErrorFragment on CheckoutError {
	message
	field
	code
}
mutation checkoutComplete($checkoutId: ID!) {
	checkoutComplete(id: $checkoutId) {
		errors {
			...CheckoutErrorFragment
		}
		order {
			id
			channel {
				slug
			}
		}
	}
}
"""
FAILED_EVENT_TYPES = {"AUTHORIZATION_FAILURE", "CHARGE_FAILURE"}


def graphql(base_url, query, variables):
    response = requests.post(
        f"{base_url}/graphql/", json={"query": query, "variables": variables}, timeout=10
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def stripe_js_confirm_payment(server, client_secret, payment_method="pm_card_visa"):
    """`stripe.confirmPayment({clientSecret, ...})` in the buyer's browser: Stripe.js confirms
    the intent named by the client secret with the publishable key."""
    intent_id = client_secret.split("_secret_")[0]
    return requests.post(
        f"{server.url}/v1/payment_intents/{intent_id}/confirm",
        data={
            "payment_method": payment_method,
            "client_secret": client_secret,
            "return_url": "https://shop.example/checkout?processingPayment=true",
        },
        headers={"Authorization": f"Bearer {server.publishable_key}"},
        timeout=5,
    )


def storefront_error(payload):
    """The storefront's getStripeTransactionError: errors, then a failed event, then no id."""
    if payload["errors"]:
        return payload["errors"][0]["message"]
    event = payload["transactionEvent"] or {}
    if event.get("type") in FAILED_EVENT_TYPES:
        return event.get("message") or "Payment failed"
    if not (payload["transaction"] or {}).get("id"):
        return "Payment could not be processed."
    return None


def pay_as_the_storefront(base_url, stripe_server, checkout, payment_intent_data):
    checkout_id = global_id("Checkout", checkout.pk)
    found = graphql(base_url, CHECKOUT_GATEWAYS, {"id": checkout_id})["checkout"]
    assert [g["id"] for g in found["availablePaymentGateways"]] == [STRIPE_GATEWAY_ID]

    gateway = graphql(
        base_url,
        PAYMENT_GATEWAYS_INITIALIZE,
        {"checkoutId": checkout_id, "paymentGateways": [{"id": STRIPE_GATEWAY_ID}]},
    )["paymentGatewayInitialize"]
    (config,) = [c for c in gateway["gatewayConfigs"] if c["id"] == STRIPE_GATEWAY_ID]
    assert config["errors"] == []
    assert config["data"] == {"stripePublishableKey": stripe_server.publishable_key}

    started = graphql(
        base_url,
        TRANSACTION_INITIALIZE,
        {
            "checkoutId": checkout_id,
            "amount": found["totalPrice"]["gross"]["amount"],
            "paymentGateway": {"id": STRIPE_GATEWAY_ID, "data": payment_intent_data},
        },
    )["transactionInitialize"]
    return checkout_id, started


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saleor_storefront_pays_by_card_and_the_webhook_settles_it(
    live_server, intl_checkout, settings
):
    with StripeServer(webhook_url=live_server.url + WEBHOOK_PATH) as server:
        use_stripe_server(settings, server)
        checkout_id, started = pay_as_the_storefront(
            live_server.url, server, intl_checkout, {"paymentIntent": {"paymentMethod": "card"}}
        )
        assert storefront_error(started) is None
        assert started["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
        client_secret = started["data"]["paymentIntent"]["stripeClientSecret"]
        intent = server.intents[client_secret.split("_secret_")[0]]
        assert client_secret == intent["client_secret"]
        assert (intent["amount"], intent["currency"]) == (TOTAL, "usd")

        assert stripe_js_confirm_payment(server, client_secret).ok
        server.wait_for_deliveries()
        assert [status for _event, status in server.deliveries] == [200]
        assert TransactionItem.objects.get().amount_charged == TOTAL

        processed = graphql(
            live_server.url, TRANSACTION_PROCESS, {"id": started["transaction"]["id"]}
        )["transactionProcess"]
        assert storefront_error(processed) is None
        assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"

        completed = graphql(live_server.url, CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
    result = completed["checkoutComplete"]
    assert result["errors"] == []
    assert result["order"]["channel"]["slug"] == "intl"
    order = Order.objects.get()
    assert (order.charge_status, order.total_charged_amount) == (ChargeStatus.FULL, TOTAL)
    assert order.payment_gateway == STRIPE_GATEWAY_ID


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transaction_process_settles_the_card_when_the_webhook_is_late(
    live_server, intl_checkout, stripe_server
):
    checkout_id, started = pay_as_the_storefront(
        live_server.url, stripe_server, intl_checkout, {"paymentIntent": {"paymentMethod": "card"}}
    )
    client_secret = started["data"]["paymentIntent"]["stripeClientSecret"]
    assert stripe_js_confirm_payment(stripe_server, client_secret).ok
    processed = graphql(live_server.url, TRANSACTION_PROCESS, {"id": started["transaction"]["id"]})[
        "transactionProcess"
    ]
    assert storefront_error(processed) is None
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    completed = graphql(live_server.url, CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
    assert completed["checkoutComplete"]["errors"] == []
    assert Order.objects.get().charge_status == ChargeStatus.FULL


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (None, "ParseError"),
        ({"paymentIntent": {}}, "ParseError"),
        ({"paymentIntent": {"paymentMethod": "card", "extra": 1}}, "ParseError"),
        ({"paymentIntent": {"paymentMethod": "unknown"}}, "UnsupportedPaymentMethodError"),
    ],
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_the_stripe_app_refuses_gives_its_failure_shape(
    live_server, intl_checkout, stripe_server, data, code
):
    checkout_id, started = pay_as_the_storefront(
        live_server.url, stripe_server, intl_checkout, data
    )
    assert started["errors"] == []
    assert started["transactionEvent"]["type"] == "CHARGE_FAILURE"
    assert storefront_error(started) == started["transactionEvent"]["message"]
    (error,) = started["data"]["paymentIntent"]["errors"]
    assert error["code"] == code and error["message"]
    assert not stripe_server.intents
    completed = graphql(live_server.url, CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
    assert completed["checkoutComplete"]["errors"][0]["code"] == "CHECKOUT_NOT_FULLY_PAID"
    assert not Order.objects.exists()
