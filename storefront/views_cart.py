"""The cart pages of the web shop: add, change and show the session's cart. Every change is a
step of the checkout domain (backend.checkout.create and .lines, as the API's checkoutCreate and
checkoutLines… mutations), inside one transaction: a refused change leaves the cart as it was."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.checkout.calculations import checkout_subtotal
from backend.checkout.create import create_checkout
from backend.checkout.fetch import checkout_info
from backend.checkout.lines import LineChange, LineInput, add_lines, update_lines
from backend.checkout.models import Checkout
from backend.product.models import ProductMedia, ProductMediaType, ProductVariant
from backend.warehouse.availability import available_quantities
from storefront import catalog
from storefront.session_cart import (
    SESSION_KEY,
    error_messages,
    parse_quantity,
    session_checkout,
    session_user,
    variant_label,
    variant_names,
)


@require_POST
def cart_add(request):
    """Add a variant to the cart and hold its stock; the first add opens the cart as
    checkoutCreate would, in the shop's channel and the language the buyer reads. "Buy now"
    (`buy_now` in the form) goes on to the checkout."""
    channel = catalog.current_channel()
    variant = (
        ProductVariant.objects.select_related("product")
        .filter(pk=parse_quantity(request.POST.get("variant")))
        .first()
    )
    if channel is None or variant is None:
        raise Http404
    back = redirect("storefront:product", variant.product.slug)
    quantity = parse_quantity(request.POST.get("quantity"))
    user = session_user(request)
    try:
        with transaction.atomic():
            if quantity is None:
                raise ValidationError(_("Enter a quantity."), code="invalid")
            items = [LineInput(variant=variant, quantity=quantity)]
            checkout = session_checkout(request, lock=True)
            if checkout is None:
                checkout = create_checkout(
                    channel, user=user, lines=items, language_code=request.LANGUAGE_CODE
                )
            else:
                add_lines(checkout, items, user=user)
    except ValidationError as error:
        for message in error_messages(error, variant_names([variant])):
            messages.error(request, message)
        return back
    request.session[SESSION_KEY] = str(checkout.pk)
    messages.success(
        request,
        _("Added %(quantity)d × %(product)s to your cart.")
        % {"quantity": quantity, "product": variant_label(variant)},
    )
    return redirect("storefront:checkout" if "buy_now" in request.POST else "storefront:cart")


@require_POST
def cart_update(request):
    """Set a line's quantity (0 removes it), as checkoutLinesUpdate does."""
    line_id, quantity = request.POST.get("line"), parse_quantity(request.POST.get("quantity"))
    if "remove" in request.POST:
        quantity = 0
    try:
        with transaction.atomic():
            checkout = session_checkout(request, lock=True)
            line = _cart_line(checkout, line_id)
            if quantity is None:
                raise ValidationError(_("Enter a quantity."), code="invalid")
            change = LineChange(line_id=line.pk, quantity=quantity)
            update_lines(checkout, [change], user=session_user(request))
    except ValidationError as error:
        for message in error_messages(error, variant_names(checkout)):
            messages.error(request, message)
    else:
        messages.success(request, _("Your cart was updated."))
    return redirect("storefront:cart")


def _cart_line(checkout, line_id):
    """The line of the buyer's own cart, or 404 (a stale form or someone else's line)."""
    if checkout is None:
        raise Http404
    try:
        line = checkout.lines.filter(pk=line_id).first()
    except ValidationError:
        line = None
    if line is None:
        raise Http404
    return line


@dataclass
class CartLine:
    info: object
    image: ProductMedia | None
    available: int | None  # units the buyer can have when fewer than the line asks for


@dataclass
class Cart:
    checkout: Checkout | None
    info: object = None
    lines: list = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return checkout_subtotal(self.info) if self.info else 0

    @property
    def has_problems(self) -> bool:
        return any(line.available is not None for line in self.lines)


def load_cart(checkout) -> Cart:
    """The cart's lines with prices, first image and a stock warning; a fixed number of
    queries whatever the number of lines."""
    if checkout is None:
        return Cart(checkout=None)
    info = checkout_info(checkout)
    products = [line.product for line in info.lines]
    prefetch_related_objects(
        products,
        Prefetch(
            "media",
            queryset=ProductMedia.objects.filter(type=ProductMediaType.IMAGE),
            to_attr="images",
        ),
    )
    tracked = list({line.variant.pk for line in info.lines if line.variant.track_inventory})
    free = (
        available_quantities(
            tracked,
            checkout.channel,
            collection_point=checkout.collection_point,
            exclude_holder=checkout.stock_holder,
        )
        if tracked
        else {}
    )
    lines = []
    for line in info.lines:
        available = free.get(line.variant.pk)
        short = available is not None and available < line.line.quantity
        lines.append(
            CartLine(
                info=line,
                image=next(iter(line.product.images), None),
                available=available if short else None,
            )
        )
    return Cart(checkout=checkout, info=info, lines=lines)


@require_GET
def cart(request):
    return render(
        request,
        "storefront/cart.html",
        {
            "cart": load_cart(session_checkout(request)),
            "max_quantity": settings.MAX_CHECKOUT_LINE_QUANTITY,
        },
    )
