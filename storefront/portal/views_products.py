"""The producer's products: a thin layer over backend.product.services and .publication."""

from django.shortcuts import render

from backend.product.models import Product
from backend.product.publication import publication_states
from storefront.portal.access import member_required


@member_required
def product_list(request):
    products = list(
        request.portal.scope.filter(Product.objects.all()).order_by("-updated_at", "pk")
    )
    states = publication_states(products)
    rows = [(product, states[product.pk]) for product in products]
    return render(request, "portal/products.html", {"rows": rows})
