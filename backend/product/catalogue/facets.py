"""Counts for a list's side filters: how many of the matching products fall in each province,
star badge, category and producer type, how many are in stock, and their price span.

On the listing index one grouped pass (GROUPING SETS) over the matching rows answers every
facet, names joined in. On the catalogue each facet is one grouped query over the matching
products, run only when asked for.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, Max, Min, When

from backend.ocop.models import Certification
from backend.product.catalogue.query import CatalogueQuery
from backend.product.listing_index import badge_shown_q
from backend.product.models import Product, ProductVariantChannelListing
from backend.warehouse.availability import product_in_stock_q

_FACETS_SQL = """
WITH matching AS ({matching}),
groups AS (
    SELECT GROUPING(province_id, stars, category_id, producer_type) AS grouping_id,
           province_id, stars, category_id, producer_type,
           count(*) AS count, count(*) FILTER (WHERE in_stock) AS in_stock,
           min(price) AS low, max(max_price) AS high
      FROM matching
     GROUP BY GROUPING SETS ((province_id), (stars), (category_id), (producer_type), ())
)
SELECT groups.grouping_id, groups.stars, groups.producer_type, groups.count, groups.in_stock,
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


@dataclass(frozen=True)
class NamedCount:
    """A province or a category (`id`, `slug`, `name`), and how many products."""

    id: int
    slug: str
    name: str
    count: int


class CatalogueFacets:
    """The facets of what `query` matches (its filter and search; its order does not matter).
    Each list is ordered most products first; stars from the best badge down."""

    def __init__(self, query: CatalogueQuery):
        self.query = query

    @cached_property
    def _indexed(self) -> dict:
        """Every facet, from the index in one query (cached for shared lists)."""
        return self.query.answer(("facets",), self._read_index)

    def _read_index(self) -> dict:
        entries = self.query.matches
        shown = Case(When(badge_shown_q(self.query.day), then=F("badge_stars")))
        matching = entries.values(
            "province_id", "category_id", "producer_type", "price", "max_price", "in_stock"
        ).annotate(stars=shown)
        found = {"province": [], "stars": [], "category": [], "producer_type": [], "all": None}
        try:
            sql, params = matching.query.sql_with_params()
        except EmptyResultSet:  # a filter or a search that can match nothing
            found["all"] = {"in_stock": 0, "low": None, "high": None}
            return found
        with connections[entries.db].cursor() as cursor:
            cursor.execute(_FACETS_SQL.format(matching=sql), params)
            for row in cursor.fetchall():
                grouping_id, stars, producer_type, count, in_stock, low, high, *names = row
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
                if key is not None:
                    found[facet].append((row, count))
        return found

    def _products(self):
        return Product.objects.filter(pk__in=self.query.matches.values("pk"))

    def provinces(self) -> list[NamedCount]:
        if self.query.uses_index:
            return _named(self._indexed["province"], 7)
        rows = self._products().filter(producer__isnull=False)
        return _grouped(rows, "producer__province")

    def stars(self) -> list[tuple[int, int]]:
        """(stars, products showing that badge)."""
        if self.query.uses_index:
            return sorted(((row[1], count) for row, count in self._indexed["stars"]), reverse=True)
        rows = self._products().annotate(badge=Certification.objects.badge_stars(self.query.day))
        rows = rows.filter(badge__isnull=False).values(stars=F("badge"))
        rows = rows.annotate(count=Count("pk")).order_by("-stars")
        return [(row["stars"], row["count"]) for row in rows]

    def categories(self) -> list[NamedCount]:
        if self.query.uses_index:
            return _named(self._indexed["category"], 10)
        rows = self._products().filter(category__isnull=False)
        return _grouped(rows, "category")

    def producer_types(self) -> list[tuple[str, int]]:
        """(producer's legal type, products)."""
        if self.query.uses_index:
            found = sorted((-count, row[2]) for row, count in self._indexed["producer_type"])
            return [(kind, -count) for count, kind in found]
        rows = self._products().filter(producer__isnull=False).values("producer__legal_type")
        rows = rows.annotate(count=Count("pk")).order_by("-count", "producer__legal_type")
        return [(row["producer__legal_type"], row["count"]) for row in rows]

    def in_stock(self) -> int:
        """Products in stock in the channel (the warehouse domain's availability rule)."""
        if self.query.uses_index:
            return self._indexed["all"]["in_stock"]
        return self.query.matches.filter(product_in_stock_q(self.query.channel)).count()

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
