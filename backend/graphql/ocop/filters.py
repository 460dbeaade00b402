"""OCOP filter inputs: the fields product filters gain (province, producer, star badge; read
into the catalogue query by backend/graphql/product/filters/product.py), and the producers'
own filter."""

import graphene
from django.db.models import Q

from backend.ocop.provinces import current_province_codes


class OcopProductFilterFields:
    """Optional input fields the product filters gain (a non-breaking addition)."""

    provinces = graphene.List(
        graphene.NonNull(graphene.String),
        description="Province slugs or names; a former province means the unit it joined.",
    )
    producers = graphene.List(graphene.NonNull(graphene.ID))
    producer_types = graphene.List(
        graphene.NonNull(graphene.String),
        description="cooperative, enterprise, household, cooperative-group.",
    )
    ocop_certified = graphene.Boolean(description="Products with a valid OCOP badge.")
    ocop_stars = graphene.List(
        graphene.NonNull(graphene.Int), description="Products whose valid badge has these stars."
    )
    min_ocop_stars = graphene.Int(description="Products with a valid badge of at least this.")


class ProducerFilterInput(graphene.InputObjectType):
    province = graphene.String(description="Slug or name; a former province means its new unit.")
    legal_type = graphene.String()
    search = graphene.String()


def producer_filter_q(producer_filter) -> Q:
    if not producer_filter:
        return Q()
    q = Q()
    if producer_filter.get("province"):
        q &= Q(province__code__in=current_province_codes([producer_filter["province"]]))
    if producer_filter.get("legal_type"):
        q &= Q(legal_type=producer_filter["legal_type"])
    if producer_filter.get("search"):
        q &= Q(name__icontains=producer_filter["search"])
    return q
