"""`menus` filtering and sorting, as Saleor accepts them."""

import graphene
from django.db.models import Count, Q, QuerySet

from backend.graphql.attribute.filters import MetadataFilter, metadata_q
from backend.graphql.core.enums import OrderDirection


class MenuSortField(graphene.Enum):
    NAME = "NAME"
    ITEMS_COUNT = "ITEMS_COUNT"


class MenuSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    field = graphene.Field(MenuSortField, required=True)


class MenuFilterInput(graphene.InputObjectType):
    search = graphene.String()
    slug = graphene.List(graphene.NonNull(graphene.String))
    metadata = graphene.List(graphene.NonNull(MetadataFilter))


def filter_q(menu_filter) -> Q:
    if not menu_filter:
        return Q()
    q = metadata_q(menu_filter.get("metadata"))
    if menu_filter.get("search"):
        q &= Q(name__icontains=menu_filter["search"]) | Q(slug__icontains=menu_filter["search"])
    if menu_filter.get("slug") is not None:
        q &= Q(slug__in=menu_filter["slug"])
    return q


def sort(queryset: QuerySet, sort_by) -> tuple[QuerySet, list[str], bool]:
    """The queryset annotated for sorting, its sort keys and whether they run descending."""
    if not sort_by:
        return queryset, ["pk"], False
    field = getattr(sort_by["field"], "value", sort_by["field"])
    descending = getattr(sort_by["direction"], "value", sort_by["direction"]) == "DESC"
    if field == MenuSortField.ITEMS_COUNT.value:
        return queryset.annotate(items_count=Count("items")), ["items_count", "slug"], descending
    return queryset, ["name", "slug"], descending
