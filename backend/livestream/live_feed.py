"""What the live feed says: the messages the host console and the event page receive over
server-sent events (backend.livestream.broadcast) and the polling fallback returns. A pin carries
its server time (`pinned_at`, ISO and epoch milliseconds) so a delayed video can line it up."""

from datetime import datetime

from django.urls import reverse

from backend.livestream.models import EventOffer, EventStatus, LiveEvent, Pin
from backend.product.models import ProductMedia, ProductMediaType, ProductVariantChannelListing


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def regular_prices(event: LiveEvent, variant_ids) -> dict[int, int | None]:
    return dict(
        ProductVariantChannelListing.objects.filter(
            channel_id=event.channel_id, variant_id__in=list(variant_ids)
        ).values_list("variant_id", "price_amount")
    )


def first_images(product_ids) -> dict[int, str]:
    """The address of each product's first image (one query)."""
    images = {}
    for media in ProductMedia.objects.filter(
        product_id__in=list(product_ids), type=ProductMediaType.IMAGE
    ).order_by("-sort_order", "-pk"):
        url = media.image.url if media.image else media.external_url
        if url:
            images[media.product_id] = url  # the last written is the first in display order
    return images


def offer_payload(offer: EventOffer, regular_price: int | None, image: str = "") -> dict:
    variant = offer.variant
    return {
        "offer_id": offer.pk,
        "variant_id": variant.pk,
        "product": variant.product.name,
        "variant": variant.name,
        "product_slug": variant.product.slug,
        "product_url": reverse("storefront:product", args=[variant.product.slug]),
        "image": image,
        "regular_price": regular_price,
        "live_price": offer.live_price if offer.live_price is not None else regular_price,
        "remaining": None if offer.quota is None else max(offer.quota - offer.sold, 0),
        "per_buyer_limit": offer.per_buyer_limit,
    }


def pin_payloads(event: LiveEvent, pins: list[Pin]) -> list[dict]:
    """Pins with their offers loaded (`select_related("offer__variant__product")`)."""
    prices = regular_prices(event, {pin.offer.variant_id for pin in pins})
    images = first_images({pin.offer.variant.product_id for pin in pins}) if pins else {}
    return [
        {
            **offer_payload(
                pin.offer,
                prices.get(pin.offer.variant_id),
                images.get(pin.offer.variant.product_id, ""),
            ),
            "pin_id": pin.pk,
            "pinned_at": pin.pinned_at.isoformat(),
            "pinned_at_ms": epoch_ms(pin.pinned_at),
        }
        for pin in pins
    ]


def status_payload(event: LiveEvent) -> dict:
    return {"status": event.status, "stream_hidden": event.stream_hidden}


def snapshot(event: LiveEvent) -> dict:
    """Everything a viewer needs at connect (and what the polling fallback returns)."""
    pins = []
    if event.status == EventStatus.LIVE:
        pins = list(
            Pin.objects.filter(event=event, unpinned_at__isnull=True)
            .select_related("offer__variant__product")
            .order_by("pinned_at", "pk")
        )
    return {"type": "snapshot", **status_payload(event), "pins": pin_payloads(event, pins)}


def pin_message(pin: Pin) -> dict:
    pin = Pin.objects.select_related("offer__variant__product", "event").get(pk=pin.pk)
    return {"type": "pin", **pin_payloads(pin.event, [pin])[0]}


def unpin_message(offer_id: int, at: datetime) -> dict:
    return {
        "type": "unpin",
        "offer_id": offer_id,
        "unpinned_at": at.isoformat(),
        "unpinned_at_ms": epoch_ms(at),
    }


def status_message(event: LiveEvent) -> dict:
    return {"type": "status", **status_payload(event)}
