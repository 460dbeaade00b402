import graphene

from backend.graphql.payment.mutations import (
    PaymentGatewayInitialize,
    TransactionInitialize,
    TransactionProcess,
)


class PaymentQueries(graphene.ObjectType):
    pass


class PaymentMutations(graphene.ObjectType):
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
