"""Sort orders of catalog lists. Each sort is a list of non-NULL keys (NULLs coalesced), so the
keyset pagination in `paginate()` stays stable in both directions under every order."""

import datetime

import graphene
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from backend.graphql.core.enums import (
    CategorySortField,
    OrderDirection,
    ProductOrderField,
    ProductVariantSortField,
)
from backend.graphql.core.errors import SaleorGraphQLError
from backend.product.models import CollectionProduct, ProductChannelListing
from backend.product.search import rank_search_matches, search_products

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


def ranks_best_first(sort_by) -> bool:
    """Search relevance, best match first."""
    return (
        bool(sort_by)
        and _enum_value(sort_by.get("field")) == ProductOrderField.RANK.value
        and is_descending(sort_by)
    )


def _listing_value(field: str, channel, model=ProductChannelListing, owner="product"):
    listings = model.objects.filter(**{f"{owner}_id": OuterRef("pk")})
    if channel is not None:
        listings = listings.filter(channel=channel)
    return Subquery(listings.order_by("pk").values(field)[:1])


def sort_products(queryset, sort_by, channel, search=None, collection=None):
    """Return (queryset with sort keys annotated, sort key names, descending)."""
    field = _enum_value(sort_by.get("field")) if sort_by else None
    descending = is_descending(sort_by)
    if sort_by and sort_by.get("attribute_id"):
        raise SaleorGraphQLError("Sorting by attribute is not supported.")
    if field is None:
        return queryset, ["slug"], descending
    if field == ProductOrderField.NAME.value:
        return queryset, ["name", "slug"], descending
    if field in (ProductOrderField.PRICE.value, ProductOrderField.MINIMAL_PRICE.value):
        price = Coalesce(_listing_value("discounted_price_amount", channel), Value(0))
        return queryset.annotate(sort_price=price), ["sort_price", "slug"], descending
    if field in (ProductOrderField.CREATED_AT.value,):
        return queryset, ["created_at"], descending
    if field in (
        ProductOrderField.LAST_MODIFIED_AT.value,
        ProductOrderField.LAST_MODIFIED.value,
        ProductOrderField.DATE.value,
    ):
        return queryset, ["updated_at"], descending
    if field in (ProductOrderField.PUBLISHED_AT.value, ProductOrderField.PUBLICATION_DATE.value):
        published_at = Coalesce(
            _listing_value("published_at", channel),
            Value(_EPOCH, output_field=DateTimeField()),
        )
        return queryset.annotate(sort_published_at=published_at), ["sort_published_at"], descending
    if field == ProductOrderField.PUBLISHED.value:
        published = Coalesce(
            _listing_value("is_published", channel), Value(False, output_field=BooleanField())
        )
        return queryset.annotate(sort_published=published), ["sort_published", "slug"], descending
    if field == ProductOrderField.RATING.value:
        rating = Coalesce(F("rating"), Value(0.0, output_field=FloatField()))
        return queryset.annotate(sort_rating=rating), ["sort_rating", "slug"], descending
    if field == ProductOrderField.TYPE.value:
        return (
            queryset.annotate(sort_type=F("product_type__name")),
            ["sort_type", "slug"],
            descending,
        )
    if field == ProductOrderField.RANK.value:
        if not search:
            raise SaleorGraphQLError(
                "Sorting by RANK is available only when using a search filter."
            )
        if "search_rank" not in queryset.query.annotations:
            queryset = search_products(queryset, search)
        return queryset, ["search_rank", "slug"], descending
    if field == ProductOrderField.COLLECTION.value:
        if collection is None:
            raise SaleorGraphQLError("Sorting by COLLECTION is available only in a collection.")
        position = Subquery(
            CollectionProduct.objects.filter(
                product_id=OuterRef("pk"), collection_id=collection.pk
            ).values("sort_order")[:1]
        )
        return (
            queryset.annotate(sort_position=Coalesce(position, Value(0))),
            ["sort_position"],
            descending,
        )
    raise SaleorGraphQLError(f"Sorting by {field} is not supported.")


# Sorts the listing index answers, as its column names; the others go to the catalogue query.
_LISTING_INDEX_SORTS = {
    None: ["slug"],
    ProductOrderField.NAME.value: ["name", "slug"],
    ProductOrderField.PRICE.value: ["price", "slug"],
    ProductOrderField.MINIMAL_PRICE.value: ["price", "slug"],
    ProductOrderField.CREATED_AT.value: ["created_at"],
}


def sort_listing_index(entries, sort_by, search=None):
    """`sort_products` for listing index rows, or None for a sort only the catalogue query
    has (the keys are the same values, so cursors carry over)."""
    field = _enum_value(sort_by.get("field")) if sort_by else None
    if sort_by and sort_by.get("attribute_id"):
        return None
    if field == ProductOrderField.RANK.value:
        if not search:
            return None  # the catalogue query reports the error
        return rank_search_matches(entries, search), ["search_rank", "slug"], is_descending(sort_by)
    if field not in _LISTING_INDEX_SORTS:
        return None
    return entries, _LISTING_INDEX_SORTS[field], is_descending(sort_by)


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


def sort_collections(queryset, sort_by, channel):
    from backend.product.models import CollectionChannelListing

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
            _listing_value("is_published", channel, CollectionChannelListing, "collection"),
            Value(False, output_field=BooleanField()),
        )
        return queryset.annotate(sort_published=published), ["sort_published", "slug"], descending
    if field in (
        CollectionSortField.PUBLISHED_AT.value,
        CollectionSortField.PUBLICATION_DATE.value,
    ):
        published_at = Coalesce(
            _listing_value("published_at", channel, CollectionChannelListing, "collection"),
            Value(_EPOCH, output_field=DateTimeField()),
        )
        return queryset.annotate(sort_published_at=published_at), ["sort_published_at"], descending
    if field == CollectionSortField.NAME.value:
        return queryset, ["name", "slug"], descending
    return queryset, ["slug"], descending
