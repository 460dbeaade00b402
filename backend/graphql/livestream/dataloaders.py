"""Batch loaders of livestream events: their products (offers) and what is pinned now."""

from backend.graphql.core.dataloaders import ByIdLoader, DataLoader, group_by
from backend.livestream.models import EventOffer, LiveEvent, Pin


class EventOfferByIdLoader(ByIdLoader):
    model = EventOffer


class OffersByEventIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = list(EventOffer.objects.filter(event_id__in=keys).order_by("sort_order", "pk"))
        by_event = group_by(rows, lambda offer: offer.event_id)
        for offer in rows:
            EventOfferByIdLoader(self.context).prime(offer.pk, offer)
        return [by_event.get(key, []) for key in keys]


class ActivePinsByEventIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = Pin.objects.filter(event_id__in=keys, unpinned_at__isnull=True).order_by(
            "pinned_at", "pk"
        )
        by_event = group_by(rows, lambda pin: pin.event_id)
        return [by_event.get(key, []) for key in keys]


class LiveEventByIdLoader(ByIdLoader):
    model = LiveEvent
