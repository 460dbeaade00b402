"""GraphQL documents and small helpers shared by the payment tests."""

from backend.checkout.complete_checkout import complete_checkout
from backend.core.ids import global_id

TRANSACTION_FIELDS = """
  transaction {
    id token actions pspReference paymentGatewayId
    chargedAmount { amount currency }
    authorizedAmount { amount currency }
    chargePendingAmount { amount currency }
    events { type amount { amount } pspReference }
  }
  transactionEvent { type message pspReference amount { amount currency } }
  data
"""

TRANSACTION_INITIALIZE = f"""
mutation Init($id: ID!, $gateway: PaymentGatewayToInitialize!, $key: String,
              $amount: PositiveDecimal,
              $action: TransactionFlowStrategyEnum) {{
  transactionInitialize(id: $id, paymentGateway: $gateway, idempotencyKey: $key, amount: $amount,
                        action: $action) {{
    {TRANSACTION_FIELDS}
    errors {{ field code message }}
  }}
}}
"""

TRANSACTION_PROCESS = f"""
mutation Process($id: ID, $token: UUID, $data: JSON) {{
  transactionProcess(id: $id, token: $token, data: $data) {{
    {TRANSACTION_FIELDS}
    errors {{ field code message }}
  }}
}}
"""

GATEWAY_INITIALIZE = """
mutation GatewayInit($id: ID!, $gateways: [PaymentGatewayToInitialize!]) {
  paymentGatewayInitialize(id: $id, paymentGateways: $gateways) {
    gatewayConfigs { id data errors { field code message } }
    errors { field code message }
  }
}
"""


def checkout_id(checkout) -> str:
    return global_id("Checkout", checkout.pk)


def initialize(api_client, checkout_or_id, gateway, **variables):
    target = checkout_or_id if isinstance(checkout_or_id, str) else checkout_id(checkout_or_id)
    gateway_input = gateway if isinstance(gateway, dict) else {"id": gateway}
    result = api_client.execute(
        TRANSACTION_INITIALIZE, {"id": target, "gateway": gateway_input, **variables}
    )
    assert "errors" not in result, result
    return result["data"]["transactionInitialize"]


def process(api_client, transaction_id, data=None):
    result = api_client.execute(TRANSACTION_PROCESS, {"id": transaction_id, "data": data})
    assert "errors" not in result, result
    return result["data"]["transactionProcess"]


def place_order(checkout):
    return complete_checkout(checkout, user=None)
