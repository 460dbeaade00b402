"""Payment types with Saleor's names: PaymentGateway, TransactionItem, TransactionEvent and the
error types of the Transactions API mutations."""

import graphene

from backend.graphql.core.enums import (
    PaymentGatewayConfigErrorCode,
    PaymentGatewayInitializeErrorCode,
    TransactionActionEnum,
    TransactionEventTypeEnum,
    TransactionInitializeErrorCode,
    TransactionProcessErrorCode,
)
from backend.graphql.core.errors import error_type
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.scalars import JSON
from backend.graphql.core.types import Money, money_resolver
from backend.graphql.payment.dataloaders import TransactionEventsByTransactionIdLoader

TransactionInitializeError = error_type(
    "TransactionInitializeError",
    TransactionInitializeErrorCode,
    {
        "variants": graphene.List(
            graphene.NonNull(graphene.ID),
            description="IDs of the variants out of stock (with INSUFFICIENT_STOCK).",
        )
    },
)
TransactionProcessError = error_type("TransactionProcessError", TransactionProcessErrorCode)
PaymentGatewayInitializeError = error_type(
    "PaymentGatewayInitializeError", PaymentGatewayInitializeErrorCode
)
PaymentGatewayConfigError = error_type("PaymentGatewayConfigError", PaymentGatewayConfigErrorCode)


class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True, description="Gateway config key.")
    value = graphene.String(description="Gateway config value for key.")

    class Meta:
        description = "Payment gateway client configuration key and value pair."


class PaymentGateway(graphene.ObjectType):
    """Resolved from a `backend.payment.gateways` gateway object."""

    name = graphene.String(required=True, description="Payment gateway name.")
    id = graphene.ID(required=True, description="Payment gateway ID.")
    config = graphene.List(
        graphene.NonNull(GatewayConfigLine),
        required=True,
        description="Payment gateway client configuration.",
    )
    currencies = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Payment gateway supported currencies.",
    )

    class Meta:
        description = (
            "Available payment gateway backend with configuration necessary to setup client."
        )

    @staticmethod
    def resolve_name(root, _info):
        return str(root.name)

    @staticmethod
    def resolve_id(root, _info):
        return root.id

    @staticmethod
    def resolve_config(root, _info):
        return [GatewayConfigLine(field=field, value=value) for field, value in root.config()]

    @staticmethod
    def resolve_currencies(root, _info):
        return list(root.currencies)


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True)
    data = graphene.Field(JSON)
    errors = graphene.List(graphene.NonNull(PaymentGatewayConfigError))


class TransactionEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    created_at = graphene.DateTime(required=True)
    psp_reference = graphene.String(required=True, description="PSP reference of transaction.")
    message = graphene.String(
        required=True, description="Message related to the transaction's event."
    )
    amount = graphene.Field(Money, required=True, description="The amount related to this event.")
    type = graphene.Field(
        TransactionEventTypeEnum, description="The type of action related to this event."
    )

    class Meta:
        description = "Represents transaction's event."

    resolve_amount = money_resolver("amount")

    resolve_id = staticmethod(global_id_resolver("TransactionEvent"))

    @staticmethod
    def resolve_type(root, _info):
        return root.type.upper()


class TransactionItem(graphene.ObjectType):
    id = graphene.ID(required=True)
    token = graphene.UUID(required=True, description="The transaction token.")
    created_at = graphene.DateTime(required=True)
    modified_at = graphene.DateTime(required=True)
    actions = graphene.List(
        graphene.NonNull(TransactionActionEnum),
        required=True,
        description="List of actions that can be performed in the current state of a payment.",
    )
    authorized_amount = graphene.Field(Money, required=True)
    charged_amount = graphene.Field(Money, required=True)
    charge_pending_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)
    canceled_amount = graphene.Field(Money, required=True)
    name = graphene.String(required=True, description="Name of the transaction.")
    message = graphene.String(required=True, description="Message related to the transaction.")
    psp_reference = graphene.String(required=True, description="PSP reference of transaction.")
    external_url = graphene.String(
        required=True,
        description="Where the payment can be seen or completed at the provider.",
    )
    payment_gateway_id = graphene.String(
        required=True, description="The payment gateway that handles this transaction."
    )
    events = graphene.List(graphene.NonNull(TransactionEvent), required=True)

    class Meta:
        description = "Represents a payment transaction."

    resolve_authorized_amount = money_resolver("amount_authorized")
    resolve_charged_amount = money_resolver("amount_charged")
    resolve_charge_pending_amount = money_resolver("amount_charge_pending")
    resolve_refunded_amount = money_resolver("amount_refunded")
    resolve_canceled_amount = money_resolver("amount_canceled")

    resolve_id = staticmethod(global_id_resolver("TransactionItem"))

    @staticmethod
    def resolve_token(root, _info):
        return root.pk

    @staticmethod
    def resolve_actions(root, _info):
        return list(root.available_actions or [])

    @staticmethod
    def resolve_payment_gateway_id(root, _info):
        return root.gateway

    @staticmethod
    def resolve_events(root, info):
        return TransactionEventsByTransactionIdLoader(info.context).load(root.pk)
