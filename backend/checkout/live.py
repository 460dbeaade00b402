"""Buying through a livestream: lines added from an event's page, priced at the live price while
the event sells live (CheckoutLineInfo.unit_price), their units out of the event's quota.

Adding checks the quota and the buyer's limit as a courtesy; the guard is at completion, where
`claim_live_lines` counts the units against both with the offers locked (backend.livestream.
services.claim) and `allocate_order_stock` takes them out of the event's stock hold, in the
order's transaction, so a hundred buyers at once never oversell the quota."""

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.lines import validate_lines
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.validation import max_line_quantity, over_limit_error, validate_quantity
from backend.livestream.models import EventOffer, EventStatus, OfferPurchase
from backend.livestream.quotas import event_holder
from backend.livestream.services import Claim, LivestreamError, claim, is_selling_live
from backend.order.models import OrderSource
from backend.warehouse.services import allocate_stocks

LIVESTREAM_ERROR_CODES = {
    "NOT_LIVE": CheckoutErrorCode.LIVESTREAM_NOT_LIVE,
    "QUOTA_EXCEEDED": CheckoutErrorCode.LIVESTREAM_QUOTA_EXCEEDED,
    "LIMIT_EXCEEDED": CheckoutErrorCode.LIVESTREAM_LIMIT_EXCEEDED,
}


def livestream_error(error: LivestreamError, field: str = "lines") -> ValidationError:
    code = LIVESTREAM_ERROR_CODES.get(error.code, CheckoutErrorCode.INVALID)
    return ValidationError({field: ValidationError(error.message, code=code.value)})


def buyer_key(user, email: str | None) -> str:
    """Whom a per-buyer limit counts: the user's id, or a guest's lower-cased email."""
    if user is not None:
        return str(user.pk)
    return (email or "").strip().lower()


def add_live_offer(checkout: Checkout, offer: EventOffer, quantity: int, *, user=None) -> None:
    """Add `quantity` units of `offer` to the checkout's line of that offer (created when there
    is none) and mark the checkout as come through the event. Refused with a ValidationError,
    writing nothing the caller's transaction keeps, when the event is not scheduled or live, the
    checkout is in another channel, or the line would pass the quota left or the buyer's limit."""
    event = offer.event
    if event.status not in (EventStatus.SCHEDULED, EventStatus.LIVE) or event.stream_hidden:
        raise livestream_error(LivestreamError("NOT_LIVE", _("This livestream is not selling.")))
    if event.channel_id != checkout.channel_id:
        raise ValidationError(
            {
                "lines": ValidationError(
                    _("This livestream sells in another channel."),
                    code=CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL.value,
                )
            }
        )
    validate_quantity(quantity, offer.variant)
    line = checkout.lines.filter(live_offer=offer).first()
    total = quantity + (line.quantity if line else 0)
    if total > max_line_quantity():
        raise over_limit_error("quantity", offer.variant, max_line_quantity())
    _check_offer_room(offer, total, buyer_key(user, checkout.email))
    if line is None:
        CheckoutLine.objects.create(
            checkout=checkout, variant=offer.variant, live_offer=offer, quantity=quantity
        )
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    checkout.live_event = event
    checkout.save(update_fields=["live_event", "last_change"])
    validate_lines(checkout, user, variant_ids={offer.variant_id})


def _check_offer_room(offer: EventOffer, total: int, buyer: str) -> None:
    """The quota left and the buyer's limit (counting what they already bought) allow `total`."""
    if offer.quota is not None and offer.sold + total > offer.quota:
        raise livestream_error(
            LivestreamError(
                "QUOTA_EXCEEDED",
                _("Only %(left)d left of the livestream quota.")
                % {"left": max(offer.quota - offer.sold, 0)},
            ),
            field="quantity",
        )
    if offer.per_buyer_limit is None:
        return
    bought = 0
    if buyer:
        bought = (
            OfferPurchase.objects.filter(offer=offer, buyer=buyer).aggregate(total=Sum("quantity"))[
                "total"
            ]
            or 0
        )
    if bought + total > offer.per_buyer_limit:
        raise livestream_error(
            LivestreamError(
                "LIMIT_EXCEEDED",
                _("At most %(limit)d per buyer in this livestream.")
                % {"limit": offer.per_buyer_limit},
            ),
            field="quantity",
        )


def selling_live_lines(info) -> list:
    """The checkout's line infos bought through an event that sells live now."""
    return [
        line
        for line in info.lines
        if line.line.live_offer is not None and is_selling_live(line.line.live_offer.event)
    ]


def attributed_event(info):
    """The event an order from this checkout is attributed to: the one the buyer came through,
    else the event of its first livestream line."""
    checkout = info.checkout
    if checkout.live_event_id is not None:
        return checkout.live_event
    return next(
        (line.line.live_offer.event for line in info.lines if line.line.live_offer is not None),
        None,
    )


def order_source(event, source: str, source_reference: str) -> tuple[str, str]:
    if event is None or source != OrderSource.STOREFRONT:
        return source, source_reference
    return OrderSource.LIVESTREAM, event.slug


def claim_live_lines(live_lines, buyer: str, order_reference: str) -> None:
    """Count the live lines' units against their quotas and the buyer's limits, inside the
    order's transaction; a refusal is the checkout's ValidationError."""
    try:
        claim(
            [Claim(line.line.live_offer, line.line.quantity) for line in live_lines],
            buyer,
            order_reference,
        )
    except LivestreamError as error:
        raise livestream_error(error) from error


def allocate_order_stock(info, order_lines, live_lines) -> None:
    """Allocate the order's stock: units of live lines whose offer has a quota out of their
    event's hold (which shrinks by as much), the rest as any order's, releasing the checkout's
    own holds. Raises InsufficientStock, allocating nothing the transaction keeps."""
    checkout = info.checkout
    from_quota = {id(line) for line in live_lines if line.line.live_offer.quota is not None}
    by_event, regular = {}, []
    for line_info, order_line in zip(info.lines, order_lines, strict=True):
        if id(line_info) in from_quota:
            by_event.setdefault(line_info.line.live_offer.event_id, []).append(order_line)
        else:
            regular.append(order_line)
    allocate_stocks(
        regular,
        checkout.channel,
        collection_point=checkout.collection_point,
        holder=checkout.stock_holder,
    )
    for event_id in sorted(by_event):
        allocate_stocks(
            by_event[event_id], checkout.channel, holder=event_holder(event_id), consume_holds=True
        )
