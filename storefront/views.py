"""The consumer shop: thin views over the catalog; visibility rules and the catalogue query live
in the domain."""

from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from backend.livestream.models import EventStatus, LiveEvent
from backend.ocop.places import former_province_in_search
from backend.product.catalogue.facets import CatalogueFacets
from backend.product.catalogue.filters import ProductFilter
from backend.product.catalogue.query import CatalogueQuery
from backend.product.reference import category_tree, counts_by_root
from backend.product.search import MAX_SEARCH_WORDS, query_words
from storefront import catalog
from storefront.listing import product_listing
from storefront.product_page import product_page

NEWEST_ON_HOME = 12
PROVINCES_ON_HOME = 8  # the provinces with most products


def home(request):
    if "email" in request.GET and "token" in request.GET:
        # Confirmation links sent before the shop had its own page pointed here.
        return redirect(f"{reverse('storefront:account_confirm')}?{request.GET.urlencode()}")
    channel = catalog.current_channel()
    facets = CatalogueFacets(CatalogueQuery(channel))
    group_counts = counts_by_root({facet.id: facet.count for facet in facets.categories()})
    groups = list(catalog.categories_in_active_language().filter(parent__isnull=True))
    for group in groups:
        group.product_count = group_counts.get(group.pk, 0)
    return render(
        request,
        "storefront/home.html",
        {
            "groups": groups,
            "provinces": facets.provinces()[:PROVINCES_ON_HOME],
            "products": catalog.newest(channel, NEWEST_ON_HOME),
        },
    )


def products(request):
    """Every listed product, filtered and sorted as the address says."""
    return render(
        request,
        "storefront/products.html",
        product_listing(request, catalog.current_channel()),
    )


def category(request, slug):
    tree = category_tree()
    category = next((found for found in tree.by_id.values() if found.slug == slug), None)
    if category is None:
        raise Http404
    parent = tree.by_id.get(category.parent_id)
    children = tree.children.get(category.pk, [])
    shown = [category, *([parent] if parent else []), *children]
    names = catalog.category_names({each.pk: each.name for each in shown})
    return render(
        request,
        "storefront/category.html",
        {
            "category": {"slug": category.slug, "name": names[category.pk]},
            "parent": parent and {"slug": parent.slug, "name": names[parent.pk]},
            "subcategories": [{"slug": child.slug, "name": names[child.pk]} for child in children],
            **product_listing(
                request,
                catalog.current_channel(),
                within=ProductFilter(category_trees=(category.pk,)),
            ),
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
        {**product_page(request, channel, found), "live_event": livestream_of(found)},
    )


def livestream_of(product):
    """The event selling `product` live now, else its next scheduled one; None without."""
    return (
        LiveEvent.objects.filter(
            offers__variant__product=product,
            status__in=(EventStatus.LIVE, EventStatus.SCHEDULED),
            stream_hidden=False,
        )
        .annotate(live_first=Case(When(status=EventStatus.LIVE, then=Value(0)), default=Value(1)))
        .order_by("live_first", "scheduled_start", "pk")
        .only("slug", "title", "status", "scheduled_start")
        .first()
    )


def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "max_words": MAX_SEARCH_WORDS}
    if query:
        context.update(product_listing(request, catalog.current_channel(), search=query))
        # "Nam Định" names a province that is now part of Ninh Bình: say so, and link there.
        context["former_province"] = former_province_in_search(query_words(query)[0])
    return render(request, "storefront/search.html", context)
