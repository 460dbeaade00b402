"""The producer's products: a thin layer over backend.product.services, .editing and
.publication. Every product is looked up through the member's scope, so another producer's
product answers 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from backend.channel.models import Channel
from backend.core.ids import global_id
from backend.product.editing import (
    assign_product_attributes,
    description_from_text,
    description_text,
)
from backend.product.models import Product, ProductMedia, ProductMediaType
from backend.product.overview import product_summaries, unpublished_priced_channels
from backend.product.publication import (
    PublicationState,
    publication_states,
    submit_product,
    unpublish_product,
)
from backend.product.services import create_product, update_product
from backend.thumbnail.utils import thumbnail_url
from storefront.portal.access import member_required
from storefront.portal.forms_products import ProductForm, VariantForm, add_service_errors

PRODUCTS_PER_PAGE = 30
PRODUCT_FIELD_MAP = {
    "productType": "product_type",
    "weightGrams": "weight_grams",
    "isPublished": None,
    "slug": "name",
}


# --- Shared by the product, variant, photo and stock pages ----------------------------------


def scoped_product(request, pk):
    """The member's product `pk`, or 404 (another producer's product included)."""
    products = request.portal.scope.filter(
        Product.objects.select_related("product_type", "category", "producer__province")
    )
    return get_object_or_404(products, pk=pk)


def post_only(request):
    """405 for anything but POST; views call it after the lookup, so another producer's
    records answer 404 whatever the method."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def sales_channels() -> list:
    """Active channels, the shop's own first."""
    channels = Channel.objects.filter(is_active=True)
    return sorted(channels, key=lambda c: (c.slug != settings.DEFAULT_CHANNEL_SLUG, c.slug))


def photo_thumbnail(media, size=128) -> str:
    if media is None or not media.image:
        return ""
    return thumbnail_url(None, global_id("ProductMedia", media.pk), size, "webp")


def _images():
    return Prefetch(
        "media",
        queryset=ProductMedia.objects.filter(type=ProductMediaType.IMAGE).order_by(
            "sort_order", "pk"
        ),
        to_attr="images",
    )


# --- List -----------------------------------------------------------------------------------


@member_required
def product_list(request):
    products = (
        request.portal.scope.filter(Product.objects.all())
        .prefetch_related(_images())
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("trang"))
    items = list(page.object_list)
    states = publication_states(items)
    channel = next(iter(sales_channels()), None)
    summaries = product_summaries([product.pk for product in items], channel)
    rows = [
        {
            "product": product,
            "state": states[product.pk],
            "summary": summaries[product.pk],
            "thumbnail": photo_thumbnail(next(iter(product.images), None)),
        }
        for product in items
    ]
    return render(request, "portal/products.html", {"rows": rows, "page": page})


# --- Create and edit ------------------------------------------------------------------------


def _product_data(form, product=None) -> dict:
    data = form.cleaned_data
    changes = {
        "name": data["name"].strip(),
        "product_type": data["product_type"],
        "category": data["category"],
        "weight_grams": data["weight_grams"],
    }
    # An untouched description keeps its original blocks (headings, lists).
    if product is None or _lines(data["description"]) != _lines(
        description_text(product.description)
    ):
        changes["description"] = description_from_text(data["description"])
    return changes


def _lines(text: str) -> list:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _save(product, form, scope):
    if product is None:
        product = create_product(_product_data(form), scope=scope)
    else:
        product = update_product(product, _product_data(form, product), scope=scope)
    assign_product_attributes(product, form.attribute_values(), scope=scope)
    return product


@member_required
def product_create(request):
    form = ProductForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                product = _save(None, form, request.portal.scope)
        except ValidationError as error:
            add_service_errors(form, error, PRODUCT_FIELD_MAP)
        else:
            messages.success(request, _("Draft saved. Now add its variants and prices."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(request, "portal/product_form.html", {"form": form, "product": None})


@member_required
def product_edit(request, pk):
    product = scoped_product(request, pk)
    form = ProductForm(request.POST if request.method == "POST" else None, product=product)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            with transaction.atomic():
                product = _save(product, form, request.portal.scope)
                state = None
                if action == "publish":
                    state = submit_product(product, scope=request.portal.scope)
        except ValidationError as error:
            add_service_errors(form, error, PRODUCT_FIELD_MAP)
        else:
            if state == PublicationState.PUBLISHED:
                messages.success(request, _("The product is on sale in the shop."))
            elif state == PublicationState.SUBMITTED:
                messages.info(
                    request,
                    _(
                        "Submitted. The product goes on sale as soon as the OCOP office "
                        "has verified your business."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(request, "portal/product_form.html", _edit_context(request, product, form))


def _edit_context(request, product, form):
    channels = sales_channels()
    variants = list(
        product.variants.prefetch_related("channel_listings").order_by("sort_order", "pk")
    )
    for variant in variants:
        prices = {
            listing.channel_id: listing.price_amount for listing in variant.channel_listings.all()
        }
        variant.prices = [(channel, prices.get(channel.pk)) for channel in channels]
    images = list(product.media.filter(type=ProductMediaType.IMAGE).order_by("sort_order", "pk"))
    return {
        "form": form,
        "product": product,
        "state": publication_states([product])[product.pk],
        "pending_channels": unpublished_priced_channels(product),
        "variants": variants,
        "variant_form": VariantForm(channels=channels),
        "photo_count": len(images),
        "cover": photo_thumbnail(images[0] if images else None, 256),
        "verified": product.producer.verification_status == "verified",
    }


@member_required
def product_unpublish(request, pk):
    product = scoped_product(request, pk)
    if response := post_only(request):
        return response
    with transaction.atomic():
        unpublish_product(product, scope=request.portal.scope)
    messages.success(request, _("The product is no longer on sale."))
    return redirect("portal:product_edit", pk=product.pk)
