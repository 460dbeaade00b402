"""`productVariants(filter: …, where: …)` of a product: its (already loaded) variants
narrowed and sorted."""

import graphene
from django.db.models import Q

from backend.graphql.attribute.filters import (
    AssignedAttributeWhereInput,
    DateTimeRangeInput,
    MetadataFilter,
    StringFilterInput,
    attribute_exists,
    metadata_q,
    range_q,
    string_filter_q,
)
from backend.graphql.product.filters.shared import PREORDER_DEPRECATION, pks, require_one_filter
from backend.product.models import ProductVariant


class ProductVariantFilterInput(graphene.InputObjectType):
    search = graphene.String()
    sku = graphene.List(graphene.NonNull(graphene.String))
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    is_preorder = graphene.Boolean(deprecation_reason=PREORDER_DEPRECATION)
    updated_at = graphene.Field(DateTimeRangeInput)


class ProductVariantWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    sku = graphene.Field(StringFilterInput)
    updated_at = graphene.Field(DateTimeRangeInput)
    attributes = graphene.List(graphene.NonNull(AssignedAttributeWhereInput))
    AND = graphene.List(graphene.NonNull(lambda: ProductVariantWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: ProductVariantWhereInput))


def variant_filter_q(variant_filter) -> Q:
    if not variant_filter:
        return Q()
    q = metadata_q(variant_filter.get("metadata"))
    q &= range_q("updated_at", variant_filter.get("updated_at"))
    if variant_filter.get("sku") is not None:
        q &= Q(sku__in=variant_filter["sku"])
    search = variant_filter.get("search")
    if search:
        q &= Q(name__icontains=search) | Q(sku__icontains=search)
    return q


def variant_where_q(where) -> Q:
    if not where:
        return Q()
    q = metadata_q(where.get("metadata")) & string_filter_q("sku", where.get("sku"))
    q &= range_q("updated_at", where.get("updated_at"))
    if where.get("ids") is not None:
        q &= Q(pk__in=pks(where["ids"], "ProductVariant", "ids"))
    for attribute_input in where.get("attributes") or []:
        q &= Q(attribute_exists("variant", attribute_input))
    for nested in where.get("AND") or []:
        q &= variant_where_q(nested)
    if where.get("OR"):
        any_of = Q(pk__in=[])
        for nested in where["OR"]:
            any_of |= variant_where_q(nested)
        q &= any_of
    return q


def filter_variants(variants, variant_filter, where, sort_by):
    """Narrow already loaded (ChannelContext-wrapped) variants; one query only when filtering."""
    require_one_filter(variant_filter, where)
    if variant_filter or where:
        q = variant_filter_q(variant_filter) & variant_where_q(where)
        matching = set(
            ProductVariant.objects.filter(q, pk__in=[v.node.pk for v in variants]).values_list(
                "pk", flat=True
            )
        )
        variants = [v for v in variants if v.node.pk in matching]
    if sort_by:
        descending = getattr(sort_by["direction"], "value", sort_by["direction"]) == "DESC"
        variants = sorted(
            variants, key=lambda v: (v.node.updated_at, v.node.pk), reverse=descending
        )
    return variants
