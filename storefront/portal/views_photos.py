"""A product's photos: upload from the phone's camera, move up or down, delete. Uploads go
through backend.product.services.create_product_media (checked, upright, resized, without
EXIF/GPS); a refused file changes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backend.product.models import ProductMedia
from backend.product.photos import validate_photo
from backend.product.services import (
    create_product_media,
    delete_product_media,
    reorder_product_media,
)
from storefront.portal.access import member_required
from storefront.portal.forms_products import PhotoUploadForm, add_service_errors
from storefront.portal.views_products import photo_thumbnail, post_only, scoped_product

PHOTO_FIELD_MAP = {"image": "images", "mediaUrl": "images", "input": "images", "productId": None}


def _photos(product) -> list:
    media = list(product.media.order_by("sort_order", "pk"))
    for item in media:
        item.thumbnail = photo_thumbnail(item, 256)
    return media


@member_required
def photos(request, pk):
    product = scoped_product(request, pk)
    form = (
        PhotoUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else PhotoUploadForm()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploads = form.cleaned_data["images"]
            alt = form.cleaned_data["alt"].strip()
            try:
                for upload in uploads:  # every file is checked before any is stored
                    validate_photo(upload)
                with transaction.atomic():
                    for upload in uploads:
                        create_product_media(
                            product, image=upload, alt=alt, scope=request.portal.scope
                        )
            except ValidationError as error:
                add_service_errors(form, error, PHOTO_FIELD_MAP)
            else:
                messages.success(request, _("%(count)d photo(s) added.") % {"count": len(uploads)})
                return redirect("portal:product_photos", pk=product.pk)
        status = 400
    return render(
        request,
        "portal/product_photos.html",
        {"product": product, "form": form, "photos": _photos(product)},
        status=status,
    )


def _scoped_media(request, pk, media_pk):
    product = scoped_product(request, pk)
    media = get_object_or_404(ProductMedia.objects.filter(product=product), pk=media_pk)
    media.product = product
    return product, media


@member_required
def photo_move(request, pk, media_pk):
    product, media = _scoped_media(request, pk, media_pk)
    if response := post_only(request):
        return response
    order = list(product.media.order_by("sort_order", "pk").values_list("pk", flat=True))
    index = order.index(media.pk)
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        with transaction.atomic():
            reorder_product_media(product, order, scope=request.portal.scope)
    return redirect("portal:product_photos", pk=product.pk)


@member_required
def photo_delete(request, pk, media_pk):
    product, media = _scoped_media(request, pk, media_pk)
    if request.method == "POST":
        with transaction.atomic():
            delete_product_media(media, scope=request.portal.scope)
        messages.success(request, _("Photo deleted."))
        return redirect("portal:product_photos", pk=product.pk)
    return render(
        request,
        "portal/product_confirm.html",
        {
            "product": product,
            "title": _("Delete this photo?"),
            "thumbnail": photo_thumbnail(media, 256),
            "cancel_url": reverse("portal:product_photos", args=[product.pk]),
            "confirm_label": _("Delete photo"),
        },
    )
