"""`categories(filter: …, where: …)`."""

import graphene
from django.db.models import Q

from backend.graphql.attribute.filters import DateTimeRangeInput, MetadataFilter, range_q
from backend.graphql.product.filters.shared import metadata_where_q, named_filter_q


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    updated_at = graphene.Field(DateTimeRangeInput)


class CategoryWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    AND = graphene.List(graphene.NonNull(lambda: CategoryWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: CategoryWhereInput))


def category_where_q(where) -> Q:
    return metadata_where_q(where, "Category", category_where_q)


def category_filter_q(category_filter) -> Q:
    if not category_filter:
        return Q()
    return named_filter_q(category_filter, "Category") & range_q(
        "updated_at", category_filter.get("updated_at")
    )
