"""What the product page shows around the product: the variant chosen, the delivery to the
buyer's province (fees and days from backend.shipping.estimates), the producer card, related
products and the share links. The rules live in the domain; this reads the request."""

from urllib.parse import urlencode

from django.urls import reverse

from backend.ocop.models import VerificationStatus
from backend.ocop.provinces import current_province_code, current_units
from backend.shipping.estimates import delivery_estimates, pickup_points
from backend.shipping.services import province_code
from storefront import catalog

# The province a buyer last asked the delivery of (a current province code).
DELIVERY_PROVINCE_KEY = "delivery_province"
PICKUP_POINTS_SHOWN = 3


def chosen_offer(offers, requested: str | None):
    """The offer of the variant in the address (`?variant=<id>`), else the first in stock,
    else the first; None without offers."""
    by_id = {str(offer.variant.pk): offer for offer in offers}
    if requested in by_id:
        return by_id[requested]
    return next((offer for offer in offers if offer.in_stock), offers[0] if offers else None)


def buyer_province(request):
    """The province to estimate the delivery to: the one asked for in the address (then
    remembered for the session), else the signed-in buyer's default shipping address's, else
    the one remembered; None when none is known."""
    by_code = {unit.code: unit for unit in current_units()}
    if "province" in request.GET:
        code = current_province_code(request.GET["province"]) if request.GET["province"] else None
        if code is None:
            request.session.pop(DELIVERY_PROVINCE_KEY, None)
            return None
        if request.session.get(DELIVERY_PROVINCE_KEY) != code:
            request.session[DELIVERY_PROVINCE_KEY] = code
        return by_code.get(code)
    user = request.user
    if user.is_authenticated and user.default_shipping_address_id:
        code = province_code(user.default_shipping_address)
        if code in by_code:
            return by_code[code]
    return by_code.get(request.session.get(DELIVERY_PROVINCE_KEY))


def delivery(request, channel, offer) -> dict:
    province = buyer_province(request)
    found = {"provinces": current_units(), "province": province, "estimates": [], "pickups": []}
    if offer is None:
        return found
    code = province.code if province else None
    if province is not None:
        found["estimates"] = delivery_estimates(channel, code, offer.variant, offer.price)
    found["pickups"] = pickup_points(channel, offer.variant, code)[:PICKUP_POINTS_SHOWN]
    return found


def producer_card(channel, producer) -> dict | None:
    if producer is None:
        return None
    return {
        "producer": producer,
        "legal_type": producer.get_legal_type_display(),
        "verified": producer.verification_status == VerificationStatus.VERIFIED,
        "product_count": catalog.producer_product_count(channel, producer),
    }


def share_links(request, product) -> dict:
    url = request.build_absolute_uri(reverse("storefront:product", args=[product.slug]))
    return {
        "url": url,
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
    }


def product_page(request, channel, product) -> dict:
    offers = catalog.variant_offers(product)
    offer = chosen_offer(offers, request.GET.get("variant"))
    return {
        "product": catalog.with_badges([product])[0],
        "offers": offers,
        "chosen": offer,
        "delivery": delivery(request, channel, offer),
        "producer_card": producer_card(channel, product.producer),
        "related": catalog.related_products(channel, product),
        "share": share_links(request, product),
    }
