"""OCOP queries: provinces, producers and the catalogue's facet counts."""

import graphene

from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.ocop.facets import ProductFacets, product_facets
from backend.graphql.ocop.filters import ProducerFilterInput, producer_filter_q
from backend.graphql.ocop.resolvers import visible_producers
from backend.graphql.ocop.types import Producer, ProducerCountableConnection, Province
from backend.graphql.product.filters.product import ProductFilterInput, ProductWhereInput
from backend.ocop import models
from backend.ocop.provinces import resolve_province


class OcopQueries(graphene.ObjectType):
    provinces = graphene.List(
        graphene.NonNull(Province),
        required=True,
        include_legacy=graphene.Boolean(
            default_value=False, description="Also list the 63 provinces before July 2025."
        ),
        description="Vietnam's 34 provincial units (since 1 July 2025), by code.",
    )
    province = graphene.Field(
        Province,
        slug=graphene.String(required=True),
        description="A current unit by slug; a former province's slug or name gives the unit "
        "it is part of now.",
    )
    producers = graphene.Field(
        ProducerCountableConnection,
        **connection_args(filter=graphene.Argument(ProducerFilterInput)),
        description="OCOP producers, by name.",
    )
    producer = graphene.Field(Producer, slug=graphene.String(required=True))
    product_facets = graphene.Field(
        ProductFacets,
        required=True,
        channel=graphene.String(description="Slug of a channel."),
        filter=graphene.Argument(ProductFilterInput),
        where=graphene.Argument(ProductWhereInput),
        search=graphene.String(),
        description="Counts of the products matching a filter, for the catalogue's side filters.",
    )

    @staticmethod
    def resolve_provinces(_root, _info, include_legacy=False):
        provinces = list(models.Province.objects.all())
        if include_legacy:
            provinces += list(models.LegacyProvince.objects.all())
        return provinces

    @staticmethod
    def resolve_province(_root, _info, slug):
        return models.Province.objects.filter(slug=slug).first() or resolve_province(slug)

    @staticmethod
    def resolve_producers(_root, info, filter=None, **paging):
        queryset = visible_producers(info).filter(producer_filter_q(filter))
        return paginate(
            queryset,
            ProducerCountableConnection,
            sort_fields=["name"],
            field_name="producers",
            **paging,
        )

    @staticmethod
    def resolve_producer(_root, info, slug):
        return visible_producers(info).filter(slug=slug).first()

    @staticmethod
    def resolve_product_facets(_root, info, channel=None, filter=None, where=None, search=None):
        return product_facets(info, channel, filter, where, search)
