"""The rules of a livestream sale, in one place for the office's admin, the host console, the
event page, the API and checkout: the event's life (draft → scheduled → live → ended, or
cancelled; stopped and hidden by the office), who may go live, pins, live prices and claims on
quotas and per-buyer limits."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.livestream import broadcast, live_feed, quotas
from backend.livestream.models import (
    EventOffer,
    EventStatus,
    LiveEvent,
    LivestreamerIdentity,
    OfferPurchase,
    Pin,
)

MAX_PINS = 3


class LivestreamError(Exception):
    """A refused step, with a code for the API and a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# --- the event's life ---------------------------------------------------------------------------
def unverified_hosts(event: LiveEvent) -> list:
    verified = LivestreamerIdentity.objects.filter(
        user__in=event.hosts.all(), verified_at__isnull=False
    ).values_list("user_id", flat=True)
    return list(event.hosts.exclude(pk__in=verified))


@transaction.atomic
def schedule(event: LiveEvent) -> LiveEvent:
    """Publish a draft: its page is listed and its quotas are set aside from stock."""
    event = _locked(event)
    if event.status not in (EventStatus.DRAFT, EventStatus.SCHEDULED):
        raise LivestreamError("INVALID", _("Only a draft can be scheduled."))
    quotas.hold_quotas(event)
    event.status = EventStatus.SCHEDULED
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def reschedule(event: LiveEvent, start: datetime, end: datetime) -> LiveEvent:
    """Move a scheduled event; its subscribers hear of it (backend.livestream.reminders)."""
    event = _locked(event)
    if event.status not in (EventStatus.DRAFT, EventStatus.SCHEDULED):
        raise LivestreamError("INVALID", _("Only an event that has not started can be moved."))
    if end <= start:
        raise LivestreamError("INVALID", _("The end must come after the start."))
    moved = event.scheduled_start != start
    event.scheduled_start, event.scheduled_end = start, end
    event.save(update_fields=["scheduled_start", "scheduled_end", "updated_at"])
    if event.status == EventStatus.SCHEDULED:
        quotas.hold_quotas(event)  # the holds last until the new end
    if moved:
        from backend.livestream.tasks import announce_reschedule

        transaction.on_commit(lambda: announce_reschedule.delay(event.pk))
    return event


@transaction.atomic
def go_live(event: LiveEvent) -> LiveEvent:
    event = _locked(event)
    if event.status != EventStatus.SCHEDULED:
        raise LivestreamError("INVALID", _("Only a scheduled event can go live."))
    if event.stream_hidden:
        raise LivestreamError("STOPPED", _("The office has stopped this event."))
    if not event.hosts.exists() or unverified_hosts(event):
        raise LivestreamError(
            "HOST_NOT_VERIFIED",
            _("Every host's identity must be verified by the office before the event goes live."),
        )
    event.status, event.started_at = EventStatus.LIVE, timezone.now()
    event.save(update_fields=["status", "started_at", "updated_at"])
    _announce(event.pk, live_feed.status_message(event))
    return event


@transaction.atomic
def end(event: LiveEvent) -> LiveEvent:
    """End the event: pins come down, live prices stop, unsold quota goes back on sale."""
    event = _locked(event)
    if event.status != EventStatus.LIVE:
        raise LivestreamError("INVALID", _("Only a live event can be ended."))
    now = timezone.now()
    event.status, event.ended_at = EventStatus.ENDED, now
    event.save(update_fields=["status", "ended_at", "updated_at"])
    Pin.objects.filter(event=event, unpinned_at__isnull=True).update(unpinned_at=now)
    quotas.release_quotas(event)
    _announce(event.pk, live_feed.status_message(event))
    return event


@transaction.atomic
def cancel(event: LiveEvent) -> LiveEvent:
    event = _locked(event)
    if event.status not in (EventStatus.DRAFT, EventStatus.SCHEDULED):
        raise LivestreamError("INVALID", _("Only an event that has not started can be cancelled."))
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    quotas.release_quotas(event)
    return event


@transaction.atomic
def stop_and_hide(event: LiveEvent, reason: str) -> LiveEvent:
    """The office's emergency stop: the stream is hidden at once and a live event ends."""
    event = _locked(event)
    event.stream_hidden, event.stop_reason = True, reason
    event.save(update_fields=["stream_hidden", "stop_reason", "updated_at"])
    _announce(event.pk, live_feed.status_message(event))
    if event.status == EventStatus.LIVE:
        return end(event)
    if event.status in (EventStatus.DRAFT, EventStatus.SCHEDULED):
        return cancel(event)
    return event


def _locked(event: LiveEvent) -> LiveEvent:
    return LiveEvent.objects.select_for_update().get(pk=event.pk)


# --- the line-up -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferSpec:
    variant_id: int
    live_price: int | None = None
    quota: int | None = None
    per_buyer_limit: int | None = None


