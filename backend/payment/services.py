"""Payment bookkeeping shared by the GraphQL API, checkout completion, provider callbacks and
staff actions.

Amounts on a TransactionItem are derived from its events, and an event carrying a provider
reference is recorded at most once per transaction and type, so a replayed callback changes
nothing. Orders carry totals and charge/authorize statuses recomputed from their transactions;
the moment an order becomes fully charged an OrderEvent is written and ORDER_PAID is sent.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from backend.checkout.error_codes import CheckoutErrorCode
from backend.order.models import AuthorizeStatus, ChargeStatus, Order, OrderEvent, OrderEvents
from backend.payment import gateways
from backend.payment.models import TransactionEvent, TransactionEventType, TransactionItem

T = TransactionEventType


# --- Statuses ----------------------------------------------------------------------------------


def charge_status(charged: int, total: int) -> ChargeStatus:
    if charged > total:
        return ChargeStatus.OVERCHARGED
    if charged == total:
        return ChargeStatus.FULL
    if charged > 0:
        return ChargeStatus.PARTIAL
    return ChargeStatus.NONE


def authorize_status(authorized: int, charged: int, total: int) -> AuthorizeStatus:
    covered = authorized + charged
    if covered >= total:
        return AuthorizeStatus.FULL
    if covered > 0:
        return AuthorizeStatus.PARTIAL
    return AuthorizeStatus.NONE


def _checkout_amounts(checkout) -> tuple[int, int]:
    sums = checkout.payment_transactions.aggregate(
        charged=Sum("amount_charged"), authorized=Sum("amount_authorized")
    )
    return sums["charged"] or 0, sums["authorized"] or 0


def checkout_charge_status(checkout, total: int) -> ChargeStatus:
    """Checkout.chargeStatus (the GraphQL enum value is `.upper()` of the result)."""
    charged, _authorized = _checkout_amounts(checkout)
    return charge_status(charged, total)


def checkout_authorize_status(checkout, total: int) -> AuthorizeStatus:
    """Checkout.authorizeStatus (the GraphQL enum value is `.upper()` of the result)."""
    charged, authorized = _checkout_amounts(checkout)
    return authorize_status(authorized, charged, total)


# --- Transactions and events -------------------------------------------------------------------


def recalculate_transaction_amounts(transaction: TransactionItem) -> None:
    """Derive the transaction's amounts from its events."""
    _set_amounts(
        transaction,
        {
            row["type"]: row["total"]
            for row in transaction.events.values("type").annotate(total=Sum("amount"))
        },
    )
    transaction.save(
        update_fields=[
            "amount_charged",
            "amount_refunded",
            "amount_canceled",
            "amount_authorized",
            "amount_charge_pending",
            "available_actions",
            "modified_at",
        ]
    )


def _set_amounts(transaction: TransactionItem, sums: dict[str, int]) -> None:
    """Set the amounts from `sums`, {event type: total amount} of the transaction's events."""

    def total(*types):
        return sum(sums.get(t, 0) for t in types)

    charged = total(T.CHARGE_SUCCESS)
    refunded = total(T.REFUND_SUCCESS)
    canceled = total(T.CANCEL_SUCCESS)
    transaction.amount_charged = max(charged - refunded, 0)
    transaction.amount_refunded = refunded
    transaction.amount_canceled = canceled
    transaction.amount_authorized = max(total(T.AUTHORIZATION_SUCCESS) - charged - canceled, 0)
    transaction.amount_charge_pending = max(
        total(T.CHARGE_REQUEST) - charged - total(T.CHARGE_FAILURE) - canceled, 0
    )
    transaction.available_actions = _available_actions(transaction)


def _available_actions(transaction: TransactionItem) -> list[str]:
    actions = []
    if transaction.amount_authorized:
        actions += ["CHARGE", "CANCEL"]
    if transaction.amount_charged and transaction.gateway == gateways.STRIPE:
        actions.append("REFUND")
    return actions


