"""Provinces and producers as a buyer browses them: the 34 current units by region with their
number of products on sale, a former province's name or slug resolved to the unit it joined on
1 July 2025, the verified producers and the OCOP points of sale of a province, and a producer's
certifications a buyer may trust today. Each is one bounded query, whatever the catalogue's size.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from unidecode import unidecode

from backend.ocop.models import (
    Certification,
    Producer,
    Province,
    Region,
    VerificationStatus,
)
from backend.ocop.provinces import (
    ProvinceUnit,
    current_units,
    legacy_units,
    province_named_in,
)
from backend.ocop.services import today
from backend.product.catalogue.facets import CatalogueFacets
from backend.product.catalogue.query import CatalogueQuery
from backend.product.models import Product
from backend.warehouse.models import ClickAndCollectOption, Warehouse


def _key(text: str) -> str:
    """A name or slug as the province keywords spell it: "Nam Định", "nam-dinh" → "namdinh"."""
    return re.sub(r"[^a-z0-9]", "", unidecode(text or "").lower())


def _sort_key(name: str) -> str:
    return unidecode(name).lower()


# --- the provinces page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceCount:
    province: Province
    count: int  # products on sale in the channel


@dataclass(frozen=True)
class RegionProvinces:
    region: str
    label: str
    provinces: list[ProvinceCount]


def product_counts(channel) -> dict[int, int]:
    """{province id: products on sale in `channel`}, provinces without any left out: the
    catalogue's province facet, one grouped query."""
    return {facet.id: facet.count for facet in CatalogueFacets(CatalogueQuery(channel)).provinces()}


def provinces_by_region(counts: dict[int, int]) -> list[RegionProvinces]:
    """Every current province with its count (`counts` as `product_counts` gives it), grouped
    by region from north to south, in alphabetical order within a region."""
    by_region: dict[str, list[ProvinceCount]] = {region: [] for region in Region.values}
    provinces = sorted(Province.objects.all(), key=lambda province: _sort_key(province.name))
    for province in provinces:
        by_region.setdefault(province.region, []).append(
            ProvinceCount(province, counts.get(province.pk, 0))
        )
    labels = dict(Region.choices)
    return [
        RegionProvinces(region, labels.get(region, ""), entries)
        for region, entries in by_region.items()
        if entries
    ]


# --- former provinces --------------------------------------------------------------------------


def former_unit_named(text: str) -> ProvinceUnit | None:
    """The former province `text` names (its slug or name, with or without accents or the
    "Tỉnh"/"Thành phố" prefix), when that is not also the name of a current unit
    ("Nam Định" yes, "Ninh Bình" no)."""
    key = _key(text)
    if not key or any(key in unit.keywords or key == _key(unit.slug) for unit in current_units()):
        return None
    for unit in legacy_units():
        if key in unit.keywords or key == _key(unit.slug):
            return unit
    return None


@dataclass(frozen=True)
class FormerProvince:
    """A former province (`name`, `slug`) and the current Province it is part of."""

    name: str
    slug: str
    province: Province


def province_named(text: str) -> tuple[Province, FormerProvince | None] | None:
    """The current Province `text` (a slug or a name, with or without accents) names, and the
    former province it names when that is one ("nam-dinh" → Ninh Bình, Nam Định); None when it
    names no province."""
    key = _key(text)
    if not key:
        return None
    former = former_unit_named(text)
    unit = former or next(
        (unit for unit in current_units() if key in unit.keywords or key == _key(unit.slug)), None
    )
    if unit is None:
        return None
    province = Province.objects.filter(code=unit.current_code).first()
    if province is None:
        return None
    return province, former and FormerProvince(former.name, former.slug, province)


def former_of(province: Province, text: str | None) -> FormerProvince | None:
    """The former province `text` names if it is now part of `province` (a `?tu=` value)."""
    unit = former_unit_named(text or "")
    if unit is None or unit.current_code != province.code:
        return None
    return FormerProvince(unit.name, unit.slug, province)


def former_province_in_search(words: list[str]) -> FormerProvince | None:
    """The former province a search's normalised `words` name ("nuoc mam nam dinh" → Nam Định,
    now part of Ninh Bình), with that Province; None when they name none or a current one."""
    named = province_named_in(words)
    if named is None:
        return None
    code, start, end = named
    # The span may begin with a "tp" that is not part of the name.
    unit = next(
        (
            found
            for first in range(start, end - 1)
            if (found := former_unit_named("".join(words[first:end]))) is not None
        ),
        None,
    )
    if unit is None or unit.current_code != code:
        return None
    province = Province.objects.filter(code=code).first()
    return FormerProvince(unit.name, unit.slug, province) if province is not None else None


def former_names(province: Province) -> list[str]:
    """The former provinces `province` took in on 1 July 2025, its own former self included,
    in alphabetical order (no query)."""
    names = [unit.name for unit in legacy_units() if unit.current_code == province.code]
    return sorted(names, key=_sort_key)


# --- a province's producers and points of sale -----------------------------------------------


def verified_producers(province: Province, channel) -> list[Producer]:
    """The province's verified producers, each with `product_count` (its products on sale in
    `channel`), most products first; one query."""
    on_sale = (
        Product.objects.none() if channel is None else Product.objects.visible_in_listings(channel)
    )
    counted = (
        on_sale.filter(producer_id=OuterRef("pk"))
        .order_by()
        .values("producer_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return list(
        Producer.objects.filter(province=province, verification_status=VerificationStatus.VERIFIED)
        .annotate(product_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .only("name", "slug", "legal_type")
        .order_by("-product_count", "name", "pk")
    )


def points_of_sale(province: Province, channel) -> list[Warehouse]:
    """The public warehouses of the province where buyers of `channel` may pick up orders
    (OCOP showrooms), by name; one query."""
    if channel is None:
        return []
    return list(
        Warehouse.objects.filter(province=province, is_private=False, channels=channel)
        .exclude(click_and_collect_option=ClickAndCollectOption.DISABLED)
        .order_by("name", "pk")
    )


# --- a producer --------------------------------------------------------------------------------


def public_producer(slug: str) -> Producer | None:
    """The producer at `slug` if the office verified it (only those have a public page), with
    its province and photos."""
    return (
        Producer.objects.select_related("province")
        .prefetch_related("photos")
        .filter(slug=slug, verification_status=VerificationStatus.VERIFIED)
        .first()
    )


def trusted_certifications(producer: Producer, channel) -> list[Certification]:
    """The producer's certifications that show a star badge today, best first, each with its
    product and `on_sale` (the product's page is open to buyers of `channel`); one query."""
    published = Product.objects.none() if channel is None else Product.objects.published(channel)
    return list(
        Certification.objects.shown_as_badge(today())
        .filter(producer=producer)
        .select_related("product")
        .annotate(on_sale=Exists(published.filter(pk=OuterRef("product_id"))))
        .order_by("-stars", "product__name", "pk")
    )


def producers_for_sitemap():
    """Every producer with a public page."""
    return Producer.objects.filter(verification_status=VerificationStatus.VERIFIED).order_by("slug")
