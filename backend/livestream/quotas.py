"""Event quotas are stock holds owned by the event (`livestream:<event id>`): from scheduling
until the event ends, `quota − sold` units of each offer are set aside, so neither the shop nor
the marketplaces sell them; buyers through the event take theirs out of that hold at checkout
completion, and what is left goes back to general sale when the event ends."""

from datetime import timedelta

from backend.livestream.models import EventStatus, LiveEvent
from backend.warehouse.models import HolderKind, holder_key
from backend.warehouse.services import hold_stock, release_holds

# Holds outlive the scheduled end by this much, for an event that runs late.
OVERRUN = timedelta(hours=6)


def event_holder(event_id: int) -> str:
    return holder_key(HolderKind.LIVESTREAM_QUOTA, event_id)


def existing_event_holders(identifiers: set[str]) -> set[str]:
    """For the stock audit: which `livestream:<id>` holders are events still holding."""
    ids = [int(identifier) for identifier in identifiers if identifier.isdigit()]
    return {
        str(pk)
        for pk in LiveEvent.objects.filter(
            pk__in=ids, status__in=(EventStatus.SCHEDULED, EventStatus.LIVE)
        ).values_list("pk", flat=True)
    }


def hold_quotas(event: LiveEvent) -> None:
    """Set aside what is left of each quota (replacing the event's earlier holds). Raises
    warehouse.services.InsufficientStock, holding nothing new, when stock is short."""
    remaining = {
        offer.variant_id: offer.quota - offer.sold
        for offer in event.offers.filter(quota__isnull=False)
        if offer.quota > offer.sold
    }
    if not remaining:
        release_holds(event_holder(event.pk))
        return
    hold_stock(
        event_holder(event.pk), remaining, event.channel, until=event.scheduled_end + OVERRUN
    )


def release_quotas(event: LiveEvent) -> int:
    return release_holds(event_holder(event.pk))