@transaction.atomic
def set_offers(event: LiveEvent, specs: list[OfferSpec]) -> list[EventOffer]:
    """Replace the event's line-up (kept offers keep what they sold) and, once scheduled, the
    stock it holds. An offer that sold cannot go, nor can a quota drop below what it sold."""
    event = _locked(event)
    if event.status not in (EventStatus.DRAFT, EventStatus.SCHEDULED, EventStatus.LIVE):
        raise LivestreamError("INVALID", _("The products of a past event cannot change."))
    existing = {offer.variant_id: offer for offer in event.offers.select_for_update()}
    wanted = {spec.variant_id for spec in specs}
    if any(offer.sold for variant_id, offer in existing.items() if variant_id not in wanted):
        raise LivestreamError("INVALID", _("A product that has sold cannot be removed."))
    event.offers.exclude(variant_id__in=wanted).delete()
    offers = []
    for order, spec in enumerate(specs):
        offer = existing.get(spec.variant_id) or EventOffer(event=event, variant_id=spec.variant_id)
        if spec.live_price is not None and spec.live_price <= 0:
            raise LivestreamError("INVALID", _("A live price must be above zero."))
        if spec.quota is not None and spec.quota < offer.sold:
            raise LivestreamError(
                "QUOTA_EXCEEDED",
                _("The quota cannot be below the %(sold)d already sold.") % {"sold": offer.sold},
            )
        offer.live_price, offer.quota = spec.live_price, spec.quota
        offer.per_buyer_limit, offer.sort_order = spec.per_buyer_limit, order
        offer.save()
        offers.append(offer)
    if event.status in (EventStatus.SCHEDULED, EventStatus.LIVE):
        quotas.hold_quotas(event)
    return offers


def _announce(event_id: int, message: dict) -> None:
    """Tell the event's viewers once the change is committed (backend.livestream.broadcast)."""
    transaction.on_commit(lambda: broadcast.publish(event_id, message))


# --- pins -------------------------------------------------------------------------------------
def active_pins(event: LiveEvent):
    return (
        Pin.objects.filter(event=event, unpinned_at__isnull=True)
        .select_related("offer__variant__product")
        .order_by("pinned_at", "pk")
    )


@transaction.atomic
def pin(event: LiveEvent, offer: EventOffer) -> Pin:
    event = _locked(event)
    if event.status != EventStatus.LIVE:
        raise LivestreamError("INVALID", _("Products can be pinned only while the event is live."))
    if offer.event_id != event.pk:
        raise LivestreamError("NOT_FOUND", _("This product is not in the event."))
    current = list(active_pins(event))
    if any(existing.offer_id == offer.pk for existing in current):
        return next(existing for existing in current if existing.offer_id == offer.pk)
    if len(current) >= MAX_PINS:
        raise LivestreamError(
            "TOO_MANY_PINS", _("At most %(count)d products can be pinned.") % {"count": MAX_PINS}
        )
    pinned = Pin.objects.create(event=event, offer=offer, pinned_at=timezone.now())
    _announce(event.pk, live_feed.pin_message(pinned))
    return pinned


@transaction.atomic
def unpin(event: LiveEvent, offer: EventOffer) -> int:
    now = timezone.now()
    count = Pin.objects.filter(event=event, offer=offer, unpinned_at__isnull=True).update(
        unpinned_at=now
    )
    if count:
        _announce(event.pk, live_feed.unpin_message(offer.pk, now))
    return count


# --- live prices and claims -------------------------------------------------------------------
def is_selling_live(event: LiveEvent, at: datetime | None = None) -> bool:
    """Between the event's actual start and end: when live prices and quotas apply."""
    at = at or timezone.now()
    return (
        event.status == EventStatus.LIVE
        and not event.stream_hidden
        and event.started_at is not None
        and event.started_at <= at
        and (event.ended_at is None or at < event.ended_at)
    )


def live_unit_price(offer: EventOffer, regular_price: int, at: datetime | None = None) -> int:
    """What a buyer who came through the event pays for a unit of the offer now."""
    if offer.live_price is not None and is_selling_live(offer.event, at):
        return offer.live_price
    return regular_price


@dataclass(frozen=True)
class Claim:
    offer: EventOffer
    quantity: int


def claim(claims: list[Claim], buyer: str, order_reference: str) -> None:
    """Count units bought through the event against each offer's quota and the buyer's limit
    (`buyer`: the user's id or the lower-cased email), inside the caller's transaction, with the
    offers locked so concurrent buyers queue. Raises LivestreamError, counting nothing."""
    wanted_by_offer: dict[int, int] = {}
    for wanted in claims:
        wanted_by_offer[wanted.offer.pk] = wanted_by_offer.get(wanted.offer.pk, 0) + wanted.quantity
    if not wanted_by_offer:
        return
    offers = {
        offer.pk: offer
        for offer in EventOffer.objects.select_for_update()
        .select_related("event")
        .filter(pk__in=sorted(wanted_by_offer))
        .order_by("pk")
    }
    bought = dict(
        OfferPurchase.objects.filter(offer_id__in=offers, buyer=buyer)
        .values_list("offer_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    for offer_id, quantity in wanted_by_offer.items():
        offer = offers[offer_id]
        if not is_selling_live(offer.event):
            raise LivestreamError("NOT_LIVE", _("The livestream sale has ended."))
        if offer.quota is not None and offer.sold + quantity > offer.quota:
            raise LivestreamError(
                "QUOTA_EXCEEDED",
                _("Only %(left)d left of the livestream quota.")
                % {"left": offer.quota - offer.sold},
            )
        limit = offer.per_buyer_limit
        if limit is not None and bought.get(offer.pk, 0) + quantity > limit:
            raise LivestreamError(
                "LIMIT_EXCEEDED",
                _("At most %(limit)d per buyer in this livestream.") % {"limit": limit},
            )
    for offer_id, quantity in wanted_by_offer.items():
        EventOffer.objects.filter(pk=offer_id).update(sold=offers[offer_id].sold + quantity)
        OfferPurchase.objects.create(
            offer_id=offer_id, buyer=buyer, quantity=quantity, order_reference=order_reference
        )
