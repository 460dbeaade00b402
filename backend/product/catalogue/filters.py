"""What a product list keeps: `ProductFilter`, a plain description of the conditions, and the
one filter engine that turns it into conditions on products (the catalogue) or on listing index
rows (buyers' lists on PostgreSQL), which select the same products.

Prices are in the channel currency's major unit (đồng for VND) and compared with the integer
minor units stored; a lower bound is rounded up and an upper bound down, so both stay inclusive.
"""

import math
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import In
from django.utils import timezone

from backend.attribute.filters import AttributeFilter, matching_value_ids, product_attributes_q
from backend.core.filters import Match
from backend.core.money import currency_exponent
from backend.ocop.models import Certification
from backend.ocop.provinces import current_province_codes
from backend.product.listing_index import badge_shown_q
from backend.product.models import (
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductVariantChannelListing,
)
from backend.product.reference import with_descendants
from backend.product.search import narrow_to_search
from backend.warehouse.availability import product_in_stock_q
from backend.warehouse.models import Stock


@dataclass(frozen=True)
class StockFilter:
    """Products with a stock row in one of `warehouse_ids` (any warehouse when None) whose
    quantity matches."""

    warehouse_ids: tuple[int, ...] | None = None
    quantity: Match | None = None


@dataclass(frozen=True)
class ProductFilter:
    """Conditions a product must meet; None (or empty) fields set none. Ids are primary keys."""

    ids: tuple[int, ...] | None = None
    names: Match | None = None
    slugs: Match | None = None
    # Narrows to the products matching these words, as a search does, without ranking them
    # (at the top level only: nested filters cannot search).
    search: str | None = None
    category_trees: tuple[int, ...] | None = None  # these categories and every one below
    categories: tuple[int, ...] | None = None  # these categories only
    has_category: bool | None = None
    collections: tuple[int, ...] | None = None
    product_types: tuple[int, ...] | None = None
    gift_card: bool | None = None
    has_preordered_variants: bool | None = None  # no variant is sold on preorder
    metadata: tuple[tuple[str, str | None], ...] = ()  # (key, value or None: any value)
    updated_at: Match | None = None
    # The product's listing in the channel.
    is_published: bool | None = None
    is_visible_in_listing: bool | None = None
    published_from: datetime | None = None
    available_from: datetime | None = None
    is_available: bool | None = None
    price: Match | None = None  # some variant's price
    minimal_price: Match | None = None  # the cheapest variant's price
    attributes: tuple[AttributeFilter, ...] = ()
    in_stock: bool | None = None  # warehouse domain's availability rule, in the channel
    stocks: StockFilter | None = None
    # OCOP: provinces by slug, name or code (a former province means the unit it joined).
    provinces: tuple[str, ...] | None = None
    province_ids: tuple[int, ...] | None = None
    producers: tuple[int, ...] | None = None
    producer_types: tuple[str, ...] | None = None
    ocop_certified: bool | None = None  # shows a star badge (see CertificationQuerySet)
    ocop_stars: tuple[int, ...] | None = None  # its badge has one of these
    min_ocop_stars: int | None = None
    all_of: tuple["ProductFilter", ...] = ()
    any_of: tuple["ProductFilter", ...] = ()  # one of them holds (none given: no condition)


def _currency(channel) -> str:
    return channel.currency_code if channel is not None else settings.DEFAULT_CURRENCY


def in_minor_units(match: Match, channel) -> Match:
    """A price condition in major units as one on the stored minor units."""
    exponent = currency_exponent(_currency(channel))

    def scaled(rounding):
        return lambda amount: int(rounding(Decimal(str(amount)).scaleb(exponent)))

    return match.converted(scaled(math.floor), scaled(math.ceil), scaled(math.floor))


# --- on products ------------------------------------------------------------------------------


def _listings_of(channel):
    """The outer product's channel listings (in `channel`, or in any)."""
    listings = ProductChannelListing.objects.filter(product_id=OuterRef("pk"))
    return listings.filter(channel=channel) if channel is not None else listings


