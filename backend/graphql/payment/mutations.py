"""Saleor's Transactions API: paymentGatewayInitialize, transactionInitialize, transactionProcess.

The checkout (or order) ID is the buyer's secret, as in Saleor: whoever holds it may pay for it.
"""

import uuid

import graphene
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.checkout.calculations import checkout_total
from backend.checkout.fetch import fetch_checkout_info
from backend.checkout.models import Checkout
from backend.core.ids import uuid_from_global_id
from backend.core.money import MoneyPrecisionError, to_minor_units
from backend.graphql.core.enums import TransactionFlowStrategyEnum
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.core.scalars import JSON, PositiveDecimal
from backend.graphql.payment.types import (
    PaymentGatewayConfig,
    PaymentGatewayConfigError,
    PaymentGatewayInitializeError,
    TransactionEvent,
    TransactionInitializeError,
    TransactionItem,
    TransactionProcessError,
)
from backend.order.models import Order
from backend.payment import gateways, services
from backend.payment.gateways import GatewayError
from backend.payment.models import TransactionEventType
from backend.payment.models import TransactionItem as TransactionItemModel

T = TransactionEventType
# Events after which a transaction has an outcome: transactionProcess only reports it.
PROCESSED_EVENT_TYPES = {
    T.CHARGE_SUCCESS,
    T.CHARGE_FAILURE,
    T.AUTHORIZATION_SUCCESS,
    T.AUTHORIZATION_FAILURE,
    T.CANCEL_SUCCESS,
}


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description="The identifier of the payment gateway app.")
    data = graphene.Field(JSON, description="The data that will be passed to the payment gateway.")


def _not_found(field: str, message: str, code: str = "not_found") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


class Payable:
    """A checkout or an order being paid: its channel, currency and what is left to pay."""

    def __init__(self, checkout: Checkout | None = None, order: Order | None = None):
        self.checkout = checkout
        self.order = order
        self.channel = (checkout or order).channel
        self.currency = (checkout or order).currency

    @property
    def user(self):
        return (self.checkout or self.order).user

    def total(self) -> int:
        if self.order is not None:
            return self.order.total_amount
        return checkout_total(fetch_checkout_info(self.checkout))

    def transactions(self):
        return (self.checkout or self.order).payment_transactions.all()

    def balance(self) -> int:
        covered = sum(t.amount_charged + t.amount_authorized for t in self.transactions())
        return self.total() - covered


def resolve_payable(global_id: str, *, lock: bool = False) -> Payable:
    token = uuid_from_global_id(global_id, "Checkout")
    if token is not None:
        queryset = Checkout.objects.select_related("channel", "user")
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        checkout = queryset.filter(pk=token).first()
        if checkout is None:
            raise _not_found("id", _("Checkout not found."))
        if checkout.completing_started_at:
            raise _not_found(
                "id",
                _("The checkout is being completed."),
                code="checkout_completion_in_progress",
            )
        return Payable(checkout=checkout)
    order_id = uuid_from_global_id(global_id, "Order")
    order = (
        Order.objects.select_related("channel", "user").filter(pk=order_id).first()
        if order_id
        else None
    )
    if order is None:
        raise _not_found("id", _("Couldn't resolve to a checkout or an order: %s") % global_id)
    return Payable(order=order)


def _amount(amount, payable: Payable) -> int:
    if amount is None:
        return payable.balance()
    try:
        return to_minor_units(amount, payable.currency)
    except MoneyPrecisionError as error:
        raise _not_found("amount", str(error), code="invalid") from error


def latest_event(tx: TransactionItemModel):
    return tx.events.order_by("-created_at", "-pk").first()


class PaymentGatewayInitialize(BaseMutation):
    gateway_configs = graphene.List(graphene.NonNull(PaymentGatewayConfig))

    class Arguments:
        id = graphene.ID(required=True, description="ID of a checkout or order.")
        amount = PositiveDecimal(description="The amount requested for initializing the payment.")
        payment_gateways = graphene.List(
            graphene.NonNull(PaymentGatewayToInitialize),
            description="List of payment gateways to initialize.",
        )

    class Meta:
        description = "Initializes payment gateways for a checkout or order."
        error_type_class = PaymentGatewayInitializeError

    @classmethod
    def perform_mutation(cls, _root, info, id, amount=None, payment_gateways=None):
        payable = resolve_payable(id)
        amount = _amount(amount, payable)
        available = {g.id: g for g in gateways.list_payment_gateways(payable.channel)}
        requested = payment_gateways or [{"id": gateway_id} for gateway_id in available]
        configs = []
        for request in requested:
            gateway = available.get(request["id"])
            if gateway is None:
                configs.append(
                    PaymentGatewayConfig(
                        id=request["id"],
                        data=None,
                        errors=[
                            PaymentGatewayConfigError(
                                field="id",
                                message=_("Payment gateway not available in this channel."),
                                code="NOT_FOUND",
                            )
                        ],
                    )
                )
                continue
            data = gateway.initialize_gateway(
                channel=payable.channel, amount=amount, data=request.get("data")
            )
            configs.append(PaymentGatewayConfig(id=gateway.id, data=data, errors=[]))
        return cls(gateway_configs=configs, errors=[])


