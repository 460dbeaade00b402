"""Counts for a list's side filters: how many of the matching products fall in each province,
star badge, category and producer type, how many are in stock, and their price span.

Two ways of counting. By default every facet counts what the query matches. With
`each_without_own=True` each facet counts the products matching every filter *but its own*
(the convention of the marketplaces' side panels): with "Đà Nẵng" chosen the other provinces
still show how many products they would give, and the star counts are those of the chosen
province. The price span and the in-stock count follow the same rule (the price filter is not
a facet: it always applies).

On the listing index one grouped pass (GROUPING SETS) over the matching rows answers every
facet, names joined in; each facet's count is an aggregate FILTERed by the other facets'
conditions. On the catalogue each facet is one grouped query over the matching products, run
only when asked for.
"""

from dataclasses import dataclass, replace
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Case, Count, F, Max, Min, Value, When

from backend.ocop.models import Certification
from backend.product.catalogue.filters import ProductFilter, listing_index_q
from backend.product.catalogue.query import CatalogueQuery
from backend.product.listing_index import badge_shown_q
from backend.product.models import Product, ProductVariantChannelListing
from backend.warehouse.availability import product_in_stock_q

# The filters behind each facet (what `each_without_own` leaves out of that facet's counts).
FACET_FILTERS = {
    "province": ("provinces", "province_ids"),
    "stars": ("ocop_certified", "ocop_stars", "min_ocop_stars"),
    "category": ("categories", "category_trees", "has_category"),
    "producer_type": ("producer_types",),
    "in_stock": ("in_stock",),
}

_FACETS_SQL = """
WITH matching AS ({matching}),
groups AS (
    SELECT GROUPING(province_id, stars, category_id, producer_type) AS grouping_id,
           province_id, stars, category_id, producer_type,
           count(*) FILTER (WHERE {but_province}) AS province_count,
           count(*) FILTER (WHERE {but_stars}) AS stars_count,
           count(*) FILTER (WHERE {but_category}) AS category_count,
           count(*) FILTER (WHERE {but_producer_type}) AS producer_type_count,
           count(*) FILTER (WHERE {but_in_stock} AND in_stock) AS in_stock,
           min(price) FILTER (WHERE {every}) AS low,
           max(max_price) FILTER (WHERE {every}) AS high
      FROM matching
     GROUP BY GROUPING SETS ((province_id), (stars), (category_id), (producer_type), ())
)
SELECT groups.grouping_id, groups.stars, groups.producer_type, groups.province_count,
       groups.stars_count, groups.category_count, groups.producer_type_count, groups.in_stock,
       groups.low, groups.high, province.id, province.slug, province.name,
       category.id, category.slug, category.name
  FROM groups
  LEFT JOIN ocop_province AS province ON province.id = groups.province_id
  LEFT JOIN product_category AS category ON category.id = groups.category_id
"""
# GROUPING(...) sets a bit for each column a row is not grouped by (first column = high bit).
_GROUPING_IDS = {
    0b0111: "province",
    0b1011: "stars",
    0b1101: "category",
    0b1110: "producer_type",
    0b1111: "all",
}
# Position of each facet's count in a row of _FACETS_SQL.
_COUNT_AT = {"province": 3, "stars": 4, "category": 5, "producer_type": 6}
_NAMES_AT = 10


_TRUE = Value(True, output_field=BooleanField())


def _flag(facet: str) -> str:
    return f"facet_{facet}"


def _without(spec: ProductFilter, facets) -> ProductFilter:
    """`spec` without the filters behind `facets`."""
    empty = ProductFilter()
    names = [name for facet in facets for name in FACET_FILTERS[facet]]
    return replace(spec, **{name: getattr(empty, name) for name in names})


def _only(spec: ProductFilter, facet: str) -> ProductFilter:
    """The filters of `spec` behind `facet`, alone."""
    return ProductFilter(**{name: getattr(spec, name) for name in FACET_FILTERS[facet]})


@dataclass(frozen=True)
class NamedCount:
    """A province or a category (`id`, `slug`, `name`), and how many products."""

    id: int
    slug: str
    name: str
    count: int


