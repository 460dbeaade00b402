"""Turning a checkout into an order: all or nothing, in one transaction.

The checkout row is locked first, so the same checkout completed twice at once makes one order;
stock is allocated last, under row locks held until the commit (backend.warehouse.services), so
a hundred buyers racing for the last units get exactly as many orders as there are units.
Anything that fails — validation, payment, stock — rolls the whole attempt back and leaves the
checkout as it was.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from backend.account.addresses import ADDRESS_FIELDS
from backend.account.models import Address
from backend.checkout.calculations import CheckoutPrices, checkout_prices, checkout_weight_grams
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.fetch import CheckoutInfo, fetch_checkout_info
from backend.checkout.live import (
    allocate_order_stock,
    attributed_event,
    buyer_key,
    claim_live_lines,
    order_source,
    selling_live_lines,
)
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.validation import validate_checkout_for_completion
from backend.discount.models import Voucher
from backend.order.models import Order, OrderEvent, OrderEvents, OrderLine, OrderSource
from backend.order.utils import next_order_number
from backend.payment.returns import unavailable_stock_error
from backend.warehouse.services import InsufficientStock

logger = logging.getLogger(__name__)


def order_for_completed_checkout(token) -> Order | None:
    """The order a checkout already became (checkoutComplete called again answers with it)."""
    return Order.objects.filter(checkout_token=str(token)).first()


def lock_checkout(token) -> Checkout | None:
    """The checkout row, locked until the surrounding transaction ends, with everything
    completion reads of it (None once a concurrent call completed it)."""
    return (
        Checkout.objects.select_for_update(of=("self",))
        .select_related(
            "channel",
            "user",
            "shipping_method",
            "collection_point",
            "shipping_address",
            "billing_address",
            "live_event",
        )
        .filter(pk=token)
        .first()
    )


def complete_checkout(
    checkout: Checkout,
    *,
    user=None,
    metadata: dict | None = None,
    source: str = OrderSource.STOREFRONT,
    source_reference: str = "",
) -> Order:
    """Lock and reload `checkout` and turn it into an order, in a transaction (a savepoint
    within the caller's) that any failure rolls back. When the stock is gone, money the buyer
    paid for it goes back once the attempt is undone (`unavailable_stock_error`)."""
    token = checkout.pk
    try:
        with transaction.atomic():
            checkout = lock_checkout(token)
            if checkout is None:
                # Completed by a concurrent call while this one waited for the lock.
                if order := order_for_completed_checkout(token):
                    return order
                raise ValidationError(
                    {
                        "id": ValidationError(
                            _("Checkout not found."), code=CheckoutErrorCode.NOT_FOUND.value
                        )
                    }
                )
            return complete_locked_checkout(
                checkout,
                user=user,
                metadata=metadata,
                source=source,
                source_reference=source_reference,
            )
    except InsufficientStock as error:
        raise unavailable_stock_error(token, error) from error


def complete_locked_checkout(
    checkout: Checkout,
    *,
    user=None,
    metadata: dict | None = None,
    source: str = OrderSource.STOREFRONT,
    source_reference: str = "",
) -> Order:
    """Turn a checkout loaded by `lock_checkout` in the running transaction into an order. The
    caller's transaction must roll back entirely when this raises (checkoutComplete's does):
    no savepoint of its own is taken. Raises InsufficientStock when the stock is gone: the
    caller gives back what the buyer paid once its transaction is undone."""
    from backend.payment.services import (
        attach_transactions_to_order,
        prepare_payment_for_completion,
    )

    info = fetch_checkout_info(checkout)
    validate_checkout_for_completion(info)
    prices = checkout_prices(info)
    _claim_voucher(info, prices)
    payment = prepare_payment_for_completion(checkout, prices.total)
    live_event = attributed_event(info)
    source, source_reference = order_source(live_event, source, source_reference)
    order, lines = _create_order(
        info,
        prices,
        user=user or checkout.user,
        payment=payment,
        metadata=metadata,
        source=source,
        source_reference=source_reference,
        live_event=live_event,
    )
    attach_transactions_to_order(checkout, order)
    _save_addresses_to_user(checkout, order.user)
    live_lines = selling_live_lines(info)
    if live_lines:
        # Locks the offers: buyers through the same event queue here for its quotas.
        claim_live_lines(live_lines, buyer_key(order.user, order.user_email), str(order.number))
    # Late, so the stock rows stay locked for as little as possible before the commit; the
    # checkout's own holds count for it and are released in the same step, and units from a
    # livestream's quota come out of the event's hold.
    allocate_order_stock(info, lines, live_lines)
    _delete_completed_checkout(checkout)
    transaction.on_commit(lambda: _order_created(order.pk))
    return order


def _delete_completed_checkout(checkout: Checkout) -> None:
    """Delete the checkout and its lines, two statements whatever the number of lines. Nothing
    else points at them any more: the transactions moved to the order (attach_transactions_to_
    order), and the lines' stock holds, all the checkout's holder's, went in allocate_stocks.
    (Django's `delete()` would first select the lines, delete their holds and clear the
    transactions' checkout again.)"""
    CheckoutLine.objects.filter(checkout_id=checkout.pk)._raw_delete(checkout._state.db)
    Checkout.objects.filter(pk=checkout.pk)._raw_delete(checkout._state.db)


def _claim_voucher(info: CheckoutInfo, prices: CheckoutPrices) -> None:
    """Count one use of the voucher the prices count on. The conditional UPDATE waits for a
    concurrent claim's commit and re-checks the limit, so a voucher limited to k uses makes
    exactly k orders; a code that no longer applies (used up meanwhile, expired, order now too
    small) fails the checkout with VOUCHER_NOT_APPLICABLE, as Saleor does, and nothing is kept."""
    if not info.checkout.voucher_code:
        return
    voucher = prices.voucher
    claimed = voucher is not None and Voucher.objects.filter(pk=voucher.pk).filter(
        Q(usage_limit__isnull=True) | Q(used__lt=F("usage_limit"))
    ).update(used=F("used") + 1)
    if not claimed:
        raise ValidationError(
            {
                "promo_code": ValidationError(
                    _("Voucher is not applicable to this checkout."),
                    code=CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value,
                )
            }
        )


def _create_order(
    info: CheckoutInfo,
    prices: CheckoutPrices,
    *,
    user,
    payment,
    metadata,
    source,
    source_reference,
    live_event,
) -> tuple[Order, list[OrderLine]]:
    checkout = info.checkout
    voucher = prices.voucher
    gateway = payment.gateway
    order = Order.objects.create(
        number=next_order_number(),
        user=user,
        user_email=checkout.email or (user.email if user else ""),
        language_code=checkout.language_code,
        channel=checkout.channel,
        currency=checkout.currency,
        checkout_token=str(checkout.token),
        billing_address=checkout.billing_address,
        shipping_address=checkout.shipping_address
        if checkout.collection_point_id is None
        else None,
        shipping_method=checkout.shipping_method if checkout.collection_point_id is None else None,
        shipping_method_name=(
            checkout.shipping_method.name
            if checkout.shipping_method and not checkout.collection_point_id
            else ""
        ),
        collection_point=checkout.collection_point,
        collection_point_name=checkout.collection_point.name if checkout.collection_point else "",
        weight_grams=checkout_weight_grams(info),
        shipping_price_amount=prices.shipping,
        subtotal_amount=prices.subtotal,
        undiscounted_total_amount=prices.subtotal + prices.shipping,
        discount_amount=prices.discount,
        total_amount=prices.total,
        source=source,
        source_reference=source_reference,
        live_event=live_event,
        voucher=voucher,
        voucher_code=voucher.code if voucher else "",
        payment_gateway=gateway,
        customer_note=checkout.customer_note,
        metadata={**checkout.metadata, **(metadata or {})},
        private_metadata=checkout.private_metadata,
        **payment.order_fields(prices.total),
    )
    lines = OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=line.variant,
            product_name=line.product.name,
            variant_name=line.variant.name,
            product_sku=line.variant.sku,
            is_shipping_required=line.is_shipping_required,
            quantity=line.line.quantity,
            currency=checkout.currency,
            undiscounted_unit_price_amount=line.unit_price,
            unit_price_amount=line.unit_price,
            total_price_amount=line.total_price,
        )
        for line in info.lines
    )
    OrderEvent.objects.create(
        order=order, type=OrderEvents.PLACED, user=user, parameters={"gateway": gateway}
    )
    return order, lines


