"""Demo livestream sales: one event that ended (with its replay, pins and viewers), one live now
with two pinned products, and two upcoming ones in other provinces, hosted by demo hosts whose
identities the office verified. Events go through the services (schedule holds their quotas,
go_live, pin, end); only the times of the past are written directly. Running it again keeps
the events and moves the live and upcoming ones back to "now", "tomorrow" and "next week"."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from backend.account.models import User
from backend.demo.content import PRODUCER_PASSWORD
from backend.demo.images import render_image
from backend.livestream import quotas, services
from backend.livestream.models import (
    ActivityKind,
    Complaint,
    EventStatus,
    LiveEvent,
    LivestreamerIdentity,
    Pin,
    Platform,
    Subscription,
    ViewerActivity,
)
from backend.product.models import ProductVariantChannelListing

HOSTS = (
    ("mc.lan@demo.ocop.vn", "Lan", "Nguyễn Thị Lan", "001190012345"),
    ("mc.hung@demo.ocop.vn", "Hùng", "Trần Văn Hùng", "036088004321"),
)
PAST, LIVE, TOMORROW, NEXT_WEEK = (
    "dac-san-ba-mien-phien-1",
    "cho-phien-ocop-truc-tuyen",
    "dac-san-mien-bien",
    "tra-va-qua-vung-cao",
)
SUBSCRIBERS = ("khach1@khach.demo.ocop.vn", "khach2@khach.demo.ocop.vn")
LIVE_BUYERS = 2


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    description: str
    platform: str
    stream_url: str
    replay_url: str = ""


EVENTS = {
    PAST: DemoEvent(
        PAST,
        "Đặc sản ba miền — phiên 1",
        "Giới thiệu và bán trực tiếp đặc sản OCOP ba miền với giá ưu đãi trong phiên live.",
        Platform.YOUTUBE,
        "https://www.youtube.com/watch?v=ocopDemo001",
        "https://www.youtube.com/watch?v=ocopDemo001",
    ),
    LIVE: DemoEvent(
        LIVE,
        "Chợ phiên OCOP trực tuyến",
        "Văn phòng điều phối OCOP cùng các chủ thể giới thiệu sản phẩm 4–5 sao, giá live.",
        Platform.YOUTUBE,
        "https://www.youtube.com/watch?v=ocopDemo002",
    ),
    TOMORROW: DemoEvent(
        TOMORROW,
        "Đặc sản miền biển",
        "Hải sản chế biến và nước mắm OCOP: nguồn gốc, cách dùng và giá ưu đãi trong phiên.",
        Platform.FACEBOOK,
        "https://www.facebook.com/ocopmarket/videos/1000000000001",
    ),
    NEXT_WEEK: DemoEvent(
        NEXT_WEEK,
        "Trà và quà vùng cao",
        "Trà, mật ong và đặc sản vùng cao: gặp người làm ra sản phẩm, mua với giá live.",
        Platform.TIKTOK,
        "https://www.tiktok.com/@ocopmarket/live",
    ),
}


def ensure_demo_livestreams(products, channel, office_user) -> dict[str, LiveEvent]:
    """The four demo events by slug (created once; the live and upcoming ones re-timed)."""
    hosts = [
        _ensure_host(email, name, full_name, id_number, office_user)
        for email, name, full_name, id_number in HOSTS
    ]
    by_province = _products_by_province(products)
    provinces = sorted(by_province, key=lambda province: province.code)
    now = timezone.now()
    events = {}
    lineups = {
        PAST: [group[0] for group in by_province.values()][:3],
        LIVE: [group[0] for group in by_province.values()][-3:],
        TOMORROW: by_province[provinces[0]][:2],
        NEXT_WEEK: by_province[provinces[-1]][:2],
    }
    for slug, spec in EVENTS.items():
        lineup = lineups[slug]
        event = LiveEvent.objects.filter(slug=slug).first()
        if event is None:
            event = _create(spec, lineup, channel, hosts, now)
        events[slug] = event
    _run_past(events[PAST], now)
    _keep_live(events[LIVE], now)
    _keep_upcoming(events[TOMORROW], now + timedelta(days=1))
    _keep_upcoming(events[NEXT_WEEK], now + timedelta(days=7))
    _ensure_audience(events)
    return events


def _ensure_host(email, name, full_name, id_number, office_user) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, PRODUCER_PASSWORD, first_name=name)
    LivestreamerIdentity.objects.get_or_create(
        user=user,
        defaults={
            "full_name": full_name,
            "id_number": id_number,
            "verified_at": timezone.now(),
            "verified_by": office_user,
        },
    )
    return user


def _products_by_province(products) -> dict:
    grouped = {}
    for product in sorted(products, key=lambda product: product.slug):
        grouped.setdefault(product.producer.province, []).append(product)
    return grouped


def _create(spec: DemoEvent, lineup, channel, hosts, now) -> LiveEvent:
    producers = {product.producer for product in lineup}
    organiser = producers.pop() if len(producers) == 1 else None
    start = _evening(now)
    event = LiveEvent.objects.create(
        title=spec.title,
        slug=spec.slug,
        description=spec.description,
        organiser=organiser,
        province=lineup[0].producer.province,
        channel=channel,
        platform=spec.platform,
        stream_url=spec.stream_url,
        replay_url=spec.replay_url,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=90),
    )
    event.hosts.set(hosts)
    cover = render_image(spec.title, f"Livestream · {event.province.name}")
    event.cover.save(f"{spec.slug}.jpg", ContentFile(cover), save=True)
    services.set_offers(event, [_offer(product, channel) for product in lineup])
    return services.schedule(event)


def _offer(product, channel) -> services.OfferSpec:
    variant = product.variants.order_by("sort_order", "pk").first()
    listing = ProductVariantChannelListing.objects.get(variant=variant, channel=channel)
    live_price = (listing.price_amount * 85 // 100) // 1000 * 1000
    return services.OfferSpec(variant.pk, live_price=live_price, quota=10, per_buyer_limit=3)


def _evening(day):
    local = timezone.localtime(day)
    return local.replace(hour=20, minute=0, second=0, microsecond=0)


def _run_past(event: LiveEvent, now) -> None:
    """Run the event through its life once, then date it three days back."""
    if event.status == EventStatus.SCHEDULED:
        event = services.go_live(event)
        for offer in event.offers.all()[:2]:
            services.pin(event, offer)
        event = services.end(event)
        start = _evening(now - timedelta(days=3))
        LiveEvent.objects.filter(pk=event.pk).update(
            scheduled_start=start,
            scheduled_end=start + timedelta(minutes=90),
            started_at=start + timedelta(minutes=2),
            ended_at=start + timedelta(minutes=95),
        )
        for index, pin in enumerate(event.pins.order_by("pk")):
            pinned = start + timedelta(minutes=10 + 30 * index)
            Pin.objects.filter(pk=pin.pk).update(
                pinned_at=pinned, unpinned_at=pinned + timedelta(minutes=25)
            )
        ViewerActivity.objects.bulk_create(
            ViewerActivity(
                event=event,
                visitor=f"demo-viewer-{index}",
                kind=ActivityKind.ADD_TO_CART if index % 4 == 0 else ActivityKind.VIEW,
                at=start + timedelta(minutes=5 + 6 * index),
            )
            for index in range(12)
        )


def _keep_live(event: LiveEvent, now) -> None:
    """Live since 20 minutes ago, with its first two products pinned."""
    if event.status == EventStatus.SCHEDULED:
        event = services.go_live(event)
        for offer in event.offers.all()[:2]:
            services.pin(event, offer)
    if event.status != EventStatus.LIVE:
        return
    started = now - timedelta(minutes=20)
    LiveEvent.objects.filter(pk=event.pk).update(
        scheduled_start=started, scheduled_end=started + timedelta(minutes=90), started_at=started
    )
    for index, pin in enumerate(services.active_pins(event)):
        Pin.objects.filter(pk=pin.pk).update(pinned_at=started + timedelta(minutes=3 + 5 * index))
    event.refresh_from_db()
    quotas.hold_quotas(event)


def _keep_upcoming(event: LiveEvent, day) -> None:
    if event.status != EventStatus.SCHEDULED:
        return
    start = _evening(day)
    LiveEvent.objects.filter(pk=event.pk).update(
        scheduled_start=start, scheduled_end=start + timedelta(minutes=90)
    )
    event.refresh_from_db()
    quotas.hold_quotas(event)


def _ensure_audience(events) -> None:
    for email in SUBSCRIBERS:
        Subscription.objects.get_or_create(event=events[TOMORROW], email=email)
    Complaint.objects.get_or_create(
        event=events[PAST],
        email=SUBSCRIBERS[0],
        defaults={
            "message": "Sản phẩm nhận được khác màu bao bì so với hàng giới thiệu trong phiên live."
        },
    )


def ensure_live_orders(channel) -> list:
    """Cash-on-delivery orders bought through the live event the way a viewer buys: at the
    live price, counted against its quota and per-buyer limit, attributed to the event."""
    from backend.demo.orders import BUYERS, place_demo_order
    from backend.order.models import Order

    event = LiveEvent.objects.get(slug=LIVE)
    if Order.objects.filter(live_event=event).exists():
        return []
    offers = list(event.offers.select_related("variant").order_by("sort_order", "pk")[:2])
    orders = []
    for index in range(LIVE_BUYERS):
        offer = offers[index % len(offers)]
        orders.append(place_demo_order(channel, [], BUYERS[index], 10 + index, live_offers=[offer]))
    return orders
