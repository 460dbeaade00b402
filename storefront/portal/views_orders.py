"""Orders containing the producer's products: the list, one order (only the producer's lines of
it), and packing and handing the lines to a carrier — a thin layer over
backend.order.producer_orders and backend.order.producer_fulfillment."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.order.handover import order_handover
from backend.order.models import Carrier
from backend.order.producer_fulfillment import (
    TRACKING_NUMBER_MAX,
    pack_producer_lines,
    ship_producer_lines,
)
from backend.order.producer_orders import (
    FILTER_STATES,
    find_producer_order,
    producer_order_rows,
    producer_orders,
    producer_shipments,
)
from storefront.portal.access import member_required

ORDERS_PER_PAGE = 20


class ShipForm(forms.Form):
    carrier = forms.ChoiceField(
        label=gettext_lazy("Carrier"),
        choices=[("", gettext_lazy("Choose the carrier")), *Carrier.choices],
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking code"), max_length=TRACKING_NUMBER_MAX
    )


@member_required
def order_list(request):
    state = request.GET.get("state", "")
    if state not in FILTER_STATES:
        state = ""
    scope = request.portal.scope
    page = Paginator(producer_orders(scope, state or None), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = producer_order_rows(scope, page.object_list)
    return render(
        request,
        "portal/orders.html",
        {"page": page, "rows": rows, "state": state, "states": FILTER_STATES},
    )


def _producer_order(request, number):
    found = find_producer_order(request.portal.scope, number)
    if found is None:
        raise Http404
    return found


def _detail(request, found, ship_form=None, status=200):
    return render(
        request,
        "portal/order.html",
        {
            "row": found,
            "order": found.order,
            "handover": order_handover(found.order),
            "shipments": producer_shipments(request.portal.scope, found.order),
            "ship_form": ship_form or ShipForm(),
        },
        status=status,
    )


@member_required
def order_detail(request, number):
    return _detail(request, _producer_order(request, number))


@require_POST
@member_required
def order_pack(request, number):
    found = _producer_order(request, number)
    try:
        pack_producer_lines(found.order, scope=request.portal.scope, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked as packed."))
    return redirect("portal:order", number=found.order.number)


@require_POST
@member_required
def order_ship(request, number):
    found = _producer_order(request, number)
    form = ShipForm(request.POST)
    if form.is_valid():
        try:
            ship_producer_lines(
                found.order,
                scope=request.portal.scope,
                user=request.user,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    target = field if field in form.fields else None
                    for item in errors:
                        form.add_error(target, item)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Handed to the carrier; the buyer was told by email."))
            return redirect("portal:order", number=found.order.number)
    return _detail(request, find_producer_order(request.portal.scope, number), form, status=400)
