"""The consumer shop: thin views over the catalog; visibility rules live in the domain."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from backend.product.reference import with_descendants
from backend.product.search import MAX_SEARCH_WORDS
from storefront import catalog

PRODUCTS_PER_PAGE = 24
NEWEST_ON_HOME = 12


def _page(request, products):
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = catalog.with_badges(page.object_list)
    return page


def home(request):
    if "email" in request.GET and "token" in request.GET:
        # Confirmation links sent before the shop had its own page pointed here.
        return redirect(f"{reverse('storefront:account_confirm')}?{request.GET.urlencode()}")
    channel = catalog.current_channel()
    newest = catalog.listed_products(channel).order_by("-created_at", "-pk")[:NEWEST_ON_HOME]
    return render(
        request,
        "storefront/home.html",
        {
            "groups": catalog.categories_in_active_language().filter(parent__isnull=True),
            "products": catalog.with_badges(newest),
        },
    )


def category(request, slug):
    category = get_object_or_404(
        catalog.categories_in_active_language().select_related("parent"), slug=slug
    )
    products = catalog.listed_products(catalog.current_channel()).filter(
        category_id__in=with_descendants([category.pk])
    )
    return render(
        request,
        "storefront/category.html",
        {
            "category": category,
            "subcategories": catalog.categories_in_active_language().filter(parent=category),
            "page": _page(request, products.order_by("name", "pk")),
        },
    )


def product(request, slug):
    channel = catalog.current_channel()
    found = catalog.product_for_page(request.user, channel, slug)
    if found is None:
        raise Http404
    return render(
        request,
        "storefront/product.html",
        {
            "product": catalog.with_badges([found])[0],
            "offers": catalog.variant_offers(found),
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()
    products = catalog.listed_products(catalog.current_channel())
    page, searched = None, None
    if query:
        matches, searched = catalog.search(products, query)
        page = _page(request, matches)
    return render(
        request,
        "storefront/search.html",
        {
            "query": query,
            "searched": searched,
            "max_words": MAX_SEARCH_WORDS,
            "page": page,
        },
    )
