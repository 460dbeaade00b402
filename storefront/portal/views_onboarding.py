"""The owner completes or edits the producer's profile: legal form, tax code, province and
ward, address, story, phone, and photos. Rules: backend.ocop.onboarding."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.ocop import onboarding
from backend.ocop.models import ProducerPhoto, ProducerType, Province
from storefront.portal.access import member_required

FIELDS = ("legal_type", "tax_code", "province", "ward", "address", "story", "phone")


def _initial(producer) -> dict:
    values = {field: getattr(producer, field) for field in FIELDS if field != "province"}
    values["province"] = str(producer.province_id or "")
    return values


@member_required(owner=True)
def profile_edit(request):
    producer = request.portal.producer
    values, errors = _initial(producer), {}
    status = 200
    if request.method == "POST":
        values = {field: request.POST.get(field, "").strip() for field in FIELDS}
        if request.POST.get("action") == "province":
            values["ward"] = ""  # a new province: choose its ward
        else:
            try:
                change = onboarding.update_profile(producer, request.user, values)
            except ValidationError as error:
                errors, status = error.message_dict, 400
            else:
                if change.back_to_pending:
                    messages.warning(
                        request,
                        _(
                            "The legal form or tax code changed: the OCOP office will verify "
                            "your business again before new products can go on sale."
                        ),
                    )
                messages.success(request, _("Profile saved."))
                return redirect("portal:profile")
    province_id = str(values["province"])
    province = Province.objects.filter(pk=province_id).first() if province_id.isdigit() else None
    context = {
        "producer": producer,
        "values": values,
        "errors": errors,
        "legal_types": ProducerType.choices,
        "provinces": Province.objects.order_by("name"),
        "wards": onboarding.wards_of(province),
        "photos": ProducerPhoto.objects.filter(producer=producer),
        "max_photos": onboarding.MAX_PHOTOS,
    }
    return render(request, "portal/profile_edit.html", context, status=status)


@require_POST
@member_required(owner=True)
def profile_photo_add(request):
    try:
        onboarding.add_photo(
            request.portal.producer,
            request.user,
            request.FILES.get("image"),
            request.POST.get("alt", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Photo added."))
    return redirect("portal:profile_edit")


@require_POST
@member_required(owner=True)
def profile_photo_delete(request, pk):
    try:
        onboarding.delete_photo(request.portal.producer, request.user, pk)
    except ValidationError as error:
        raise Http404 from error
    messages.success(request, _("Photo removed."))
    return redirect("portal:profile_edit")