class CatalogueFacets:
    """The facets of what `query` matches (its filter and search; its order does not matter),
    each counted without its own filters when `each_without_own` (see the module's note).
    Each list is ordered most products first; stars from the best badge down."""

    def __init__(self, query: CatalogueQuery, *, each_without_own: bool = False):
        self.query = query
        self.each_without_own = each_without_own

    def _relaxed(self, *facets) -> CatalogueQuery:
        """The query without the filters behind `facets`."""
        query = self.query
        return CatalogueQuery(
            query.channel,
            _without(query.spec, facets),
            query.sort,
            query.search,
            user=query.user,
            within=query.within,
            producer_ids=query.producer_ids,
        )

    def _for(self, facet: str) -> "CatalogueFacets":
        """Where the catalogue tables count `facet`: these facets of the query without the
        facet's own filters when counting each without its own."""
        if not self.each_without_own:
            return self
        return CatalogueFacets(self._relaxed(facet))

    def _flagged_rows(self):
        """The index rows to count and, per facet, a column saying whether a row meets that
        facet's filters (always true when counting what the query matches)."""
        if not self.each_without_own:
            return self.query.matches, dict.fromkeys(FACET_FILTERS, _TRUE)
        rows = self._relaxed(*FACET_FILTERS).matches
        flags = {}
        for facet in FACET_FILTERS:
            conditions, rest = listing_index_q(
                _only(self.query.spec, facet), self.query.channel, self.query.day
            )
            if rest is not None:  # every facet filter has an index column
                raise ValueError(f"The listing index cannot answer the {facet} facet.")
            # A condition that can hold for no row (no When left) reads false.
            flags[facet] = (
                Case(When(conditions, then=_TRUE), default=Value(False)) if conditions else _TRUE
            )
        return rows, flags

    @cached_property
    def _indexed(self) -> dict:
        """Every facet, from the index in one query (cached for shared lists)."""
        return self.query.answer(("facets", self.each_without_own), self._read_index)

    def _read_index(self) -> dict:
        entries, flags = self._flagged_rows()
        shown = Case(When(badge_shown_q(self.query.day), then=F("badge_stars")))
        matching = entries.values(
            "province_id", "category_id", "producer_type", "price", "max_price", "in_stock"
        ).annotate(stars=shown, **{_flag(facet): flag for facet, flag in flags.items()})
        found = {"province": [], "stars": [], "category": [], "producer_type": [], "all": None}
        try:
            sql, params = matching.query.sql_with_params()
        except EmptyResultSet:  # a filter or a search that can match nothing
            found["all"] = {"in_stock": 0, "low": None, "high": None}
            return found

        def but(*left_out):
            kept = [_flag(facet) for facet in FACET_FILTERS if facet not in left_out]
            return " AND ".join(kept)

        conditions = {f"but_{facet}": but(facet) for facet in FACET_FILTERS}
        with connections[entries.db].cursor() as cursor:
            cursor.execute(_FACETS_SQL.format(matching=sql, every=but(), **conditions), params)
            for row in cursor.fetchall():
                grouping_id, stars, producer_type = row[:3]
                in_stock, low, high = row[7:10]
                names = row[_NAMES_AT:]
                facet = _GROUPING_IDS[grouping_id]
                if facet == "all":
                    found["all"] = {"in_stock": in_stock, "low": low, "high": high}
                    continue
                key = {
                    "province": names[0],
                    "stars": stars,
                    "category": names[3],
                    "producer_type": producer_type,
                }[facet]
                count = row[_COUNT_AT[facet]]
                if key is not None and count:
                    found[facet].append((row, count))
        return found

    def _products(self):
        return Product.objects.filter(pk__in=self.query.matches.values("pk"))

    def provinces(self) -> list[NamedCount]:
        if self.query.uses_index:
            return _named(self._indexed["province"], _NAMES_AT)
        rows = self._for("province")._products().filter(producer__isnull=False)
        return _grouped(rows, "producer__province")

    def stars(self) -> list[tuple[int, int]]:
        """(stars, products showing that badge)."""
        if self.query.uses_index:
            return sorted(((row[1], count) for row, count in self._indexed["stars"]), reverse=True)
        rows = self._for("stars")._products()
        rows = rows.annotate(badge=Certification.objects.badge_stars(self.query.day))
        rows = rows.filter(badge__isnull=False).values(stars=F("badge"))
        rows = rows.annotate(count=Count("pk")).order_by("-stars")
        return [(row["stars"], row["count"]) for row in rows]

    def categories(self) -> list[NamedCount]:
        if self.query.uses_index:
            return _named(self._indexed["category"], _NAMES_AT + 3)
        rows = self._for("category")._products().filter(category__isnull=False)
        return _grouped(rows, "category")

    def producer_types(self) -> list[tuple[str, int]]:
        """(producer's legal type, products)."""
        if self.query.uses_index:
            found = sorted((-count, row[2]) for row, count in self._indexed["producer_type"])
            return [(kind, -count) for count, kind in found]
        rows = self._for("producer_type")._products().filter(producer__isnull=False)
        rows = rows.values("producer__legal_type")
        rows = rows.annotate(count=Count("pk")).order_by("-count", "producer__legal_type")
        return [(row["producer__legal_type"], row["count"]) for row in rows]

    def in_stock(self) -> int:
        """Products in stock in the channel (the warehouse domain's availability rule)."""
        if self.query.uses_index:
            return self._indexed["all"]["in_stock"]
        matches = self._for("in_stock").query.matches
        return matches.filter(product_in_stock_q(self.query.channel)).count()

    def price_range(self) -> tuple[int | None, int | None] | None:
        """(lowest, highest) variant price in the channel's minor units; None without a
        channel."""
        if self.query.channel is None:
            return None
        if self.query.uses_index:
            return self._indexed["all"]["low"], self._indexed["all"]["high"]
        span = ProductVariantChannelListing.objects.filter(
            variant__product__in=self.query.matches.values("pk"),
            channel=self.query.channel,
            price_amount__isnull=False,
        ).aggregate(low=Min("price_amount"), high=Max("price_amount"))
        return span["low"], span["high"]


def _grouped(rows, relation: str) -> list[NamedCount]:
    """`rows` counted by `relation` (a province or a category), most first."""
    fields = [f"{relation}_id", f"{relation}__slug", f"{relation}__name"]
    counted = rows.values(*fields).annotate(count=Count("pk")).order_by("-count", *fields[1:])
    return [NamedCount(*(row[field] for field in fields), row["count"]) for row in counted]


def _named(rows, id_at: int) -> list[NamedCount]:
    """Index facet rows with an id, a slug and a name, most products first (then by slug,
    name)."""
    found = [NamedCount(*row[id_at : id_at + 3], count) for row, count in rows]
    return sorted(found, key=lambda facet: (-facet.count, facet.slug, facet.name))
