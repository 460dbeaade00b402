"""Counts for the catalogue's side filters: how many of the matching products fall in each
province, star band, category and producer type, how many are in stock, and their price span.
Each facet is one grouped SQL query, run only when asked for."""

from dataclasses import dataclass

import graphene
from django.db.models import Count, F, Max, Min

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
from backend.product.models import Product, ProductVariantChannelListing


@dataclass
class FacetScope:
    products: object  # the matching products (a queryset)
    channel: object  # a Channel, or None for staff looking across channels

    def rows(self):
        return Product.objects.filter(pk__in=self.products.values("pk"))


def _grouped(queryset, **paths) -> list[dict]:
    """Rows {name: value…, count} counting `queryset` grouped by `paths` ({name: field path})."""
    rows = queryset.values(*paths.values()).annotate(count=Count("pk"))
    rows = rows.order_by("-count", *paths.values())
    return [
        {**{name: row[path] for name, path in paths.items()}, "count": row["count"]} for row in rows
    ]


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
        rows = root.rows().filter(producer__isnull=False)
        return [
            ProvinceFacet(**row)
            for row in _grouped(
                rows, slug="producer__province__slug", name="producer__province__name"
            )
        ]

    @staticmethod
    def resolve_stars(root: FacetScope, _info):
        rows = root.rows().annotate(badge=badge_stars()).filter(badge__isnull=False)
        return [
            StarsFacet(stars=row["stars"], count=row["count"])
            for row in rows.values(stars=F("badge")).annotate(count=Count("pk")).order_by("-stars")
        ]

    @staticmethod
    def resolve_categories(root: FacetScope, _info):
        rows = root.rows().filter(category__isnull=False)
        return [
            CategoryFacet(**row)
            for row in _grouped(rows, slug="category__slug", name="category__name")
        ]

    @staticmethod
    def resolve_producer_types(root: FacetScope, _info):
        rows = root.rows().filter(producer__isnull=False)
        return [ProducerTypeFacet(**row) for row in _grouped(rows, type="producer__legal_type")]

    @staticmethod
    def resolve_in_stock(root: FacetScope, _info):
        from backend.graphql.product.filters import _stock_availability_q

        in_stock = _stock_availability_q(root.channel, StockAvailability.IN_STOCK.value)
        return root.products.filter(in_stock).count()

    @staticmethod
    def resolve_price_range(root: FacetScope, _info):
        if root.channel is None:
            return None
        span = ProductVariantChannelListing.objects.filter(
            variant__product__in=root.products.values("pk"),
            channel=root.channel,
            price_amount__isnull=False,
        ).aggregate(low=Min("price_amount"), high=Max("price_amount"))
        currency = root.channel.currency_code
        return PriceRangeFacet(
            min=Money.from_minor(span["low"], currency),
            max=Money.from_minor(span["high"], currency),
        )
