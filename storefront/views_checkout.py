"""Checkout and order confirmation of the web shop.

A thin layer over the checkout domain: totals come from backend.checkout.calculations,
deliveries from backend.shipping.services. The checkout page previews deliveries and totals on an
unsaved copy of the buyer's choices; only "Place order" writes, through the same steps the API's
mutations take (backend.checkout.contact, .promo, .delivery, then complete_checkout), so it is
refused for the same reasons with the same errors.

What only the shop does, being one form: it asks for the contact and address fields the API
leaves to the storefront (the address is both the shipping and the billing address), preselects
the cheapest shipping method on screen (never a pick-up point; the API preselects nothing), and
starts the chosen paid-later payment itself, as a storefront calls transactionInitialize.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.account.addresses import VN, find_province, vietnam_provinces
from backend.account.models import Address
from backend.checkout.calculations import (
    checkout_discount,
    checkout_shipping_price,
    checkout_subtotal,
    checkout_total,
    is_shipping_required,
)
from backend.checkout.complete_checkout import complete_checkout
from backend.checkout.contact import (
    clean_email,
    set_billing_address,
    set_email,
    set_shipping_address,
)
from backend.checkout.delivery import set_delivery
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.fetch import checkout_info, fetch_checkout_info
from backend.checkout.promo import apply_promo_code, remove_promo_code
from backend.discount.services import validate_voucher_for_checkout
from backend.order.handover import order_handover, warehouse_address
from backend.order.models import Order
from backend.payment import gateways
from backend.payment import services as payment_services
from backend.shipping.services import applicable_shipping_methods, collection_points
from storefront.session_cart import (
    SESSION_KEY,
    error_messages,
    session_checkout,
    session_user,
    variant_names,
)

FORM_FIELDS = (
    "email",
    "full_name",
    "phone",
    "province",
    "ward",
    "street",
    "delivery",
    "gateway",
    "promo_code",
)
# Domain error fields shown next to a form field.
ERROR_FIELDS = {
    "email": "email",
    "phone": "phone",
    "first_name": "full_name",
    "last_name": "full_name",
    "street_address_1": "street",
    "city": "ward",
    "country_area": "province",
    "delivery_method_id": "delivery",
    "delivery_method": "delivery",
    "shipping_method": "delivery",
    "promo_code": "promo_code",
}


def split_name(full_name: str) -> tuple[str, str]:
    """(first name, last name) of a Vietnamese full name: the family name comes first."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip(), ""
    return " ".join(parts[1:]), parts[0]


def _initial_form(checkout, user=None) -> dict:
    """The buyer's choices so far; a signed-in buyer starts from their email and default
    delivery address."""
    form = dict.fromkeys(FORM_FIELDS, "")
    form["email"] = checkout.email or (user.email if user else "")
    form["promo_code"] = checkout.voucher_code or ""
    address = checkout.shipping_address or (user.default_shipping_address if user else None)
    if address is not None:
        form["full_name"] = f"{address.last_name} {address.first_name}".strip()
        form["phone"] = address.phone.replace("+84", "0", 1) if address.phone else ""
        form["street"] = address.street_address_1
        province = find_province(address.country_area)
        if province is not None:
            form["province"] = province.code
            ward = province.find_ward(address.city)
            form["ward"] = ward.code if ward else ""
    if checkout.collection_point_id:
        form["delivery"] = f"pickup:{checkout.collection_point_id}"
    elif checkout.shipping_method_id:
        form["delivery"] = f"shipping:{checkout.shipping_method_id}"
    return form


def _posted_form(request) -> dict:
    return {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}


def _province(code):
    return next((p for p in vietnam_provinces() if p.code == code), None) if code else None


def _payment_gateways(channel):
    """The channel's gateways a buyer can use without leaving the shop (cash, bank transfer)."""
    return [gateway for gateway in gateways.list_payment_gateways(channel) if gateway.paid_later]


@dataclass
class Delivery:
    value: str
    name: str
    price: int
    detail: str = ""


def delivery_options(info) -> list[Delivery]:
    """Shipping methods for the checkout's (possibly unsaved) address, then pick-up points."""
    options = []
    for method, listing in applicable_shipping_methods(info):
        detail = ""
        if method.minimum_delivery_days and method.maximum_delivery_days:
            detail = _("%(min)d–%(max)d days") % {
                "min": method.minimum_delivery_days,
                "max": method.maximum_delivery_days,
            }
        options.append(Delivery(f"shipping:{method.pk}", method.name, listing.price_amount, detail))
    for warehouse in collection_points(info):
        name = _("Pick up at %(place)s") % {"place": warehouse.name}
        if warehouse.province:
            name = _("%(option)s (%(province)s)") % {
                "option": name,
                "province": warehouse.province.name,
            }
        options.append(Delivery(f"pickup:{warehouse.pk}", name, 0, warehouse_address(warehouse)))
    return options