class TransactionInitialize(BaseMutation):
    transaction = graphene.Field(TransactionItem, description="The initialized transaction.")
    transaction_event = graphene.Field(
        TransactionEvent, description="The event created for the initialized transaction."
    )
    data = graphene.Field(JSON, description="Data returned by the payment gateway.")

    class Arguments:
        action = graphene.Argument(
            TransactionFlowStrategyEnum,
            description="The expected action called for the transaction (CHARGE by default).",
        )
        amount = PositiveDecimal(
            description="The amount requested; by default what the checkout or order still owes."
        )
        customer_ip_address = graphene.String(description="The customer's IP address.")
        id = graphene.ID(required=True, description="The ID of the checkout or order.")
        idempotency_key = graphene.String(
            description="The idempotency key assigned to the action; retrying with the same key "
            "returns the same transaction."
        )
        payment_gateway = graphene.Argument(
            PaymentGatewayToInitialize,
            required=True,
            description="Payment gateway used to initialize the transaction.",
        )

    class Meta:
        description = "Initializes a transaction session: creates the payment with the gateway."
        error_type_class = TransactionInitializeError

    @classmethod
    def perform_mutation(
        cls,
        _root,
        info,
        id,
        payment_gateway,
        action=None,
        amount=None,
        customer_ip_address=None,
        idempotency_key=None,
    ):
        payable = resolve_payable(id, lock=True)
        gateway = gateways.get_channel_gateway(payable.channel, payment_gateway["id"])
        if gateway is None:
            raise _not_found("paymentGateway", _("Payment gateway not available in this channel."))
        if idempotency_key:
            existing = TransactionItemModel.objects.filter(
                gateway=gateway.id, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return cls._replay(existing, payable)
        if payable.order is not None and payable.order.is_paid:
            raise _not_found("id", _("This order is already paid."), code="invalid")
        amount = _amount(amount, payable)
        if amount <= 0:
            raise _not_found("amount", _("There is nothing left to pay."), code="invalid")
        action = str(action.value if hasattr(action, "value") else action or "CHARGE")
        customer_ip = customer_ip_address or info.context.META.get("REMOTE_ADDR")
        try:
            with transaction.atomic():
                tx = services.create_transaction(
                    gateway_id=gateway.id,
                    currency=payable.currency,
                    checkout=payable.checkout,
                    order=payable.order,
                    user=info.context.user,
                    idempotency_key=idempotency_key or str(uuid.uuid4()),
                    name=str(gateway.name),
                )
        except IntegrityError:
            # The same key raced in from a parallel request: answer with its transaction.
            existing = TransactionItemModel.objects.get(
                gateway=gateway.id, idempotency_key=idempotency_key
            )
            return cls._replay(existing, payable)
        try:
            result, event = services.start_transaction(
                tx,
                gateway,
                action=action,
                amount=amount,
                data=payment_gateway.get("data"),
                customer_ip=customer_ip,
            )
        except GatewayError as error:
            raise _not_found("paymentGateway", error.message, code="invalid") from error
        return cls(transaction=tx, transaction_event=event, data=result.data, errors=[])

    @classmethod
    def _replay(cls, tx: TransactionItemModel, payable: Payable):
        same_owner = (payable.checkout is not None and tx.checkout_id == payable.checkout.pk) or (
            payable.order is not None and tx.order_id == payable.order.pk
        )
        if not same_owner:
            raise _not_found(
                "idempotencyKey",
                _("This idempotency key was already used for another payment."),
                code="unique",
            )
        return cls(
            transaction=tx,
            transaction_event=tx.events.order_by("created_at", "pk").first(),
            data=tx.private_metadata.get("initialize_data"),
            errors=[],
        )


class TransactionProcess(BaseMutation):
    transaction = graphene.Field(TransactionItem, description="The processed transaction.")
    transaction_event = graphene.Field(
        TransactionEvent, description="The event created for the processed transaction."
    )
    data = graphene.Field(JSON, description="Data returned by the payment gateway.")

    class Arguments:
        customer_ip_address = graphene.String(description="The customer's IP address.")
        data = graphene.Argument(JSON, description="The data that will be passed to the gateway.")
        id = graphene.ID(description="The ID of the transaction.")
        token = graphene.UUID(description="The token of the transaction.")

    class Meta:
        description = "Processes a transaction session: reports or completes the payment."
        error_type_class = TransactionProcessError

    @classmethod
    def perform_mutation(
        cls, _root, info, id=None, token=None, data=None, customer_ip_address=None
    ):
        pk = token or uuid_from_global_id(id, "TransactionItem")
        tx = services.lock_transaction(pk) if pk else None
        if tx is None:
            raise _not_found("id" if id else "token", _("Transaction not found."))
        if (
            tx.checkout_id
            and Checkout.objects.filter(
                pk=tx.checkout_id, completing_started_at__isnull=False
            ).exists()
        ):
            raise _not_found(
                "id", _("The checkout is being completed."), code="checkout_completion_in_progress"
            )
        gateway = gateways.get_gateway(tx.gateway)
        if gateway is None:
            raise _not_found(
                "id", _("The transaction has no payment gateway."), code="missing_payment_app"
            )
        processed = tx.events.filter(type__in=PROCESSED_EVENT_TYPES).order_by("-created_at").first()
        if processed is not None:
            return cls(transaction=tx, transaction_event=processed, data=None, errors=[])
        try:
            result = gateway.process_transaction(
                tx,
                data=data,
                customer_ip=customer_ip_address or info.context.META.get("REMOTE_ADDR"),
            )
        except GatewayError as error:
            raise _not_found("id", error.message, code="invalid") from error
        if result is None:
            return cls(transaction=tx, transaction_event=latest_event(tx), data=None, errors=[])
        if result.event_type in (T.CHARGE_SUCCESS, T.AUTHORIZATION_SUCCESS):
            requested = services.requested_amount(tx)
            if result.amount != requested:
                raise _not_found(
                    "id", _("The gateway reported a different amount."), code="invalid"
                )
        event = services.record_result(tx, result)
        return cls(transaction=tx, transaction_event=event, data=result.data, errors=[])
