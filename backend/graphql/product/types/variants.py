"""`ProductVariant`, seen in a channel (a `ChannelContext`)."""

import graphene
from django.conf import settings

from backend.graphql.attribute.dataloaders import (
    AttributeValuesByVariantIdLoader,
    AttributeVariantsByProductTypeIdLoader,
)
from backend.graphql.attribute.types import AssignedAttribute, SelectedAttribute, load_translation
from backend.graphql.core.connection import CountableConnection
from backend.graphql.core.context import ChannelContext, unwrap
from backend.graphql.core.dataloaders import then
from backend.graphql.core.enums import CountryCode, VariantAttributeScope
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.scalars import PositiveInt
from backend.graphql.core.types import ObjectWithMetadata, TaxedMoney
from backend.graphql.marketplace.types import PERMISSIONS_NOTE as MARKETPLACE_NOTE
from backend.graphql.marketplace.types import (
    MarketplaceMapping,
    resolve_variant_marketplace_mappings,
)
from backend.graphql.product import dataloaders as loaders
from backend.graphql.product.types.common import (
    ADDRESS_INPUT,
    VariantPricingInfo,
    Weight,
    assigned_attributes_of,
    rows_with_values,
    selected_attributes_of,
)
from backend.graphql.product.types.media import ProductMedia
from backend.graphql.product.types.translations import (
    ProductVariantTranslation,
    source_with,
    translation_field,
)
from backend.graphql.warehouse.dataloaders import StocksByVariantAndChannelLoader
from backend.graphql.warehouse.types import (
    STOCK_PERMISSIONS_NOTE,
    Stock,
    stock_denied,
    stock_scope,
    stocks_in_own_warehouses,
)
from backend.product import models


class ProductVariant(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    sku = graphene.String()
    product = graphene.Field("backend.graphql.product.types.products.Product", required=True)
    track_inventory = graphene.Boolean(required=True)
    quantity_limit_per_customer = graphene.Int()
    weight = graphene.Field(Weight)
    channel = graphene.String()
    external_reference = graphene.String()
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    pricing = graphene.Field(VariantPricingInfo, address=graphene.Argument(ADDRESS_INPUT))
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute),
        required=True,
        variant_selection=graphene.Argument(VariantAttributeScope),
        deprecation_reason="Use the `assignedAttributes` field instead.",
    )
    assigned_attributes = graphene.List(
        graphene.NonNull(AssignedAttribute),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
    )
    media = graphene.List(graphene.NonNull(ProductMedia))
    translation = translation_field(ProductVariantTranslation)
    stocks = graphene.List(
        graphene.NonNull(Stock),
        address=graphene.Argument(
            ADDRESS_INPUT,
            description="Destination address used to find warehouses where stock availability "
            "for this product is checked. Not used: the stock listed is that of the warehouses "
            "serving the variant's channel (every warehouse without a channel).",
            deprecation_reason="Not used.",
        ),
        country_code=graphene.Argument(
            CountryCode,
            description="Two-letter ISO 3166-1 country code.",
            deprecation_reason="Use `address` argument instead.",
        ),
        description=f"Stocks for the product variant.\n\n{STOCK_PERMISSIONS_NOTE}",
    )
    quantity_available = graphene.Int(
        address=graphene.Argument(ADDRESS_INPUT, deprecation_reason="Not used."),
        country_code=graphene.Argument(
            CountryCode, deprecation_reason="Use `address` argument instead."
        ),
    )
    marketplace_mappings = graphene.List(
        graphene.NonNull(MarketplaceMapping),
        required=True,
        description=f"The variant as a SKU of marketplace shops.\n\n{MARKETPLACE_NOTE}",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a version of a product such as different size or color."

    resolve_id = staticmethod(global_id_resolver("ProductVariant"))

    @staticmethod
    def resolve_name(root, _info):
        return root.name or ""

    @staticmethod
    def resolve_product(root, info):
        _, channel = unwrap(root)
        return then(
            loaders.ProductByIdLoader(info.context).load(root.product_id),
            lambda product: ChannelContext(product, channel),
        )

    @staticmethod
    def resolve_weight(root, _info):
        return Weight.from_grams(root.weight_grams)

    @staticmethod
    def resolve_channel(root, _info):
        _, channel = unwrap(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_pricing(root, info, address=None):
        variant, channel = unwrap(root)
        if channel is None:
            return None

        def build(listing):
            if listing is None or listing.price_amount is None:
                return None
            price = TaxedMoney.from_minor(listing.price_amount, channel.currency_code)
            return VariantPricingInfo(
                on_sale=False,
                discount=None,
                price=price,
                price_undiscounted=price,
                price_prior=TaxedMoney.from_minor(
                    listing.prior_price_amount, channel.currency_code
                ),
            )

        return then(
            loaders.VariantChannelListingLoader(info.context).load((variant.pk, channel.pk)), build
        )

    @staticmethod
    def _attribute_values(root, info, scope=None):
        def load(product):
            return rows_with_values(
                AttributeVariantsByProductTypeIdLoader(info.context).load(product.product_type_id),
                AttributeValuesByVariantIdLoader(info.context).load(root.pk),
                scope,
            )

        return then(loaders.ProductByIdLoader(info.context).load(root.product_id), load)

    @staticmethod
    def resolve_attributes(root, info, variant_selection=None):
        return selected_attributes_of(
            info, ProductVariant._attribute_values(root, info, variant_selection)
        )

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return assigned_attributes_of(info, ProductVariant._attribute_values(root, info), limit)

    @staticmethod
    def resolve_media(root, info):
        return loaders.MediaByVariantIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_translation(root, info, language_code):
        variant, _ = unwrap(root)
        return load_translation(
            info,
            loaders.ProductVariantTranslationLoader,
            variant,
            language_code,
            source_with(models.ProductVariantTranslation, product_variant=True),
        )

    @staticmethod
    def resolve_stocks(root, info, address=None, country_code=None):
        variant, channel = unwrap(root)
        scope = stock_scope(info)

        def stocks():
            return StocksByVariantAndChannelLoader(info.context).load(
                (variant.pk, channel.pk if channel else None)
            )

        if scope is None:
            return stocks()

        def owned(product):
            # A member reads their own products' stock, in their own warehouses only.
            if product is None or not scope.covers(product.producer_id):
                raise stock_denied()
            return then(stocks(), lambda rows: stocks_in_own_warehouses(info, scope, rows))

        return then(loaders.ProductByIdLoader(info.context).load(variant.product_id), owned)

    @staticmethod
    def resolve_marketplace_mappings(root, info):
        variant, _channel = unwrap(root)
        return resolve_variant_marketplace_mappings(info, variant.pk)

    @staticmethod
    def resolve_quantity_available(root, info, address=None, country_code=None):
        variant, channel = unwrap(root)
        if channel is None:
            return None
        limit = variant.quantity_limit_per_customer or settings.MAX_CHECKOUT_LINE_QUANTITY
        if not variant.track_inventory:
            return limit
        return then(
            loaders.QuantityAvailableLoader(info.context).load((variant.pk, channel.pk)),
            lambda available: min(available, limit),
        )


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariant
        strict_types = True