def record_event(
    transaction: TransactionItem,
    event_type: str,
    amount: int,
    *,
    psp_reference: str = "",
    message: str = "",
    raw: dict | None = None,
    user=None,
) -> tuple[TransactionEvent, bool]:
    """Record an event once; returns (event, created). An event with a provider reference that
    was already recorded is returned as it is and nothing is recalculated."""
    defaults = {
        "amount": amount,
        "currency": transaction.currency,
        "message": message[:512],
        "raw": raw or {},
        "user": user,
    }
    if psp_reference:
        event, created = TransactionEvent.objects.get_or_create(
            transaction=transaction, type=event_type, psp_reference=psp_reference, defaults=defaults
        )
    else:
        event, created = (
            TransactionEvent.objects.create(transaction=transaction, type=event_type, **defaults),
            True,
        )
    if created:
        if psp_reference and not transaction.psp_reference:
            transaction.psp_reference = psp_reference
            transaction.save(update_fields=["psp_reference", "modified_at"])
        recalculate_transaction_amounts(transaction)
        if transaction.order_id:
            recalculate_order_payment(transaction.order)
    return event, created


REQUEST_EVENT_TYPES = (
    T.CHARGE_REQUEST,
    T.CHARGE_ACTION_REQUIRED,
    T.AUTHORIZATION_REQUEST,
    T.AUTHORIZATION_ACTION_REQUIRED,
)


def requested_amount(transaction: TransactionItem) -> int:
    """What the buyer was asked to pay when the transaction was initialized: a callback
    reporting any other amount is refused."""
    event = (
        transaction.events.filter(type__in=REQUEST_EVENT_TYPES).order_by("created_at", "pk").first()
    )
    return event.amount if event else 0


def lock_transaction(pk) -> TransactionItem | None:
    """The transaction row, locked until the surrounding database transaction ends, so concurrent
    callbacks for one payment are applied one after the other."""
    return TransactionItem.objects.select_for_update(of=("self",)).filter(pk=pk).first()


def create_transaction(
    *,
    gateway_id: str,
    currency: str,
    checkout=None,
    order=None,
    user=None,
    idempotency_key: str | None = None,
    name: str = "",
) -> TransactionItem:
    return TransactionItem.objects.create(
        gateway=gateway_id,
        name=name,
        currency=currency,
        checkout=checkout,
        order=order,
        user=user if user is not None and user.is_authenticated else None,
        idempotency_key=idempotency_key,
    )


def cancel_unpaid_transactions(transactions, message: str) -> None:
    """Close pay-later transactions that never received money (the buyer chose another way)."""
    for tx in transactions:
        if tx.amount_charge_pending and not (tx.amount_charged or tx.amount_authorized):
            record_event(tx, T.CANCEL_SUCCESS, tx.amount_charge_pending, message=message)


def record_result(tx: TransactionItem, result) -> TransactionEvent:
    """Record a gateway's result as an event of `tx` and reload `tx` with its new amounts."""
    event, _created = record_event(
        tx,
        result.event_type,
        result.amount,
        psp_reference=result.psp_reference,
        message=result.message,
        raw=result.raw,
    )
    tx.refresh_from_db()
    return event


def start_transaction(tx: TransactionItem, gateway, *, action, amount, data, customer_ip):
    """Open the payment with the gateway: what transactionInitialize and the shop's checkout
    both do once `tx` exists. A checkout's stock is held for the payment's lifetime first
    (`holds.hold_stock_for_payment`: ValidationError INSUFFICIENT_STOCK when it is gone). Earlier
    unpaid promises of the same checkout are cancelled (the buyer changed their mind). Returns
    (gateway result, event); raises GatewayError."""
    if tx.checkout_id is not None:
        from backend.payment.holds import hold_stock_for_payment

        hold_stock_for_payment(tx.checkout, tx.gateway)
    result = gateway.initialize_transaction(
        tx, action=action, amount=amount, data=data, customer_ip=customer_ip
    )
    if tx.checkout_id is not None:
        others = TransactionItem.objects.filter(checkout_id=tx.checkout_id).exclude(pk=tx.pk)
        cancel_unpaid_transactions(others, _("Replaced by another payment."))
    tx.message = result.message[:512]
    tx.external_url = result.external_url
    tx.private_metadata = {**tx.private_metadata, "initialize_data": result.data}
    tx.save(update_fields=["message", "external_url", "private_metadata", "modified_at"])
    return result, record_result(tx, result)


