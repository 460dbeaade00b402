"""Counts for the catalogue's side filters: how many of the matching products fall in each
province, star band, category and producer type, how many are in stock, and their price span.

Buyers' counts come from the listing index (backend/product/listing_index.py): one grouped pass
(GROUPING SETS) over the matching rows answers every facet, names joined in. Elsewhere (staff,
SQLite) each facet is one grouped query over the matching products, run only when asked for.
"""

from dataclasses import dataclass
from functools import cached_property

import graphene
from django.db import connections
from django.db.models import Case, Count, F, Max, Min, When

from backend.graphql.core.enums import StockAvailability
from backend.graphql.core.types import Money
from backend.graphql.ocop.filters import badge_stars
from backend.graphql.ocop.types import (
    CategoryFacet,
    PriceRangeFacet,
    ProducerTypeFacet,
    ProvinceFacet,
    StarsFacet,
)
from backend.ocop.services import today
from backend.product.listing_index import badge_shown_q
from backend.product.models import Product, ProductVariantChannelListing

# Facet key column of each grouping set (the last set, `()`, is the grand total).
_GROUPED_BY = ("province_id", "stars", "category_id", "producer_type")

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
       groups.low, groups.high, province.slug, province.name, category.slug, category.name
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


@dataclass
class FacetScope:
    """The matching products: listing index rows (`entries`) or, without the index, a product
    queryset (`products`)."""

    channel: object  # a Channel, or None for staff looking across channels
    products: object = None
    entries: object = None

    def rows(self):
        return Product.objects.filter(pk__in=self.products.values("pk"))

    @cached_property
    def indexed(self) -> dict:
        """Every facet, from the index in one query."""
        matching = self.entries.values(
            "province_id", "category_id", "producer_type", "price", "max_price", "in_stock"
        ).annotate(stars=Case(When(badge_shown_q(today()), then=F("badge_stars"))))
        sql, params = matching.query.sql_with_params()
        found = {"province": [], "stars": [], "category": [], "producer_type": [], "all": None}
        with connections[self.entries.db].cursor() as cursor:
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
                    "category": names[2],
                    "producer_type": producer_type,
                }[facet]
                if key is not None:
                    found[facet].append((row, count))
        return found


def _grouped(queryset, **paths) -> list[dict]:
    """Rows {name: value…, count} counting `queryset` grouped by `paths` ({name: field path})."""
    rows = queryset.values(*paths.values()).annotate(count=Count("pk"))
    rows = rows.order_by("-count", *paths.values())
    return [
        {**{name: row[path] for name, path in paths.items()}, "count": row["count"]} for row in rows
    ]


def _named(rows, slug_at: int) -> list[dict]:
    """Index facet rows with a slug and a name, most products first (then by slug, name)."""
    found = [
        {"slug": row[slug_at], "name": row[slug_at + 1], "count": count} for row, count in rows
    ]
    return sorted(found, key=lambda facet: (-facet["count"], facet["slug"], facet["name"]))


class ProductFacets(graphene.ObjectType):
    provinces = graphene.List(graphene.NonNull(ProvinceFacet), required=True)
    stars = graphene.List(
        graphene.NonNull(StarsFacet), required=True, description="Valid OCOP badges only."
    )
    categories = graphene.List(graphene.NonNull(CategoryFacet), required=True)
    producer_types = graphene.List(graphene.NonNull(ProducerTypeFacet), required=True)
    in_stock = graphene.Int(required=True, description="Products in stock in the channel.")
    price_range = graphene.Field(PriceRangeFacet, description="Null without a channel.")

    class Meta:
        description = "Counts of the products matching a filter, by OCOP dimension."

    @staticmethod
    def resolve_provinces(root: FacetScope, _info):
        if root.entries is not None:
            return [ProvinceFacet(**row) for row in _named(root.indexed["province"], 7)]
        rows = root.rows().filter(producer__isnull=False)
        return [
            ProvinceFacet(**row)
            for row in _grouped(
                rows, slug="producer__province__slug", name="producer__province__name"
            )
        ]

    @staticmethod
    def resolve_stars(root: FacetScope, _info):
        if root.entries is not None:
            found = sorted(((row[1], count) for row, count in root.indexed["stars"]), reverse=True)
            return [StarsFacet(stars=stars, count=count) for stars, count in found]
        rows = root.rows().annotate(badge=badge_stars()).filter(badge__isnull=False)
        return [
            StarsFacet(stars=row["stars"], count=row["count"])
            for row in rows.values(stars=F("badge")).annotate(count=Count("pk")).order_by("-stars")
        ]

    @staticmethod
    def resolve_categories(root: FacetScope, _info):
        if root.entries is not None:
            return [CategoryFacet(**row) for row in _named(root.indexed["category"], 9)]
        rows = root.rows().filter(category__isnull=False)
        return [
            CategoryFacet(**row)
            for row in _grouped(rows, slug="category__slug", name="category__name")
        ]

    @staticmethod
    def resolve_producer_types(root: FacetScope, _info):
        if root.entries is not None:
            found = sorted((-count, row[2]) for row, count in root.indexed["producer_type"])
            return [ProducerTypeFacet(type=kind, count=-count) for count, kind in found]
        rows = root.rows().filter(producer__isnull=False)
        return [ProducerTypeFacet(**row) for row in _grouped(rows, type="producer__legal_type")]

    @staticmethod
    def resolve_in_stock(root: FacetScope, _info):
        from backend.graphql.product.filters import _stock_availability_q

        if root.entries is not None:
            return root.indexed["all"]["in_stock"]
        in_stock = _stock_availability_q(root.channel, StockAvailability.IN_STOCK.value)
        return root.products.filter(in_stock).count()

    @staticmethod
    def resolve_price_range(root: FacetScope, _info):
        if root.channel is None:
            return None
        if root.entries is not None:
            low, high = root.indexed["all"]["low"], root.indexed["all"]["high"]
        else:
            span = ProductVariantChannelListing.objects.filter(
                variant__product__in=root.products.values("pk"),
                channel=root.channel,
                price_amount__isnull=False,
            ).aggregate(low=Min("price_amount"), high=Max("price_amount"))
            low, high = span["low"], span["high"]
        currency = root.channel.currency_code
        return PriceRangeFacet(
            min=Money.from_minor(low, currency), max=Money.from_minor(high, currency)
        )


def product_facet_scope(info, channel_slug, product_filter=None, where=None, search=None):
    """The products `productFacets` counts: those `products` would list with the same
    arguments."""
    from backend.graphql.product.filters import filter_listing_index, filter_products
    from backend.graphql.product.schema import (
        listing_index_rows,
        resolve_channel,
        visible_products,
    )

    channel = resolve_channel(info, channel_slug)
    entries = listing_index_rows(info, channel)
    if entries is not None:
        return FacetScope(
            channel, entries=filter_listing_index(entries, channel, product_filter, where, search)
        )
    products = visible_products(info, channel, listings_only=True)
    return FacetScope(
        channel, products=filter_products(products, channel, product_filter, where, search)
    )