def _listing_q(spec: ProductFilter, channel) -> Q:
    def listed(**conditions) -> Q:
        return Q(Exists(_listings_of(channel).filter(**conditions)))

    q = Q()
    if spec.is_published is not None:
        published = listed(is_published=True)
        q &= published if spec.is_published else ~published
    if spec.is_visible_in_listing is not None:
        q &= listed(visible_in_listings=spec.is_visible_in_listing)
    if spec.published_from is not None:
        q &= listed(published_at__lte=spec.published_from)
    if spec.available_from is not None:
        q &= listed(available_for_purchase_at__lte=spec.available_from)
    if spec.is_available is not None:
        available = listed(available_for_purchase_at__lte=timezone.now())
        q &= available if spec.is_available else ~available
    return q


def _price_q(spec: ProductFilter, channel) -> Q:
    q = Q()
    if spec.price is not None:
        listings = ProductVariantChannelListing.objects.filter(
            in_minor_units(spec.price, channel).q("price_amount"),
            variant__product_id=OuterRef("pk"),
            price_amount__isnull=False,
        )
        if channel is not None:
            listings = listings.filter(channel=channel)
        q &= Q(Exists(listings))
    if spec.minimal_price is not None:
        cheapest = in_minor_units(spec.minimal_price, channel).q("discounted_price_amount")
        q &= Q(Exists(_listings_of(channel).filter(cheapest)))
    return q


def _stocks_q(stocks: StockFilter | None) -> Q:
    if stocks is None:
        return Q()
    rows = Stock.objects.filter(product_variant__product_id=OuterRef("pk"))
    if stocks.warehouse_ids is not None:
        rows = rows.filter(warehouse_id__in=stocks.warehouse_ids)
    if stocks.quantity is not None:
        rows = rows.filter(stocks.quantity.q("quantity"))
    return Q(Exists(rows))


def _metadata_q(items) -> Q:
    q = Q()
    for key, value in items:
        q &= Q(metadata__has_key=key) if value is None else Q(metadata__contains={key: value})
    return q


def _ocop_q(spec: ProductFilter, day: date) -> Q:
    q = Q()
    if spec.provinces is not None:
        q &= Q(producer__province__code__in=current_province_codes(spec.provinces))
    if spec.province_ids is not None:
        q &= Q(producer__province_id__in=spec.province_ids)
    if spec.producers is not None:
        q &= Q(producer_id__in=spec.producers)
    if spec.producer_types is not None:
        q &= Q(producer__legal_type__in=spec.producer_types)
    if spec.ocop_certified is not None:
        certified = Q(Certification.objects.badge_exists(day))
        q &= certified if spec.ocop_certified else ~certified
    if spec.ocop_stars is not None:
        q &= Q(In(Certification.objects.badge_stars(day), list(spec.ocop_stars)))
    if spec.min_ocop_stars is not None:
        q &= Q(Certification.objects.badge_exists(day, min_stars=spec.min_ocop_stars))
    return q


def product_q(spec: ProductFilter, channel, day: date) -> Q:
    """`spec` as a condition on products seen in `channel` (None: any channel), badges as
    shown on `day`; all but its search (`narrow_to_search` does that one)."""
    q = _listing_q(spec, channel) & _price_q(spec, channel) & _ocop_q(spec, day)
    if spec.ids is not None:
        q &= Q(pk__in=spec.ids)
    if spec.names is not None:
        q &= spec.names.q("name")
    if spec.slugs is not None:
        q &= spec.slugs.q("slug")
    if spec.category_trees is not None:
        q &= Q(category_id__in=with_descendants(spec.category_trees))
    if spec.categories is not None:
        q &= Q(category_id__in=spec.categories)
    if spec.has_category is not None:
        q &= Q(category__isnull=not spec.has_category)
    if spec.collections is not None:
        in_collections = CollectionProduct.objects.filter(
            product_id=OuterRef("pk"), collection_id__in=spec.collections
        )
        q &= Q(Exists(in_collections))
    if spec.product_types is not None:
        q &= Q(product_type_id__in=spec.product_types)
    if spec.gift_card is not None:
        gift_card = Q(product_type__kind="gift_card")
        q &= gift_card if spec.gift_card else ~gift_card
    if spec.has_preordered_variants:
        q &= Q(pk__in=[])
    if spec.updated_at is not None:
        q &= spec.updated_at.q("updated_at")
    if spec.in_stock is not None:
        in_stock = product_in_stock_q(channel)
        q &= in_stock if spec.in_stock else ~in_stock
    q &= _metadata_q(spec.metadata) & product_attributes_q(spec.attributes)
    q &= _stocks_q(spec.stocks)
    return q & _nested_q(spec, lambda nested: product_q(nested, channel, day))


