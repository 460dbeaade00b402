"""The shop's cart in the session: a `Checkout` whose token the session holds, and the
buyer-facing wording of the checkout domain's errors."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.checkout.access import can_access_checkout
from backend.checkout.models import Checkout
from backend.core.ids import pk_from_global_id
from backend.product.models import ProductVariant

SESSION_KEY = "checkout_token"


def session_user(request):
    return request.user if request.user.is_authenticated else None


def session_checkout(request, *, lock=False) -> Checkout | None:
    """The buyer's cart: the checkout named in their session (signing out empties the session),
    in the shop's channel, while that channel sells."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    queryset = Checkout.objects.select_related(
        "channel", "user", "shipping_address", "shipping_method", "collection_point"
    ).filter(pk=token, channel__slug=settings.DEFAULT_CHANNEL_SLUG)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        checkout = queryset.first()
    except ValidationError:  # not a UUID
        return None
    if checkout is None or not can_access_checkout(request.user, checkout):
        return None
    return checkout


def cart_quantity(request) -> int:
    """Units in the buyer's cart, for the header (no query without a cart in the session)."""
    if not request.session.get(SESSION_KEY):
        return 0
    checkout = session_checkout(request)
    if checkout is None:
        return 0
    return sum(checkout.lines.values_list("quantity", flat=True))


def error_messages(error: ValidationError, names=None) -> list[str]:
    """Readable messages of a domain error; a stock or availability error is prefixed with the
    product it is about (`names`: {variant pk: name})."""
    found = []
    for item in error.error_list if not hasattr(error, "error_dict") else flat_errors(error):
        message = item.message % item.params if item.params else item.message
        variants = (item.params or {}).get("variants") or []
        labels = [
            (names or {}).get(pk_from_global_id(value, "ProductVariant")) for value in variants
        ]
        labels = [label for label in labels if label]
        if labels:
            message = _("%(product)s: %(message)s") % {
                "product": ", ".join(labels),
                "message": message,
            }
        found.append(str(message))
    return found


def flat_errors(error: ValidationError):
    return [item for errors in error.error_dict.values() for item in errors]


def variant_names(checkout_or_variants) -> dict:
    variants = checkout_or_variants
    if isinstance(checkout_or_variants, Checkout):
        variants = ProductVariant.objects.filter(
            checkout_lines__checkout=checkout_or_variants
        ).select_related("product")
    return {variant.pk: variant_label(variant) for variant in variants}


def variant_label(variant) -> str:
    if variant.name and variant.name != variant.product.name:
        return f"{variant.product.name} ({variant.name})"
    return variant.product.name


def parse_quantity(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
