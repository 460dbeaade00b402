"""`productFacets`: the catalogue's facet counts (backend/product/catalogue/facets.py) of the
products `products` would list with the same channel, filter and search."""

import graphene

from backend.graphql.core.types import Money
from backend.graphql.ocop.types import (
    CategoryFacet,
    PriceRangeFacet,
    ProducerTypeFacet,
    ProvinceFacet,
    StarsFacet,
)
from backend.graphql.product.resolvers import catalogue_query, resolve_channel
from backend.product.catalogue.facets import CatalogueFacets


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
    def resolve_provinces(root: CatalogueFacets, _info):
        return [ProvinceFacet(slug=f.slug, name=f.name, count=f.count) for f in root.provinces()]

    @staticmethod
    def resolve_stars(root: CatalogueFacets, _info):
        return [StarsFacet(stars=stars, count=count) for stars, count in root.stars()]

    @staticmethod
    def resolve_categories(root: CatalogueFacets, _info):
        return [CategoryFacet(slug=f.slug, name=f.name, count=f.count) for f in root.categories()]

    @staticmethod
    def resolve_producer_types(root: CatalogueFacets, _info):
        return [ProducerTypeFacet(type=kind, count=count) for kind, count in root.producer_types()]

    @staticmethod
    def resolve_in_stock(root: CatalogueFacets, _info):
        return root.in_stock()

    @staticmethod
    def resolve_price_range(root: CatalogueFacets, _info):
        span = root.price_range()
        if span is None:
            return None
        currency = root.query.channel.currency_code
        return PriceRangeFacet(
            min=Money.from_minor(span[0], currency), max=Money.from_minor(span[1], currency)
        )


def product_facets(info, channel_slug, product_filter=None, where=None, search=None):
    channel = resolve_channel(info, channel_slug)
    query = catalogue_query(info, channel, filter=product_filter, where=where, search=search)
    return CatalogueFacets(query)
