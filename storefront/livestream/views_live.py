"""The live feed and the host console: pins and the event's status pushed to viewers over
server-sent events (an async stream under ASGI, a blocking one under `runserver`), the polling
fallback, viewers' heartbeats, and the console where hosts start and end the event and pin
products."""

import asyncio
import json
import time
from urllib.parse import urlencode, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from backend.livestream import broadcast, counters, live_feed, services
from backend.livestream.models import EventOffer, EventStatus, LiveEvent
from backend.livestream.permissions import LivestreamPermissions

HEARTBEAT_SECONDS = 15
RETRY_MS = 3000
# Connections reading the database at once in one ASGI process (at connect only): a thousand
# viewers arriving together must not open a thousand database connections.
_DATABASE_SLOTS = asyncio.Semaphore(4)
PUBLIC_STATUSES = (EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED)


def _public_event(slug: str) -> LiveEvent:
    return get_object_or_404(LiveEvent, slug=slug, status__in=PUBLIC_STATUSES)


def _frame(message: dict) -> str:
    return f"data: {json.dumps(message, ensure_ascii=False)}\n\n"


def _released(read):
    """`read`, then the database connection closed: a stream stays open for hours, and a
    thousand of them must not hold a thousand connections."""

    def wrapped(*args):
        try:
            return read(*args)
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return wrapped


async def _read_database(read, *args):
    async with _DATABASE_SLOTS:
        return await sync_to_async(_released(read))(*args)


async def _async_stream(event: LiveEvent):
    async with broadcast.subscribe(event.pk) as queue:
        current = await _read_database(live_feed.snapshot, event)
        yield f"retry: {RETRY_MS}\n{_frame(current)}"
        while True:
            try:
                message = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            yield _frame(message)


def _blocking_stream(event: LiveEvent):
    with broadcast.subscribe_sync(event.pk) as next_message:
        yield f"retry: {RETRY_MS}\n{_frame(_released(live_feed.snapshot)(event))}"
        heartbeat_due = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            message = next_message(max(heartbeat_due - time.monotonic(), 0.01))
            if message is not None:
                yield _frame(message)
            elif time.monotonic() >= heartbeat_due:
                yield ": heartbeat\n\n"
                heartbeat_due = time.monotonic() + HEARTBEAT_SECONDS


@require_GET
async def events(request, slug):
    """The live feed: the current pins at connect, then every pin, unpin and status change."""
    if isinstance(request, ASGIRequest):
        stream = _async_stream(await _read_database(_public_event, slug))
    else:  # runserver (WSGI): a thread per connection blocks on the next message
        stream = _blocking_stream(await sync_to_async(_released(_public_event))(slug))
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # no proxy buffering
    return _public_feed(response)


def _public_feed(response):
    """The feed is public and carries no session: pages of the shop's origin may read it when
    the ASGI service answers on its own origin (settings.LIVE_FEED_ORIGIN)."""
    response["Access-Control-Allow-Origin"] = public_origin()
    return response


def public_origin() -> str:
    parts = urlsplit(settings.PUBLIC_URL)
    return f"{parts.scheme}://{parts.netloc}"


@require_GET
def pins(request, slug):
    """The polling fallback of the live feed."""
    response = JsonResponse(live_feed.snapshot(_public_event(slug)))
    response["Cache-Control"] = "no-cache"
    return _public_feed(response)


@require_POST
def heartbeat(request, slug):
    """A viewer's page says it is open (counted in the host console's "watching now")."""
    event = get_object_or_404(LiveEvent, slug=slug, status=EventStatus.LIVE)
    counters.record_view(event, counters.visitor_key(request.session))
    return HttpResponse(status=204)


# --- the host console ------------------------------------------------------------------------
def _console_event(request, slug) -> LiveEvent:
    """The event if the user hosts it or manages livestreams; 404 for everyone else."""
    event = get_object_or_404(LiveEvent, slug=slug)
    user = request.user
    if user.is_staff and user.has_perm(LivestreamPermissions.MANAGE_LIVESTREAMS.value):
        return event
    if event.hosts.filter(pk=user.pk).exists():
        return event
    raise Http404


def console_view(view):
    def wrapped(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('portal:signin')}?{query}")
        return view(request, _console_event(request, slug), *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@console_view
def console(request, event):
    offers = list(
        EventOffer.objects.filter(event=event)
        .select_related("variant__product")
        .order_by("sort_order", "pk")
    )
    prices = live_feed.regular_prices(event, {offer.variant_id for offer in offers})
    pinned = (
        set(services.active_pins(event).values_list("offer_id", flat=True))
        if event.status == EventStatus.LIVE
        else set()
    )
    rows = [
        {"offer": offer, **live_feed.offer_payload(offer, prices.get(offer.variant_id))}
        for offer in offers
    ]
    return render(
        request,
        "storefront/livestream/console.html",
        {
            "event": event,
            "rows": rows,
            "pinned": pinned,
            "max_pins": services.MAX_PINS,
            "counters": counters.live_counters(event),
            "unverified_hosts": services.unverified_hosts(event),
        },
    )


@require_GET
@console_view
def console_counters(request, event):
    return JsonResponse({"status": event.status, **counters.live_counters(event)})


def _run(request, event, step, *args):
    try:
        step(event, *args)
    except services.LivestreamError as error:
        messages.error(request, error.message)
    return redirect("livestream:console", slug=event.slug)


@require_POST
@console_view
def console_start(request, event):
    return _run(request, event, services.go_live)


@require_POST
@console_view
def console_end(request, event):
    return _run(request, event, services.end)


@require_POST
@console_view
def console_pin(request, event, offer_id):
    return _run(
        request, event, services.pin, get_object_or_404(EventOffer, pk=offer_id, event=event)
    )


@require_POST
@console_view
def console_unpin(request, event, offer_id):
    return _run(
        request, event, services.unpin, get_object_or_404(EventOffer, pk=offer_id, event=event)
    )