# --- Checkout completion -----------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionPayment:
    """How a checkout being completed is paid: the gateway named on the order, and all the
    checkout's transactions, locked, with their amounts as they now are."""

    gateway: str
    transactions: list[TransactionItem]

    def order_fields(self, total: int) -> dict:
        """The new order's payment totals and statuses (as recalculate_order_payment would
        set them once the transactions are attached)."""
        return order_payment_fields(
            sum(tx.amount_charged for tx in self.transactions),
            sum(tx.amount_authorized for tx in self.transactions),
            total,
        )


def prepare_payment_for_completion(checkout, total: int) -> CompletionPayment:
    """Check the checkout may become an order and say how it is paid.

    Fine when charged + authorized money covers the total, or when a cash-on-delivery or bank
    transfer transaction declares the total (paid later). A checkout without any transaction in
    a channel whose default gateway is cash on delivery gets one. Otherwise the buyer still has
    to pay: CHECKOUT_NOT_FULLY_PAID.
    """
    transactions = list(checkout.payment_transactions.select_for_update().order_by("created_at"))
    covered = sum(tx.amount_charged + tx.amount_authorized for tx in transactions)
    if covered >= total:
        paying = [tx for tx in transactions if tx.amount_charged or tx.amount_authorized]
        if paying:
            cancel_unpaid_transactions(
                [tx for tx in transactions if tx not in paying],
                _("Replaced by another payment."),
            )
            return CompletionPayment(paying[-1].gateway, transactions)
        if total == 0:
            return CompletionPayment(transactions[-1].gateway if transactions else "", transactions)
    remaining = total - covered
    paid_later = [
        tx
        for tx in transactions
        if tx.amount_charge_pending and getattr(gateways.get_gateway(tx.gateway), "paid_later", 0)
    ]
    if paid_later:
        chosen = paid_later[-1]
        cancel_unpaid_transactions(paid_later[:-1], _("Replaced by another payment."))
        if chosen.amount_charge_pending != remaining:
            if chosen.gateway != gateways.COD:
                raise ValidationError(
                    _(
                        "The checkout total changed after the bank transfer was set up; "
                        "start the payment again."
                    ),
                    code=CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID.value,
                )
            # Cash is only a promise to pay on delivery: restate it at the new total.
            record_event(chosen, T.CANCEL_SUCCESS, chosen.amount_charge_pending)
            record_event(chosen, T.CHARGE_REQUEST, remaining)
        return CompletionPayment(chosen.gateway, transactions)
    if not transactions:
        available = gateways.list_payment_gateways(checkout.channel)
        if available and available[0].id == gateways.COD:
            tx = _open_cash_on_delivery(checkout, available[0], total)
            return CompletionPayment(gateways.COD, [tx])
    raise ValidationError(
        _("The checkout is not fully paid."),
        code=CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID.value,
    )


def _open_cash_on_delivery(checkout, gateway, total: int) -> TransactionItem:
    """A cash-on-delivery transaction for the checkout with the gateway's first event, written
    in two INSERTs: its amounts follow from that one event, so nothing is read back."""
    tx = TransactionItem(
        gateway=gateway.id,
        name=str(gateway.name),
        currency=checkout.currency,
        checkout=checkout,
        user=checkout.user,
    )
    result = gateway.initialize_transaction(
        tx, action="CHARGE", amount=total, data=None, customer_ip=None
    )
    _set_amounts(tx, {result.event_type: result.amount})
    tx.save(force_insert=True)
    TransactionEvent.objects.create(
        transaction=tx,
        type=result.event_type,
        amount=result.amount,
        currency=tx.currency,
        message=result.message[:512],
    )
    return tx


