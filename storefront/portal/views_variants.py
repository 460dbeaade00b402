"""A product's variants: name, SKU, weight and a price per sales channel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backend.product.editing import set_variant_prices
from backend.product.models import ProductVariant
from backend.product.services import create_variant, delete_variant, update_variant
from storefront.portal.access import member_required
from storefront.portal.forms_products import VariantForm, add_service_errors
from storefront.portal.views_products import sales_channels, scoped_product

VARIANT_FIELD_MAP = {"weightGrams": "weight_grams", "id": None}


def _scoped_variant(request, pk, variant_pk):
    product = scoped_product(request, pk)
    variants = ProductVariant.objects.filter(product=product).prefetch_related("channel_listings")
    variant = get_object_or_404(variants, pk=variant_pk)
    variant.product = product
    return product, variant


def _save(request, product, variant, form):
    scope = request.portal.scope
    with transaction.atomic():
        if variant is None:
            variant = create_variant(product, form.variant_data(), scope=scope)
        else:
            variant = update_variant(variant, form.variant_data(), scope=scope)
        for channel, amount in form.prices():
            try:
                set_variant_prices(variant, [(channel, amount)], scope=scope)
            except ValidationError as error:
                raise ValidationError(
                    {f"price-{channel.slug}": [m for ms in error.message_dict.values() for m in ms]}
                ) from error
    return variant


def _posted(request):
    return request.POST if request.method == "POST" else None


@member_required
def variant_create(request, pk):
    product = scoped_product(request, pk)
    form = VariantForm(_posted(request), channels=sales_channels())
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, product, None, form)
        except ValidationError as error:
            add_service_errors(form, error, VARIANT_FIELD_MAP)
        else:
            messages.success(request, _("Variant added."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(
        request, "portal/product_variant.html", {"form": form, "product": product, "variant": None}
    )


@member_required
def variant_edit(request, pk, variant_pk):
    product, variant = _scoped_variant(request, pk, variant_pk)
    form = VariantForm(_posted(request), channels=sales_channels(), variant=variant)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, product, variant, form)
        except ValidationError as error:
            add_service_errors(form, error, VARIANT_FIELD_MAP)
        else:
            messages.success(request, _("Variant saved."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(
        request,
        "portal/product_variant.html",
        {"form": form, "product": product, "variant": variant},
    )


@member_required
def variant_delete(request, pk, variant_pk):
    product, variant = _scoped_variant(request, pk, variant_pk)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                delete_variant(variant, scope=request.portal.scope)
        except ValidationError as refused:
            error = " ".join(m for ms in refused.message_dict.values() for m in ms)
        else:
            messages.success(request, _("Variant deleted."))
            return redirect("portal:product_edit", pk=product.pk)
    return render(
        request,
        "portal/product_confirm.html",
        {
            "product": product,
            "title": _("Delete the variant “%(name)s”?") % {"name": variant.name or variant.sku},
            "error": error,
            "cancel_url": reverse("portal:product_edit", args=[product.pk]),
            "confirm_label": _("Delete variant"),
        },
        status=400 if error else 200,
    )
