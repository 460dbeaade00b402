"""The public livestream pages: the schedule, the published rules, an event's page before,
during and after the stream (remind me, calendar, QR, pins, replay chapters) and viewers'
complaints. Every page reads a bounded number of queries."""

import io
import time
from dataclasses import dataclass
from datetime import UTC, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.livestream import live_feed, services
from backend.livestream.models import (
    Complaint,
    EventOffer,
    EventStatus,
    LiveEvent,
    Pin,
    Platform,
    Subscription,
)
from backend.livestream.permissions import LivestreamPermissions
from backend.ocop.models import Province
from backend.product.models import (
    Product,
    ProductVariantChannelListing,
)

LISTED_STATUSES = (EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED)
LIVE_NOW_SHOWN = 10
UPCOMING_SHOWN = 30
PAST_PER_PAGE = 12
# A viewer's session may send this many forms (complaints, reminders) per window.
FORMS_PER_WINDOW = 3
FORM_WINDOW_SECONDS = 600
EMBED_HOSTS = {
    Platform.YOUTUBE: "https://www.youtube-nocookie.com",
    Platform.FACEBOOK: "https://www.facebook.com",
    Platform.TIKTOK: "https://www.tiktok.com",
}


# --- the schedule ------------------------------------------------------------------------------
def schedule(request):
    """Live now, upcoming and past events; `?tinh=<province slug>` narrows them to a province."""
    listed = LiveEvent.objects.filter(status__in=LISTED_STATUSES).select_related(
        "province", "organiser"
    )
    provinces = list(
        Province.objects.filter(live_events__status__in=LISTED_STATUSES).distinct().order_by("name")
    )
    province = next((p for p in provinces if p.slug == request.GET.get("tinh")), None)
    if province is not None:
        listed = listed.filter(province=province)
    past = Paginator(
        listed.filter(status=EventStatus.ENDED).order_by("-scheduled_start", "-pk"), PAST_PER_PAGE
    ).get_page(request.GET.get("page"))
    first_page = past.number == 1
    return render(
        request,
        "livestream/schedule.html",
        {
            "provinces": provinces,
            "province": province,
            "live_now": list(listed.filter(status=EventStatus.LIVE, stream_hidden=False))[
                :LIVE_NOW_SHOWN
            ]
            if first_page
            else [],
            "upcoming": list(listed.filter(status=EventStatus.SCHEDULED)[:UPCOMING_SHOWN])
            if first_page
            else [],
            "page": past,
        },
    )


def rules(request):
    return render(request, "livestream/rules.html")


# --- the event page ----------------------------------------------------------------------------
@dataclass
class OfferRow:
    """An event's product as its page shows it."""

    offer: EventOffer
    product: Product
    regular_price: int | None
    image_url: str

    @property
    def remaining(self) -> int | None:
        quota = self.offer.quota
        return None if quota is None else max(quota - self.offer.sold, 0)


def _public_event(request, slug) -> LiveEvent:
    """Drafts exist only for the office."""
    event = get_object_or_404(
        LiveEvent.objects.select_related("province", "organiser", "channel"), slug=slug
    )
    if event.status == EventStatus.DRAFT and not request.user.has_perm(
        LivestreamPermissions.MANAGE_LIVESTREAMS.value
    ):
        raise Http404
    return event


def _offer_rows(request, event) -> list[OfferRow]:
    """The event's products the viewer may see, with their regular price and first image
    (three queries)."""
    offers = list(
        EventOffer.objects.filter(
            event=event,
            variant__product__in=Product.objects.visible_to_user(request.user, event.channel),
        ).select_related("variant__product")
    )
    variant_ids = [offer.variant_id for offer in offers]
    product_ids = {offer.variant.product_id for offer in offers}
    prices = dict(
        ProductVariantChannelListing.objects.filter(
            variant_id__in=variant_ids, channel=event.channel, price_amount__isnull=False
        ).values_list("variant_id", "price_amount")
    )
    images = live_feed.first_images(product_ids)
    return [
        OfferRow(
            offer=offer,
            product=offer.variant.product,
            regular_price=prices.get(offer.variant_id),
            image_url=images.get(offer.variant.product_id, ""),
        )
        for offer in offers
    ]


