"""A product's stock in the producer's own warehouses: set absolute quantities (never below
what orders already hold) and read the history of every change with who made it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backend.product.overview import stock_history, stock_table
from backend.product.services import update_variant_stocks
from backend.warehouse.models import Warehouse
from storefront.portal.access import member_required
from storefront.portal.forms_products import StockForm
from storefront.portal.views_products import scoped_product

HISTORY_PER_PAGE = 30


@member_required
def stock(request, pk):
    product = scoped_product(request, pk)
    variants = list(product.variants.order_by("sort_order", "pk"))
    warehouses = list(request.portal.scope.filter(Warehouse.objects.all()).order_by("name", "pk"))
    rows = stock_table(variants, warehouses)
    form = StockForm(request.POST if request.method == "POST" else None, rows=rows)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    for variant, stocks in form.changes():
                        variant.product = product
                        try:
                            update_variant_stocks(variant, stocks, scope=request.portal.scope)
                        except ValidationError as error:
                            index = _error_index(error)
                            warehouse = stocks[index][0] if index is not None else None
                            field = StockForm.field_name(variant, warehouse) if warehouse else None
                            raise ValidationError({field: error.messages}) from error
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Stock saved."))
                return redirect("portal:product_stock", pk=product.pk)
        status = 400
    page = _page_number(request)
    history = stock_history(product, HISTORY_PER_PAGE + 1, (page - 1) * HISTORY_PER_PAGE)
    return render(
        request,
        "portal/product_stock.html",
        {
            "product": product,
            "form": form,
            "rows": rows,
            "warehouses": warehouses,
            "history": history[:HISTORY_PER_PAGE],
            "page": page,
            "has_next": len(history) > HISTORY_PER_PAGE,
        },
        status=status,
    )


def _error_index(error: ValidationError):
    for errors in getattr(error, "error_dict", {}).values():
        for item in errors:
            if item.params and "index" in item.params:
                return item.params["index"]
    return None


def _page_number(request) -> int:
    value = request.GET.get("trang", "1")
    return max(int(value), 1) if value.isdigit() else 1
