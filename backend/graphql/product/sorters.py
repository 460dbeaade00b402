"""Sort inputs of catalog lists: products' read into the catalogue query's `ProductSort`;
categories' and collections' as lists of non-NULL keys (NULLs coalesced), so the keyset
pagination in `paginate()` stays stable in both directions under every order."""

import datetime

import graphene
from django.db.models import BooleanField, Count, DateTimeField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from backend.graphql.core.enums import (
    CategorySortField,
    OrderDirection,
    ProductOrderField,
    ProductVariantSortField,
)
from backend.graphql.core.errors import SaleorGraphQLError
from backend.product.catalogue.sorting import ProductSort, SortField
from backend.product.models import CollectionChannelListing

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class ProductOrder(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    channel = graphene.String(deprecation_reason="Use root-level channel argument instead.")
    attribute_id = graphene.ID()
    field = graphene.Field(ProductOrderField)


class ProductVariantSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    field = graphene.Field(ProductVariantSortField, required=True)


class CategorySortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    channel = graphene.String(deprecation_reason="Use root-level channel argument instead.")
    field = graphene.Field(CategorySortField, required=True)


class CollectionSortField(graphene.Enum):
    NAME = "NAME"
    AVAILABILITY = "AVAILABILITY"
    PRODUCT_COUNT = "PRODUCT_COUNT"
    PUBLICATION_DATE = "PUBLICATION_DATE"
    PUBLISHED_AT = "PUBLISHED_AT"


class CollectionSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    channel = graphene.String(deprecation_reason="Use root-level channel argument instead.")
    field = graphene.Field(CollectionSortField, required=True)


def _enum_value(value):
    return getattr(value, "value", value)


def is_descending(sort_by) -> bool:
    return bool(sort_by) and _enum_value(sort_by.get("direction")) == OrderDirection.DESC.value


# `ProductOrderField` values as the catalogue's orders (deprecated names included).
_PRODUCT_ORDERS = {
    None: None,
    ProductOrderField.NAME.value: SortField.NAME,
    ProductOrderField.PRICE.value: SortField.PRICE,
    ProductOrderField.MINIMAL_PRICE.value: SortField.PRICE,
    ProductOrderField.CREATED_AT.value: SortField.CREATED_AT,
    ProductOrderField.LAST_MODIFIED_AT.value: SortField.UPDATED_AT,
    ProductOrderField.LAST_MODIFIED.value: SortField.UPDATED_AT,
    ProductOrderField.DATE.value: SortField.UPDATED_AT,
    ProductOrderField.PUBLISHED_AT.value: SortField.PUBLISHED_AT,
    ProductOrderField.PUBLICATION_DATE.value: SortField.PUBLISHED_AT,
    ProductOrderField.PUBLISHED.value: SortField.PUBLISHED,
    ProductOrderField.RATING.value: SortField.RATING,
    ProductOrderField.TYPE.value: SortField.TYPE,
    ProductOrderField.RANK.value: SortField.RANK,
    ProductOrderField.COLLECTION.value: SortField.COLLECTION,
}


def product_sort(sort_by, collection=None) -> ProductSort | None:
    """The catalogue's order for `sortBy` (None without one); `collection` is the collection
    whose products are listed (the only list COLLECTION sorts)."""
    if not sort_by:
        return None
    if sort_by.get("attribute_id"):
        raise SaleorGraphQLError("Sorting by attribute is not supported.")
    return ProductSort(
        _PRODUCT_ORDERS[_enum_value(sort_by.get("field"))],
        descending=is_descending(sort_by),
        collection_id=collection.pk if collection is not None else None,
    )


def sort_categories(queryset, sort_by):
    field = _enum_value(sort_by.get("field")) if sort_by else None
    descending = is_descending(sort_by)
    if field == CategorySortField.PRODUCT_COUNT.value:
        return (
            queryset.annotate(sort_count=Count("products", distinct=True)),
            ["sort_count", "slug"],
            descending,
        )
    if field == CategorySortField.SUBCATEGORY_COUNT.value:
        return (
            queryset.annotate(sort_count=Count("children", distinct=True)),
            ["sort_count", "slug"],
            descending,
        )
    if field == CategorySortField.NAME.value:
        return queryset, ["name", "slug"], descending
    return queryset, ["level", "name", "slug"], descending


def _listing_value(field: str, channel):
    listings = CollectionChannelListing.objects.filter(collection_id=OuterRef("pk"))
    if channel is not None:
        listings = listings.filter(channel=channel)
    return Subquery(listings.order_by("pk").values(field)[:1])


def sort_collections(queryset, sort_by, channel):
    field = _enum_value(sort_by.get("field")) if sort_by else None
    descending = is_descending(sort_by)
    if field == CollectionSortField.PRODUCT_COUNT.value:
        return (
            queryset.annotate(sort_count=Count("collectionproduct", distinct=True)),
            ["sort_count", "slug"],
            descending,
        )
    if field == CollectionSortField.AVAILABILITY.value:
        published = Coalesce(
            _listing_value("is_published", channel),
            Value(False, output_field=BooleanField()),
        )
        return queryset.annotate(sort_published=published), ["sort_published", "slug"], descending
    if field in (
        CollectionSortField.PUBLISHED_AT.value,
        CollectionSortField.PUBLICATION_DATE.value,
    ):
        published_at = Coalesce(
            _listing_value("published_at", channel),
            Value(_EPOCH, output_field=DateTimeField()),
        )
        return queryset.annotate(sort_published_at=published_at), ["sort_published_at"], descending
    if field == CollectionSortField.NAME.value:
        return queryset, ["name", "slug"], descending
    return queryset, ["slug"], descending
