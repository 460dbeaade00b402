"""Orders of product lists. Each order is a list of sort keys that are never NULL (NULLs
coalesced), followed by the row's unique key, so paging by keys or by position is stable in
both directions; the listing index answers most orders from its own columns, with the same key
values, so cursors carry over between the two."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from backend.ocop.models import Certification
from backend.product.listing_index import badge_shown_q
from backend.product.models import CollectionProduct, ProductChannelListing
from backend.product.search import rank_search_matches

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class SortField(StrEnum):
    NAME = "name"
    PRICE = "price"  # the cheapest variant's
    CREATED_AT = "created-at"
    UPDATED_AT = "updated-at"
    PUBLISHED_AT = "published-at"
    PUBLISHED = "published"
    RATING = "rating"
    TYPE = "type"
    RANK = "rank"  # search relevance
    COLLECTION = "collection"  # the position in the collection
    STARS = "stars"  # the star badge shown (none: 0)


@dataclass(frozen=True)
class ProductSort:
    """By `field` (None: by slug); `collection_id` is the collection a COLLECTION order follows."""

    field: SortField | None = None
    descending: bool = False
    collection_id: int | None = None


@dataclass(frozen=True)
class SortedRows:
    """Rows (listing index rows or products) in order: by `keys`, then by `key`, all ascending
    or all descending."""

    rows: object
    keys: list[str]
    descending: bool
    key: str


# Orders the listing index answers from its columns; the others need the catalogue.
INDEX_ORDERS = {
    None: ["slug"],
    SortField.NAME: ["name", "slug"],
    SortField.PRICE: ["price", "slug"],
    SortField.CREATED_AT: ["created_at"],
    SortField.RANK: ["search_rank", "slug"],
    SortField.STARS: ["sort_stars", "slug"],
}


def sort_listing_index(entries, sort: ProductSort, search_text, day: datetime.date) -> SortedRows:
    """Listing index rows in the order `sort` gives (one of INDEX_ORDERS)."""
    if sort.field == SortField.RANK:
        entries = rank_search_matches(entries, search_text)
    elif sort.field == SortField.STARS:
        shown = Case(When(badge_shown_q(day), then=F("badge_stars")), default=Value(0))
        entries = entries.annotate(sort_stars=shown)
    return SortedRows(entries, INDEX_ORDERS[sort.field], sort.descending, "product_id")


def _listing_value(field: str, channel):
    listings = ProductChannelListing.objects.filter(product_id=OuterRef("pk"))
    if channel is not None:
        listings = listings.filter(channel=channel)
    return Subquery(listings.order_by("pk").values(field)[:1])


def sort_products(products, sort: ProductSort, channel, search_text, day) -> SortedRows:
    """Products in the order `sort` gives, the sort keys annotated."""
    field = sort.field
    if field is None:
        return SortedRows(products, ["slug"], sort.descending, "pk")
    if field == SortField.PRICE:
        price = Coalesce(_listing_value("discounted_price_amount", channel), Value(0))
        products, keys = products.annotate(sort_price=price), ["sort_price", "slug"]
    elif field in (SortField.NAME, SortField.CREATED_AT, SortField.UPDATED_AT):
        keys = {
            SortField.NAME: ["name", "slug"],
            SortField.CREATED_AT: ["created_at"],
            SortField.UPDATED_AT: ["updated_at"],
        }[field]
    elif field == SortField.PUBLISHED_AT:
        published_at = Coalesce(
            _listing_value("published_at", channel), Value(_EPOCH, output_field=DateTimeField())
        )
        products, keys = products.annotate(sort_published_at=published_at), ["sort_published_at"]
    elif field == SortField.PUBLISHED:
        published = Coalesce(
            _listing_value("is_published", channel), Value(False, output_field=BooleanField())
        )
        products, keys = products.annotate(sort_published=published), ["sort_published", "slug"]
    elif field == SortField.RATING:
        rating = Coalesce(F("rating"), Value(0.0, output_field=FloatField()))
        products, keys = products.annotate(sort_rating=rating), ["sort_rating", "slug"]
    elif field == SortField.TYPE:
        products, keys = products.annotate(sort_type=F("product_type__name")), ["sort_type", "slug"]
    elif field == SortField.RANK:
        products, keys = rank_search_matches(products, search_text), ["search_rank", "slug"]
    elif field == SortField.STARS:
        stars = Coalesce(Certification.objects.badge_stars(day), Value(0))
        products, keys = products.annotate(sort_stars=stars), ["sort_stars", "slug"]
    else:  # SortField.COLLECTION
        position = CollectionProduct.objects.filter(
            product_id=OuterRef("pk"), collection_id=sort.collection_id
        ).values("sort_order")[:1]
        products = products.annotate(sort_position=Coalesce(Subquery(position), Value(0)))
        keys = ["sort_position"]
    return SortedRows(products, keys, sort.descending, "pk")
