"""The signed-in buyer's address book, through backend.account.services (create, update, delete,
set default). Vietnam's two tiers: the province, then one of its wards. Without JavaScript the
form is two steps (choosing the province lists its wards); address.js refreshes the ward list
from `address_wards`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.account import services
from backend.account.addresses import VN, find_province, vietnam_provinces
from storefront.views_account import field_errors
from storefront.views_checkout import split_name

SIGN_IN = "storefront:sign_in"
FORM_FIELDS = ("full_name", "phone", "province", "ward", "street")
# Service error fields shown next to a form field.
ERROR_FIELDS = {
    "first_name": "full_name",
    "last_name": "full_name",
    "phone": "phone",
    "country_area": "province",
    "city": "ward",
    "street_address_1": "street",
}
DEFAULT_TYPES = {"shipping": services.SHIPPING, "billing": services.BILLING}


def _province(code: str):
    return next((p for p in vietnam_provinces() if p.code == code), None) if code else None


def _form_from_address(address) -> dict:
    form = {
        "full_name": f"{address.last_name} {address.first_name}".strip(),
        "phone": address.phone.replace("+84", "0", 1) if address.phone else "",
        "street": address.street_address_1,
        "province": "",
        "ward": "",
    }
    province = find_province(address.country_area)
    if province is not None:
        form["province"] = province.code
        ward = province.find_ward(address.city)
        form["ward"] = ward.code if ward else ""
    return form


def _address_data(form: dict) -> dict:
    """The service's address fields; a ward code not of the province goes through as given, for
    the service to refuse by name."""
    province = _province(form["province"])
    ward = next((w for w in province.wards if w.code == form["ward"]), None) if province else None
    first_name, last_name = split_name(form["full_name"])
    return {
        "first_name": first_name,
        "last_name": last_name,
        "phone": form["phone"],
        "street_address_1": form["street"],
        "city": ward.name if ward else form["ward"],
        "country_area": province.name if province else form["province"],
        "country": VN,
    }


def _errors(error: ValidationError) -> dict:
    errors: dict[str, list[str]] = {}
    for field, messages_ in field_errors(error).items():
        errors.setdefault(ERROR_FIELDS.get(field, "general"), []).extend(messages_)
    return errors


def _render_form(request, form, address=None, errors=None):
    province = _province(form["province"])
    return render(
        request,
        "storefront/account/address_form.html",
        {
            "form": form,
            "address": address,
            "errors": errors or {},
            "provinces": vietnam_provinces(),
            "wards": province.wards if province else (),
        },
        status=400 if errors else 200,
    )


def _save(request, form, address=None):
    """Validate and save through the service; nothing is saved on any error. A POST with
    `action=refresh` only lists the chosen province's wards (the form's step without JS)."""
    if request.POST.get("action") == "refresh":
        return _render_form(request, form, address)
    errors = {}
    if not form["full_name"]:
        errors["full_name"] = [_("This field is required.")]
    if not form["phone"]:
        errors["phone"] = [_("This field is required.")]
    if errors:
        return _render_form(request, form, address, errors)
    try:
        if address is None:
            created = services.create_address(request.user, _address_data(form))
            if request.user.default_shipping_address_id is None:
                services.set_default_address(request.user, created, services.SHIPPING)
            if request.user.default_billing_address_id is None:
                services.set_default_address(request.user, created, services.BILLING)
        else:
            services.update_address(request.user, address.pk, _address_data(form))
    except ValidationError as error:
        return _render_form(request, form, address, _errors(error))
    messages.success(request, _("The address is saved."))
    return redirect("storefront:addresses")


def _own_address(request, pk):
    try:
        return services.get_own_address(request.user, pk)
    except ValidationError:
        raise Http404 from None


@require_GET
@login_required(login_url=SIGN_IN)
def addresses(request):
    user = request.user
    return render(
        request,
        "storefront/account/addresses.html",
        {
            "addresses": user.addresses.order_by("pk"),
            "default_shipping_id": user.default_shipping_address_id,
            "default_billing_id": user.default_billing_address_id,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required(login_url=SIGN_IN)
def address_add(request):
    if request.method == "GET":
        return _render_form(request, dict.fromkeys(FORM_FIELDS, ""))
    return _save(request, {name: request.POST.get(name, "").strip() for name in FORM_FIELDS})


@require_http_methods(["GET", "POST"])
@login_required(login_url=SIGN_IN)
def address_edit(request, pk):
    address = _own_address(request, pk)
    if request.method == "GET":
        return _render_form(request, _form_from_address(address), address)
    form = {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}
    return _save(request, form, address)


@require_POST
@login_required(login_url=SIGN_IN)
def address_delete(request, pk):
    address = _own_address(request, pk)
    services.delete_address(request.user, address.pk)
    messages.success(request, _("The address is deleted."))
    return redirect("storefront:addresses")


@require_POST
@login_required(login_url=SIGN_IN)
def address_default(request, pk):
    address = _own_address(request, pk)
    address_type = DEFAULT_TYPES.get(request.POST.get("type", ""))
    if address_type is None:
        raise Http404
    services.set_default_address(request.user, address, address_type)
    messages.success(request, _("The default address is changed."))
    return redirect("storefront:addresses")


@require_GET
def address_wards(request):
    """The wards of a province (`?province=<code>`) for address.js: [{code, name}, ...]."""
    province = _province(request.GET.get("province", ""))
    wards = [{"code": w.code, "name": w.name} for w in province.wards] if province else []
    response = JsonResponse({"wards": wards})
    response["Cache-Control"] = "public, max-age=86400"
    return response