def attach_transactions_to_order(checkout, order: Order) -> None:
    """Move the checkout's transactions to its new order, created with
    `CompletionPayment.order_fields` (they leave the checkout, which is deleted next). An order
    paid before it was placed is reported as paid right away."""
    TransactionItem.objects.filter(checkout_id=checkout.pk).update(order=order, checkout=None)
    if order.is_paid and order.total_amount > 0:
        _order_paid(order, order.total_charged_amount, None, OrderEvents.PAYMENT_CAPTURED, None)


# --- Orders ------------------------------------------------------------------------------------


def recalculate_order_payment(
    order: Order, *, user=None, paid_event: str = OrderEvents.PAYMENT_CAPTURED, parameters=None
) -> None:
    """Recompute the order's charged/authorized totals and statuses from its transactions.
    When the order becomes fully charged, write `paid_event` and send ORDER_PAID."""
    locked = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    sums = locked.payment_transactions.aggregate(
        charged=Sum("amount_charged"), authorized=Sum("amount_authorized")
    )
    charged, authorized = sums["charged"] or 0, sums["authorized"] or 0
    was_paid = locked.is_paid
    fields = order_payment_fields(charged, authorized, locked.total_amount)
    for field, value in fields.items():
        setattr(locked, field, value)
    locked.save(update_fields=[*fields, "updated_at"])
    for field in (*fields, "updated_at"):
        setattr(order, field, getattr(locked, field))
    if locked.is_paid and not was_paid and locked.total_amount > 0:
        _order_paid(locked, charged, user, paid_event, parameters)


def order_payment_fields(charged: int, authorized: int, total: int) -> dict:
    """An order's payment totals and statuses given its transactions' sums."""
    return {
        "total_charged_amount": charged,
        "total_authorized_amount": authorized,
        "charge_status": charge_status(charged, total),
        "authorize_status": authorize_status(authorized, charged, total),
    }


def _order_paid(order: Order, charged: int, user, paid_event: str, parameters) -> None:
    """The order just became fully charged: write `paid_event` and send ORDER_PAID."""
    OrderEvent.objects.create(
        order=order,
        type=paid_event,
        user=user if user is not None and user.is_authenticated else None,
        parameters={"amount": charged, "currency": order.currency, **(parameters or {})},
    )
    _trigger_order_paid(order.pk)


def _trigger_order_paid(order_id) -> None:
    from backend.webhook.events import trigger_webhook_event
    from backend.webhook.models import WebhookEventType

    def build_payload():
        from backend.webhook.payloads import order_payload

        return order_payload(Order.objects.get(pk=order_id))

    trigger_webhook_event(WebhookEventType.ORDER_PAID, build_payload)


def mark_order_as_paid(order: Order, user, psp_reference: str = "") -> TransactionItem:
    """Staff confirm the money arrived (cash remitted by the carrier, a bank transfer seen on
    the statement). The order's pending cash/transfer transaction is charged the balance, or a
    manual transaction is created when there is none."""
    with db_transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if order.is_paid:
            raise ValidationError(_("This order is already paid."), code="transaction_error")
        balance = order.total_amount - order.total_charged_amount
        pending = [
            tx
            for tx in order.payment_transactions.select_for_update().order_by("-created_at")
            if tx.amount_charge_pending
        ]
        if pending:
            tx = pending[0]
        else:
            tx = create_transaction(
                gateway_id=gateways.MANUAL,
                currency=order.currency,
                order=order,
                name=str(_("Manual payment")),
            )
        event, created = TransactionEvent.objects.get_or_create(
            transaction=tx,
            type=T.CHARGE_SUCCESS,
            psp_reference=psp_reference or f"manual-{tx.pk}-{order.total_charged_amount}",
            defaults={
                "amount": balance,
                "currency": tx.currency,
                "message": _("Marked as paid by staff."),
                "user": user if user is not None and user.is_authenticated else None,
            },
        )
        if not created:
            raise ValidationError(
                _("This payment reference was already recorded."), code="transaction_error"
            )
        recalculate_transaction_amounts(tx)
        recalculate_order_payment(
            order,
            user=user,
            paid_event=OrderEvents.MARKED_AS_PAID,
            parameters={"transaction_reference": psp_reference} if psp_reference else None,
        )
    return tx