def _nested_q(spec: ProductFilter, nested_q) -> Q:
    q = Q()
    for nested in (*spec.all_of, *spec.any_of):
        if nested.search:
            raise ValueError("Nested product filters cannot search.")
    for nested in spec.all_of:
        q &= nested_q(nested)
    if spec.any_of:
        any_of = Q(pk__in=[])
        for nested in spec.any_of:
            any_of |= nested_q(nested)
        q &= any_of
    return q


# --- on listing index rows --------------------------------------------------------------------
# Each field the index holds a column for becomes a condition on that column; the others keep
# their catalogue condition, applied as `product_id IN (matching products)`.


def _listed_flag_q(value: bool) -> Q:
    """Every index row is published and shown in listings."""
    return Q() if value else Q(pk__in=[])


def _attributes_index_q(attribute_filters) -> Q | None:
    """Every filter matched by a value of the product or of a variant (the row's
    `attribute_values`); None when one compares numbers by range."""
    q = Q()
    for attribute_filter in attribute_filters:
        value_ids = matching_value_ids(attribute_filter)
        if value_ids is None:
            return None
        q &= Q(attribute_values__overlap=value_ids) if value_ids else Q(pk__in=[])
    return q


def _index_conditions(spec: ProductFilter, channel, day: date) -> dict:
    """{field: condition on index rows} for the fields of `spec` given that the index
    answers."""
    shown = badge_shown_q(day)
    conditions = {
        "ids": lambda ids: Q(product_id__in=ids),
        "names": lambda match: match.q("name"),
        "slugs": lambda match: match.q("slug"),
        "category_trees": lambda ids: Q(category_id__in=with_descendants(ids)),
        "categories": lambda ids: Q(category_id__in=ids),
        "has_category": lambda has: Q(category__isnull=not has),
        "collections": lambda ids: Q(
            product_id__in=CollectionProduct.objects.filter(collection_id__in=ids).values(
                "product_id"
            )
        ),
        "product_types": lambda ids: Q(product_type_id__in=ids),
        "is_published": _listed_flag_q,
        "is_visible_in_listing": _listed_flag_q,
        "minimal_price": lambda match: in_minor_units(match, channel).q("price"),
        "attributes": _attributes_index_q,
        "in_stock": lambda in_stock: Q(in_stock=in_stock),
        "provinces": lambda names: Q(province__code__in=current_province_codes(names)),
        "province_ids": lambda ids: Q(province_id__in=ids),
        "producers": lambda ids: Q(producer_id__in=ids),
        "producer_types": lambda types: Q(producer_type__in=types),
        "ocop_certified": lambda certified: shown if certified else ~shown,
        "ocop_stars": lambda stars: shown & Q(badge_stars__in=list(stars)),
        "min_ocop_stars": lambda stars: shown & Q(badge_stars__gte=stars),
    }
    empty = ProductFilter()
    found = {}
    for name, condition in conditions.items():
        value = getattr(spec, name)
        if value != getattr(empty, name):
            found[name] = condition(value)
    return found


def listing_index_q(spec: ProductFilter, channel, day: date) -> tuple[Q, Q | None]:
    """`spec` on the listing index rows of `channel`: (the conditions on their columns, the
    condition on products the index cannot answer, or None). Its search is left out, as in
    `product_q`."""
    q = Q()
    answered = {"search"}
    for name, condition in _index_conditions(spec, channel, day).items():
        if condition is not None:  # a field the index cannot answer stays a catalogue condition
            q &= condition
            answered.add(name)
    rest = replace(spec, **{name: _default(name) for name in answered})
    return q, product_q(rest, channel, day) or None


def _default(name: str):
    return next(field.default for field in fields(ProductFilter) if field.name == name)


def filter_products(products, spec: ProductFilter, channel, day: date):
    """Products (a queryset) narrowed to `spec`, its search included."""
    return narrow_to_search(products.filter(product_q(spec, channel, day)), spec.search)


def filter_listing_index(entries, spec: ProductFilter, channel, day: date):
    """Listing index rows narrowed to `spec`, its search included."""
    indexed, residual = listing_index_q(spec, channel, day)
    if residual is not None:
        entries = entries.filter(product_id__in=Product.objects.filter(residual).values("pk"))
    return narrow_to_search(entries.filter(indexed), spec.search)