def preview(checkout, form, user) -> dict:
    """Deliveries, totals and promo-code errors for the choices in `form`, computed by the
    domain on the checkout with those choices set in memory only (nothing is saved)."""
    province = _province(form["province"])
    if province is not None:
        checkout.shipping_address = Address(country=VN, country_area=province.name)
    info = fetch_checkout_info(checkout)
    options = delivery_options(info)
    if form["delivery"] not in {option.value for option in options}:
        # Nothing chosen yet, or a choice that does not serve the new province: the cheapest
        # shipping. A pick-up point is only ever the buyer's own choice.
        shipping = [option for option in options if option.value.startswith("shipping:")]
        form["delivery"] = shipping[0].value if shipping else ""
    kind, _sep, pk = form["delivery"].partition(":")
    checkout.shipping_method_id = int(pk) if kind == "shipping" else None
    checkout.collection_point_id = int(pk) if kind == "pickup" else None
    errors = {}
    checkout.voucher_code = None
    if form["promo_code"]:
        try:
            voucher = validate_voucher_for_checkout(form["promo_code"], info, user=user)
        except ValidationError as error:
            errors["promo_code"] = error_messages(error)
        else:
            checkout.voucher_code = voucher.code
    return {
        "info": info,
        "options": options,
        "errors": errors,
        "shipping_required": is_shipping_required(info),
        "totals": {
            "subtotal": checkout_subtotal(info),
            "discount": checkout_discount(info),
            "shipping": checkout_shipping_price(info),
            "total": checkout_total(info),
        },
    }


def _render_checkout(request, checkout, form, errors=None, status=200):
    view = preview(checkout, form, session_user(request))
    errors = {**view.pop("errors"), **(errors or {})}
    province = _province(form["province"])
    return render(
        request,
        "storefront/checkout.html",
        {
            **view,
            "checkout": checkout,
            "form": form,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "provinces": vietnam_provinces(),
            "wards": province.wards if province else (),
            "payment_gateways": _payment_gateways(checkout.channel),
        },
        status=status,
    )


def checkout_page(request):
    """GET shows the form; POST `place` places the order, any other POST re-renders the form
    for the posted province (the no-JavaScript way to load its wards and deliveries)."""
    if request.method == "POST" and request.POST.get("action") == "place":
        return _place_order(request)
    checkout = session_checkout(request)
    if checkout is None or not checkout.lines.exists():
        return redirect("storefront:cart")
    if request.method == "POST":
        form = _posted_form(request)
    else:
        form = _initial_form(checkout, session_user(request))
    if not form["gateway"]:
        available = _payment_gateways(checkout.channel)
        form["gateway"] = available[0].id if available else ""
    return _render_checkout(request, checkout, form)


def _form_errors(form, gateway_ids) -> dict:
    """What the form itself requires before the domain is asked."""
    errors = {}
    try:
        clean_email(form["email"])
    except ValidationError as error:
        errors["email"] = error_messages(error)
    required = {
        "full_name": _("Enter your full name."),
        "phone": _("Enter a phone number the courier can call."),
        "province": _("Choose a province or city."),
        "ward": _("Choose a ward or commune."),
        "street": _("Enter the house number and street."),
    }
    for name, message in required.items():
        if not form[name]:
            errors[name] = [message]
    if form["gateway"] not in gateway_ids:
        errors["gateway"] = [_("Choose how to pay.")]
    return errors


def _domain_errors(error: ValidationError, names) -> dict:
    errors = {}
    if hasattr(error, "error_dict"):
        for name, items in error.error_dict.items():
            target = ERROR_FIELDS.get(name, "__all__")
            errors.setdefault(target, []).extend(error_messages(ValidationError(items), names))
    else:
        errors["__all__"] = error_messages(error, names)
    return errors


def _place_order(request):
    checkout = session_checkout(request)
    if checkout is None:
        return redirect("storefront:cart")
    form = _posted_form(request)
    gateway_by_id = {gateway.id: gateway for gateway in _payment_gateways(checkout.channel)}
    errors = _form_errors(form, gateway_by_id)
    if errors:
        return _render_checkout(request, checkout, form, errors, status=400)
    names = variant_names(checkout)
    try:
        with transaction.atomic():
            order = _complete(request, form, gateway_by_id[form["gateway"]])
    except ValidationError as error:
        checkout = session_checkout(request)
        if checkout is None:
            return redirect("storefront:cart")
        return _render_checkout(request, checkout, form, _domain_errors(error, names), status=400)
    del request.session[SESSION_KEY]
    return redirect("storefront:order", order.token)