def embed_url(platform: str, url: str) -> str:
    """The address to put in the page's iframe (or <video> for HLS): the platform's embed
    player for a watch/share link, the link itself when it already is an embed address."""
    parts = urlsplit(url)
    if platform == Platform.YOUTUBE:
        video = parse_qs(parts.query).get("v", [""])[0]
        if not video:
            segments = [segment for segment in parts.path.split("/") if segment]
            video = segments[-1] if segments else ""
        return f"{EMBED_HOSTS[Platform.YOUTUBE]}/embed/{quote(video)}"
    if platform == Platform.FACEBOOK:
        if parts.path.startswith("/plugins/"):
            return url
        return f"{EMBED_HOSTS[Platform.FACEBOOK]}/plugins/video.php?href={quote(url, safe='')}"
    if platform == Platform.TIKTOK:
        if "/embed/" in parts.path:
            return url
        video = parts.path.rstrip("/").rsplit("/", 1)[-1]
        return f"{EMBED_HOSTS[Platform.TIKTOK]}/embed/v2/{quote(video)}"
    return url


def _allow_player(response, event: LiveEvent, address: str):
    """Widen this response's CSP to the one player the page embeds and to the live feed's
    origin when another server serves it."""
    if event.platform == Platform.HLS:
        parts = urlsplit(address)
        response._csp_update = {"media-src": [f"{parts.scheme}://{parts.netloc}"]}
    else:
        response._csp_update = {"frame-src": [EMBED_HOSTS[event.platform]]}
    if settings.LIVE_FEED_ORIGIN:
        response._csp_update["connect-src"] = [settings.LIVE_FEED_ORIGIN]
    return response


