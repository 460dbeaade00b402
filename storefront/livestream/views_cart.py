"""Buying from a livestream's page: "add to cart" puts the offer into the session's cart (the
shop's own, storefront.views_cart) at the live price while the event sells live, and counts an
add-to-cart for the event's report. The page's script asks for JSON to stay on the stream; a
plain form post is redirected back to the event page with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.checkout.create import create_checkout
from backend.checkout.live import add_live_offer
from backend.livestream import counters
from backend.livestream.models import (
    EventOffer,
    EventStatus,
    LiveEvent,
)
from storefront import catalog
from storefront.session_cart import (
    SESSION_KEY,
    cart_quantity,
    error_messages,
    parse_quantity,
    session_checkout,
    session_user,
    variant_label,
    variant_names,
)


@require_POST
def add_to_cart(request, slug):
    event = get_object_or_404(
        LiveEvent.objects.exclude(status=EventStatus.DRAFT).select_related("channel"), slug=slug
    )
    offer = (
        EventOffer.objects.select_related("variant__product")
        .filter(event=event, pk=parse_quantity(request.POST.get("offer")))
        .first()
    )
    channel = catalog.current_channel()
    if offer is None or channel is None:
        raise Http404
    offer.event = event
    quantity = parse_quantity(request.POST.get("quantity", "1"))
    user = session_user(request)
    try:
        with transaction.atomic():
            if quantity is None:
                raise ValidationError(_("Enter a quantity."), code="invalid")
            checkout = session_checkout(request, lock=True)
            if checkout is None:
                checkout = create_checkout(channel, user=user, language_code=request.LANGUAGE_CODE)
            add_live_offer(checkout, offer, quantity, user=user)
    except ValidationError as error:
        return _answer(request, event, False, error_messages(error, variant_names([offer.variant])))
    request.session[SESSION_KEY] = str(checkout.pk)
    counters.record_add_to_cart(event, counters.visitor_key(request.session))
    message = _("Added %(quantity)d × %(product)s to your cart.") % {
        "quantity": quantity,
        "product": variant_label(offer.variant),
    }
    return _answer(request, event, True, [message])


def _answer(request, event, ok: bool, texts: list[str]):
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"ok": ok, "cart_count": cart_quantity(request), "message": " ".join(texts)},
            status=200 if ok else 400,
        )
    for text in texts:
        (messages.success if ok else messages.error)(request, text)
    return redirect("livestream:event", slug=event.slug)