def _complete(request, form, gateway) -> Order:
    """Save the buyer's choices through the checkout's steps, start the payment and turn the
    checkout into an order; the caller's transaction undoes all of it on any error."""
    user = session_user(request)
    checkout = session_checkout(request, lock=True)
    if checkout is None:
        raise ValidationError(_("Your cart is empty."), code=CheckoutErrorCode.NO_LINES.value)
    set_email(checkout, form["email"])
    first_name, last_name = split_name(form["full_name"])
    address = {
        "first_name": first_name,
        "last_name": last_name,
        "street_address_1": form["street"],
        "city": form["ward"],
        "country_area": form["province"],
        "country": VN,
        "phone": form["phone"],
    }
    shipping_required = is_shipping_required(checkout_info(checkout))
    if shipping_required:
        set_shipping_address(checkout, address)
    set_billing_address(checkout, address)
    if form["promo_code"]:
        apply_promo_code(checkout, form["promo_code"], user=user)
    else:
        remove_promo_code(checkout, checkout.voucher_code)
    if shipping_required:
        method, point = _chosen_delivery(form["delivery"])
        set_delivery(checkout, shipping_method=method, collection_point=point)
    total = checkout_total(fetch_checkout_info(checkout))
    if total > 0:
        _start_payment(request, checkout, gateway, total)
    return complete_checkout(checkout, user=user)


def _chosen_delivery(value):
    """The shipping method or pick-up point named by the form (as the API's delivery method id);
    set_delivery judges whether it applies."""
    from backend.shipping.models import ShippingMethod
    from backend.warehouse.models import Warehouse

    kind, _sep, pk = value.partition(":")
    model = {"shipping": ShippingMethod, "pickup": Warehouse}.get(kind)
    found = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
    if found is None:
        raise ValidationError(
            {
                "delivery_method_id": ValidationError(
                    _("Choose how to receive your order."),
                    code=CheckoutErrorCode.SHIPPING_METHOD_NOT_SET.value,
                )
            }
        )
    return (found, None) if kind == "shipping" else (None, found)


def _start_payment(request, checkout, gateway, amount) -> None:
    """Record the payment the buyer chose, as transactionInitialize does."""
    tx = payment_services.create_transaction(
        gateway_id=gateway.id,
        currency=checkout.currency,
        checkout=checkout,
        user=request.user,
        name=str(gateway.name),
    )
    try:
        payment_services.start_transaction(
            tx,
            gateway,
            action="CHARGE",
            amount=amount,
            data=None,
            customer_ip=request.META.get("REMOTE_ADDR"),
        )
    except gateways.GatewayError as error:
        raise ValidationError(error.message, code=error.code) from error


@require_GET
def checkout_options(request):
    """Wards of the chosen province, and the deliveries and totals for the form's choices, for
    the checkout page's script (the same as a reload of the page would show)."""
    form = {name: request.GET.get(name, "").strip() for name in FORM_FIELDS}
    province = _province(form["province"])
    payload = {
        "wards": [{"code": w.code, "name": w.name} for w in province.wards] if province else []
    }
    checkout = session_checkout(request)
    if checkout is not None:
        view = preview(checkout, form, session_user(request))
        context = {**view, "checkout": checkout, "form": form}
        payload["deliveries"] = render_to_string(
            "storefront/_checkout_delivery.html", context, request=request
        )
        payload["summary"] = render_to_string(
            "storefront/_checkout_summary.html", context, request=request
        )
    return JsonResponse(payload)


ORDER_PAGE_RELATED = ("shipping_address", "billing_address", "collection_point__province")


def order_page_context(found: Order) -> dict:
    """What the order page's parts (storefront/_order_*.html) show: how it is handed over and
    paid, with the bank transfer's details for VietQR. Shared by the guest page (by token) and
    the account's order page."""
    transfer = None
    if found.payment_gateway == gateways.VIETQR:
        tx = (
            found.payment_transactions.filter(gateway=gateways.VIETQR)
            .order_by("-created_at")
            .first()
        )
        transfer = (tx.private_metadata.get("initialize_data") if tx else None) or None
    return {
        "order": found,
        "handover": order_handover(found),
        "transfer": transfer,
        "gateway": gateways.get_gateway(found.payment_gateway),
        "is_vietqr": found.payment_gateway == gateways.VIETQR,
    }


@require_GET
def order(request, token):
    """The order's page, addressed by its token (backend.order.access): the buyer is sent there
    on placing it and by the email link; without the token there is no page (404). A buyer
    not signed in is offered an account for the order's email."""
    found = get_object_or_404(
        Order.objects.select_related(*ORDER_PAGE_RELATED).prefetch_related("lines", "fulfillments"),
        token=token,
    )
    return render(request, "storefront/order.html", order_page_context(found))
