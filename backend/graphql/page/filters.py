"""`pages` filtering (`filter`, `where`, `search`) and sorting, as Saleor accepts them."""

import graphene
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from backend.core.ids import pks_from_global_ids
from backend.graphql.attribute.filters import (
    AssignedAttributeWhereInput,
    GlobalIDFilterInput,
    MetadataFilter,
    MetadataFilterInput,
    StringFilterInput,
    attribute_exists,
    metadata_filter_input_q,
    metadata_q,
    string_filter_q,
)
from backend.graphql.core.enums import OrderDirection, PageSortField
from backend.graphql.core.errors import SaleorGraphQLError


class PageFilterInput(graphene.InputObjectType):
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    page_types = graphene.List(graphene.NonNull(graphene.ID))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class PageWhereInput(graphene.InputObjectType):
    metadata = graphene.Field(MetadataFilterInput)
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slug = graphene.Field(StringFilterInput)
    page_type = graphene.Field(GlobalIDFilterInput)
    attributes = graphene.List(graphene.NonNull(AssignedAttributeWhereInput))
    AND = graphene.List(graphene.NonNull(lambda: PageWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: PageWhereInput))


class PageSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    field = graphene.Field(PageSortField, required=True)


def _pks(values, type_name: str, field: str) -> list[int]:
    try:
        return pks_from_global_ids(values, type_name, field)
    except ValidationError as error:
        raise SaleorGraphQLError(error.messages[0]) from error


def search_q(search: str | None) -> Q:
    if not search:
        return Q()
    return Q(title__icontains=search) | Q(slug__icontains=search) | Q(content__icontains=search)


def filter_q(page_filter) -> Q:
    """The deprecated `filter: PageFilterInput`."""
    if not page_filter:
        return Q()
    q = search_q(page_filter.get("search")) & metadata_q(page_filter.get("metadata"))
    if page_filter.get("page_types") is not None:
        q &= Q(page_type_id__in=_pks(page_filter["page_types"], "PageType", "pageTypes"))
    if page_filter.get("ids") is not None:
        q &= Q(pk__in=_pks(page_filter["ids"], "Page", "ids"))
    if page_filter.get("slugs") is not None:
        q &= Q(slug__in=page_filter["slugs"])
    return q


def where_q(where) -> Q:
    """`where: PageWhereInput`: fields AND-ed, with nested `AND` / `OR` lists."""
    if not where:
        return Q()
    q = metadata_filter_input_q(where.get("metadata")) & string_filter_q("slug", where.get("slug"))
    if where.get("ids") is not None:
        q &= Q(pk__in=_pks(where["ids"], "Page", "ids"))
    page_type = where.get("page_type")
    if page_type:
        if page_type.get("eq") is not None:
            q &= Q(page_type_id__in=_pks([page_type["eq"]], "PageType", "pageType"))
        if page_type.get("one_of") is not None:
            q &= Q(page_type_id__in=_pks(page_type["one_of"], "PageType", "pageType"))
    for attribute_input in where.get("attributes") or []:
        q &= Q(attribute_exists("page", attribute_input))
    if where.get("AND"):
        for part in where["AND"]:
            q &= where_q(part)
    if where.get("OR"):
        any_of = Q(pk__in=[])
        for part in where["OR"]:
            any_of |= where_q(part)
        q &= any_of
    return q


def sort(queryset: QuerySet, sort_by, search: str | None) -> tuple[QuerySet, list[str], bool]:
    """The queryset annotated for sorting, its sort keys and whether they run descending."""
    if not sort_by:
        return queryset, ["slug"], False
    field = sort_by["field"]
    field = getattr(field, "value", field)
    descending = getattr(sort_by["direction"], "value", sort_by["direction"]) == "DESC"
    if field == PageSortField.RANK.value:
        if not search:
            raise SaleorGraphQLError(
                "Sorting by RANK is available only when using a search filter."
            )
        queryset = queryset.annotate(
            search_rank=Case(
                When(title__icontains=search, then=Value(2)),
                When(slug__icontains=search, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        return queryset, ["search_rank", "slug"], descending
    if field in (PageSortField.PUBLISHED_AT.value, PageSortField.PUBLICATION_DATE.value):
        # Cursor keys may not be NULL: an unset publication date sorts as the creation date.
        queryset = queryset.annotate(published_sort=Coalesce("published_at", "created_at"))
        return queryset, ["published_sort", "slug"], descending
    keys = {
        PageSortField.TITLE.value: ["title", "slug"],
        PageSortField.SLUG.value: ["slug"],
        PageSortField.VISIBILITY.value: ["is_published", "slug"],
        PageSortField.CREATION_DATE.value: ["created_at", "slug"],
        PageSortField.CREATED_AT.value: ["created_at", "slug"],
    }
    return queryset, keys[field], descending
