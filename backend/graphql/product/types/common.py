"""What the catalog types share: staff visibility, weights, pricing info, publication, the
product type's order of attributes and the arguments of product lists.

Products, variants and collections are resolved inside a `ChannelContext` (the object plus the
channel it is seen in), because prices, availability and visibility depend on the channel.
"""

import graphene
from django.utils import timezone

from backend.graphql.attribute.types import assigned_attributes, resolve_selected_attributes
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.dataloaders import then
from backend.graphql.core.types import TaxedMoney, TaxedMoneyRange
from backend.graphql.product import dataloaders as loaders
from backend.graphql.product.resolvers import can_manage_products

# Prices are VAT-inclusive and the same everywhere in a channel, so `address` changes nothing.
ADDRESS_INPUT = "backend.graphql.account.types.AddressInput"


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True, description="Weight unit (G).")
    value = graphene.Float(required=True)

    @staticmethod
    def from_grams(grams):
        return None if grams is None else Weight(unit="G", value=float(grams))


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)
    display_gross_prices = graphene.Boolean(required=True)


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)
    price_prior = graphene.Field(TaxedMoney)


def product_list_args(**more) -> dict:
    """The arguments of a list of products (besides paging), as `products` takes them."""
    return {
        "filter": graphene.Argument(
            "backend.graphql.product.filters.product.ProductFilterInput",
            deprecation_reason="Use `where` filter instead.",
        ),
        "where": graphene.Argument("backend.graphql.product.filters.product.ProductWhereInput"),
        "sort_by": graphene.Argument("backend.graphql.product.sorters.ProductOrder"),
        "search": graphene.String(),
        **more,
    }


def in_scope(rows, scope):
    scope = getattr(scope, "value", scope)
    if scope == "VARIANT_SELECTION":
        return [row for row in rows if row.variant_selection]
    if scope == "NOT_VARIANT_SELECTION":
        return [row for row in rows if not row.variant_selection]
    return rows


def is_available_for_purchase(listing) -> bool:
    return bool(
        listing
        and listing.available_for_purchase_at is not None
        and listing.available_for_purchase_at <= timezone.now()
    )


def is_published(listing) -> bool:
    return bool(
        listing
        and listing.is_published
        and (listing.published_at is None or listing.published_at <= timezone.now())
    )


def _sorted_by_type_order(values, attribute_rows):
    """Values ordered as the product type lists their attributes."""
    position = {row.attribute_id: index for index, row in enumerate(attribute_rows)}
    allowed = [value for value in values if value.attribute_id in position]
    return sorted(allowed, key=lambda value: position[value.attribute_id])


def rows_with_values(rows, values, scope=None):
    """Promise of (type attribute rows in scope, the values ordered like those rows)."""

    def order(rows, values):
        kept = in_scope(rows, scope)
        return kept, _sorted_by_type_order(values, kept)

    return then(rows, lambda rows: then(values, lambda values: order(rows, values)))


def selected_attributes_of(info, rows_and_values):
    return then(
        rows_and_values,
        lambda result: resolve_selected_attributes(
            info, [row.attribute for row in result[0]], result[1]
        ),
    )


def assigned_attributes_of(info, rows_and_values, limit):
    """The type's rows come with their attributes, in the values' order."""
    return then(
        rows_and_values,
        lambda result: assigned_attributes(
            info, result[1], [row.attribute for row in result[0]], limit
        ),
    )


def visible_collections(info, collections, channel):
    """Collections published in `channel` (all of them for staff), in a ChannelContext."""
    if can_manage_products(info):
        return [ChannelContext(c, channel) for c in collections]
    if channel is None:
        return []
    keys = [(c.pk, channel.pk) for c in collections]

    def published(listings):
        return [
            ChannelContext(c, channel)
            for c, listing in zip(collections, listings, strict=True)
            if is_published(listing)
        ]

    return then(loaders.CollectionChannelListingLoader(info.context).load_many(keys), published)
