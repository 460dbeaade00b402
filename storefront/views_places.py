"""Browsing by place: the provinces page (a map and a list by region), a province's page (its
products, producers and points of sale) and a producer's page. The queries are the OCOP domain's
(backend/ocop/places.py) and the catalogue's (storefront/listing.py)."""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from backend.ocop import places
from backend.ocop.models import Province
from backend.ocop.province_map import province_map
from backend.product.catalogue.filters import ProductFilter
from storefront import catalog
from storefront.listing import product_listing


@dataclass(frozen=True)
class MapArea:
    """A province's shape on the map, with what its link says."""

    d: str
    labels: list
    province: Province
    count: int


def _listing_in_one_province(request, channel, within: ProductFilter) -> dict:
    """The listing of a scope that lies in one province: no province filter to offer."""
    return {**product_listing(request, channel, within=within), "provinces": []}


def provinces(request):
    channel = catalog.current_channel()
    counts = places.product_counts(channel) if channel is not None else {}
    regions = places.provinces_by_region(counts)
    by_code = {entry.province.code: entry for region in regions for entry in region.provinces}
    shape = province_map()
    labels: dict[str, list] = {}
    for label in shape.labels:  # the archipelagos, named on their province's link
        labels.setdefault(label.code, []).append(label)
    areas = [
        MapArea(
            unit.d, labels.get(unit.code, []), by_code[unit.code].province, by_code[unit.code].count
        )
        for unit in shape.units
        if unit.code in by_code
    ]
    return render(
        request,
        "storefront/provinces.html",
        {"regions": regions, "map_view_box": shape.view_box, "map_areas": areas},
    )


def province(request, slug):
    found = Province.objects.filter(slug=slug).first()
    if found is None:
        named = places.province_named(slug)
        if named is None:
            raise Http404
        target, former = named
        url = reverse("storefront:province", args=[target.slug])
        return redirect(f"{url}?tu={former.slug}" if former else url, permanent=True)
    channel = catalog.current_channel()
    return render(
        request,
        "storefront/province.html",
        {
            "province": found,
            "former": places.former_of(found, request.GET.get("tu")),
            "former_names": places.former_names(found),
            "producers": places.verified_producers(found, channel),
            "points_of_sale": places.points_of_sale(found, channel),
            **_listing_in_one_province(request, channel, ProductFilter(province_ids=(found.pk,))),
        },
    )


def producer(request, slug):
    found = places.public_producer(slug)
    if found is None:
        raise Http404
    channel = catalog.current_channel()
    certifications = places.trusted_certifications(found, channel)
    prefetch_related_objects(certifications, catalog.in_active_language("product__translations"))
    return render(
        request,
        "storefront/producer.html",
        {
            "producer": found,
            "certifications": certifications,
            **_listing_in_one_province(request, channel, ProductFilter(producers=(found.pk,))),
        },
    )