def _save_addresses_to_user(checkout: Checkout, user) -> None:
    """Keep a copy in the buyer's address book (the order keeps the checkout's own rows)."""
    if user is None:
        return
    for address, wanted in (
        (checkout.shipping_address, checkout.save_shipping_address),
        (checkout.billing_address, checkout.save_billing_address),
    ):
        if address is None or not wanted:
            continue
        fields = {field: getattr(address, field) for field in ADDRESS_FIELDS}
        if not user.addresses.filter(**fields).exists():
            user.addresses.add(Address.objects.create(**fields))


def _order_created(order_id) -> None:
    from backend.order.tasks import send_order_confirmation
    from backend.webhook.events import trigger_webhook_event
    from backend.webhook.models import WebhookEventType
    from backend.webhook.payloads import order_payload

    send_order_confirmation.delay(str(order_id))
    trigger_webhook_event(
        WebhookEventType.ORDER_CREATED, lambda: order_payload(Order.objects.get(pk=order_id))
    )


def complete_paid_checkout(transaction_id):
    """Place the order of the checkout `transaction_id` pays for, once its payments cover the
    total. Returns the order, or None when it is not paid in full or cannot be placed yet (the
    buyer's checkoutComplete then says why; stock that is gone has its money given back)."""
    from backend.checkout.calculations import checkout_total
    from backend.order.models import AuthorizeStatus
    from backend.payment.models import TransactionItem
    from backend.payment.services import checkout_authorize_status

    tx = TransactionItem.objects.select_related("checkout").filter(pk=transaction_id).first()
    checkout = tx.checkout if tx is not None else None
    if checkout is None:
        return None
    total = checkout_total(fetch_checkout_info(checkout))
    if checkout_authorize_status(checkout, total) != AuthorizeStatus.FULL:
        return None
    try:
        return complete_checkout(checkout)
    except ValidationError as error:
        logger.info("Paid checkout %s not completed: %s", checkout.pk, error.messages)
        return None