def offset_label(offset: timedelta) -> str:
    """A chapter's time into the stream: `mm:ss`, or `h:mm:ss` past the first hour."""
    seconds = max(int(offset.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


def _chapters(event, rows_by_offer) -> list[dict]:
    if event.started_at is None:
        return []
    chapters = []
    for pin in Pin.objects.filter(event=event).order_by("pinned_at", "pk"):
        row = rows_by_offer.get(pin.offer_id)
        if row is not None:
            offset = pin.pinned_at - event.started_at
            chapters.append(
                {"row": row, "label": offset_label(offset), "seconds": int(offset.total_seconds())}
            )
    return chapters


def page_url(event) -> str:
    path = reverse("livestream:event", args=[event.slug])
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


class RemindForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)


class ComplaintForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email"), max_length=254)
    message = forms.CharField(
        label=gettext_lazy("What happened"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _phase(event) -> str:
    if event.stream_hidden:
        return "hidden"
    if event.status == EventStatus.LIVE:
        return "live"
    if event.status == EventStatus.ENDED:
        return "ended"
    if event.status == EventStatus.CANCELLED:
        return "cancelled"
    return "upcoming"


def event_page(request, slug, remind_form=None, complaint_form=None, status=200):
    event = _public_event(request, slug)
    phase = _phase(event)
    rows = _offer_rows(request, event)
    rows_by_offer = {row.offer.pk: row for row in rows}
    email = request.user.email if request.user.is_authenticated else ""
    context = {
        "event": event,
        "phase": phase,
        "rows": rows,
        "page_url": page_url(event),
        "feed_origin": settings.LIVE_FEED_ORIGIN,
        "remind_form": remind_form or RemindForm(initial={"email": email}),
        "complaint_form": complaint_form or ComplaintForm(initial={"email": email}),
    }
    player = ""
    if phase == "live":
        player = embed_url(event.platform, event.stream_url)
        pins = [
            (pin, rows_by_offer[pin.offer_id])
            for pin in services.active_pins(event)
            if pin.offer_id in rows_by_offer
        ]
        context.update(
            pins=[row for _pin, row in pins],
            add_to_cart_url=reverse("livestream:add_to_cart", args=[event.slug]),
        )
    elif phase == "ended" and event.replay_url:
        player = embed_url(event.platform, event.replay_url)
    if phase == "ended":
        context["chapters"] = _chapters(event, rows_by_offer)
    context["player"] = player
    response = render(request, "livestream/event.html", context, status=status)
    return _allow_player(response, event, player) if player else response


def _over_form_limit(request) -> bool:
    """Counts this session's forms in the window; True once it has sent too many."""
    now = time.time()
    sent = [at for at in request.session.get("live_forms", []) if now - at < FORM_WINDOW_SECONDS]
    if len(sent) >= FORMS_PER_WINDOW:
        return True
    request.session["live_forms"] = [*sent, now]
    return False


@require_POST
def remind(request, slug):
    event = _public_event(request, slug)
    if event.status != EventStatus.SCHEDULED or event.stream_hidden:
        messages.error(request, _("Reminders are only for events that have not started."))
        return redirect("livestream:event", slug=event.slug)
    form = RemindForm(request.POST)
    if not form.is_valid():
        return event_page(request, slug, remind_form=form, status=400)
    address = form.cleaned_data["email"].lower()
    existing = Subscription.objects.filter(event=event, email=address).first()
    if existing is not None and existing.unsubscribed_at is None:
        messages.info(
            request, _("%(email)s is already subscribed to reminders.") % {"email": address}
        )
        return redirect("livestream:event", slug=event.slug)
    if _over_form_limit(request):
        messages.error(request, _("Too many requests. Please try again in a few minutes."))
        return redirect("livestream:event", slug=event.slug)
    user = request.user if request.user.is_authenticated else None
    if existing is not None:
        existing.unsubscribed_at = None
        existing.save(update_fields=["unsubscribed_at"])
    else:
        try:
            with transaction.atomic():
                Subscription.objects.create(event=event, email=address, user=user)
        except IntegrityError:
            pass  # a double click: the first request subscribed it
    messages.success(
        request,
        _("We will email %(email)s a day before, 15 minutes before and at the start.")
        % {"email": address},
    )
    return redirect("livestream:event", slug=event.slug)


def unsubscribe(request, token):
    """GET asks, POST unsubscribes: mail scanners that open links change nothing."""
    subscription = get_object_or_404(Subscription.objects.select_related("event"), token=token)
    done = subscription.unsubscribed_at is not None
    if request.method == "POST" and not done:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
        done = True
    return render(
        request, "livestream/unsubscribe.html", {"subscription": subscription, "done": done}
    )


@require_POST
def complain(request, slug):
    event = _public_event(request, slug)
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        return event_page(request, slug, complaint_form=form, status=400)
    if _over_form_limit(request):
        messages.error(request, _("Too many requests. Please try again in a few minutes."))
        return redirect("livestream:event", slug=event.slug)
    Complaint.objects.create(
        event=event, email=form.cleaned_data["email"], message=form.cleaned_data["message"]
    )
    messages.success(
        request, _("Thank you. The coordination office has received your report and will reply.")
    )
    return redirect(reverse("livestream:event", args=[event.slug]) + "#bao-cao")


# --- calendar and QR ---------------------------------------------------------------------------
def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ics_fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _ics_time(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(request, slug):
    event = _public_event(request, slug)
    url = page_url(event)
    description = f"{event.description}\n\n{url}".strip()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//OCOP Market//Livestream//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:live-event-{event.pk}@{urlsplit(settings.PUBLIC_URL).hostname or 'ocop'}",
        f"DTSTAMP:{_ics_time(timezone.now())}",
        f"DTSTART:{_ics_time(event.scheduled_start)}",
        f"DTEND:{_ics_time(event.scheduled_end)}",
        f"SUMMARY:{_ics_text(event.title)}",
        f"DESCRIPTION:{_ics_text(description)}",
        f"URL:{url}",
        f"LOCATION:{_ics_text(url)}",
        "STATUS:CANCELLED" if event.status == EventStatus.CANCELLED else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    response = HttpResponse(
        "".join(f"{_ics_fold(line)}\r\n" for line in lines),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def qr(request, slug):
    event = _public_event(request, slug)
    buffer = io.BytesIO()
    segno.make(page_url(event), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
