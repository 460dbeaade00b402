"""`Product`, seen in a channel (a `ChannelContext`)."""

import graphene

from backend.graphql.attribute.dataloaders import (
    AttributeProductsByProductTypeIdLoader,
    AttributeValuesByProductIdLoader,
)
from backend.graphql.attribute.types import (
    AssignedAttribute,
    SelectedAttribute,
    load_translation,
    resolve_assigned_attributes,
)
from backend.graphql.core.connection import CountableConnection, connection_args, paginate_list
from backend.graphql.core.context import ChannelContext, unwrap
from backend.graphql.core.dataloaders import gather, then
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.scalars import PositiveInt
from backend.graphql.core.types import Image, ObjectWithMetadata, TaxedMoneyRange
from backend.graphql.ocop import dataloaders as ocop_loaders
from backend.graphql.ocop.resolvers import visible_producer
from backend.graphql.product import dataloaders as loaders
from backend.graphql.product.filters.variant import filter_variants
from backend.graphql.product.resolvers import sees_hidden_products_of
from backend.graphql.product.types.common import (
    ADDRESS_INPUT,
    ProductPricingInfo,
    Weight,
    assigned_attributes_of,
    is_available_for_purchase,
    is_published,
    rows_with_values,
    selected_attributes_of,
    visible_collections,
)
from backend.graphql.product.types.media import (
    MediaSortingInput,
    ProductMedia,
    first_image_thumbnail,
    media_sorted,
    thumbnail_args,
)
from backend.graphql.product.types.product_types import ProductType
from backend.graphql.product.types.translations import (
    ProductTranslation,
    source_with,
    translation_field,
)
from backend.graphql.product.types.variants import ProductVariant, ProductVariantCountableConnection
from backend.product import models


class Product(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString(description="Description in EditorJS JSON.")
    product_type = graphene.Field(ProductType, required=True)
    slug = graphene.String(required=True)
    external_reference = graphene.String()
    category = graphene.Field("backend.graphql.product.types.categories.Category")
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    weight = graphene.Field(Weight)
    default_variant = graphene.Field(ProductVariant)
    rating = graphene.Float()
    channel = graphene.String(description="Channel slug the product is seen in.")
    thumbnail = graphene.Field(Image, **thumbnail_args())
    pricing = graphene.Field(ProductPricingInfo, address=graphene.Argument(ADDRESS_INPUT))
    is_available = graphene.Boolean(
        address=graphene.Argument(ADDRESS_INPUT, deprecation_reason="Not used.")
    )
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute),
        required=True,
        deprecation_reason="Use the `assignedAttributes` field instead.",
    )
    assigned_attribute = graphene.Field(AssignedAttribute, slug=graphene.String(required=True))
    assigned_attributes = graphene.List(
        graphene.NonNull(AssignedAttribute),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
    )
    variants = graphene.List(
        graphene.NonNull(ProductVariant),
        deprecation_reason="Use the `productVariants` field instead.",
    )
    product_variants = graphene.Field(
        ProductVariantCountableConnection,
        **connection_args(
            filter=graphene.Argument(
                "backend.graphql.product.filters.variant.ProductVariantFilterInput",
                deprecation_reason="Use `where` filter instead.",
            ),
            where=graphene.Argument(
                "backend.graphql.product.filters.variant.ProductVariantWhereInput"
            ),
            sort_by=graphene.Argument("backend.graphql.product.sorters.ProductVariantSortingInput"),
        ),
    )
    media = graphene.List(
        graphene.NonNull(ProductMedia), sort_by=graphene.Argument(MediaSortingInput)
    )
    collections = graphene.List(
        graphene.NonNull("backend.graphql.product.types.collections.Collection")
    )
    translation = translation_field(ProductTranslation)
    producer = graphene.Field(
        "backend.graphql.ocop.types.Producer", description="The OCOP producer making it."
    )
    province = graphene.Field(
        "backend.graphql.ocop.types.Province", description="The producer's province."
    )
    ocop_certification = graphene.Field(
        "backend.graphql.ocop.types.OcopCertification",
        description="The OCOP star badge: the best certification valid today, if any.",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents an individual item for sale in the storefront."

    @staticmethod
    def resolve_producer(root, info):
        if root.producer_id is None:
            return None
        return then(
            ocop_loaders.ProducerByIdLoader(info.context).load(root.producer_id),
            lambda producer: visible_producer(info, producer),
        )

    @staticmethod
    def resolve_province(root, info):
        if root.producer_id is None:
            return None
        return then(
            ocop_loaders.ProducerByIdLoader(info.context).load(root.producer_id),
            lambda producer: ocop_loaders.ProvinceByIdLoader(info.context).load(
                producer.province_id
            ),
        )

    @staticmethod
    def resolve_ocop_certification(root, info):
        return ocop_loaders.BadgeByProductIdLoader(info.context).load(root.pk)

    resolve_id = staticmethod(global_id_resolver("Product"))

    @staticmethod
    def resolve_product_type(root, info):
        return loaders.ProductTypeByIdLoader(info.context).load(root.product_type_id)

    @staticmethod
    def resolve_category(root, info):
        if root.category_id is None:
            return None
        return loaders.CategoryByIdLoader(info.context).load(root.category_id)

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_weight(root, _info):
        return Weight.from_grams(root.weight_grams)

    @staticmethod
    def resolve_channel(root, _info):
        _, channel = unwrap(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        return then(
            loaders.MediaByProductIdLoader(info.context).load(root.pk),
            lambda media: first_image_thumbnail(info, media, size, format),
        )

    @staticmethod
    def resolve_media(root, info, sort_by=None):
        return then(
            loaders.MediaByProductIdLoader(info.context).load(root.pk),
            lambda media: media_sorted(media, sort_by),
        )

    @staticmethod
    def _listing(root, info):
        product, channel = unwrap(root)
        if channel is None:
            return None
        return loaders.ProductChannelListingLoader(info.context).load((product.pk, channel.pk))

    @staticmethod
    def resolve_pricing(root, info, address=None):
        product, channel = unwrap(root)
        if channel is None:
            return None

        def build(prices):
            if prices is None:  # not listed in the channel
                return None
            low, high = prices
            price_range = (
                TaxedMoneyRange.from_minor(low, high, channel.currency_code)
                if low is not None
                else None
            )
            return ProductPricingInfo(
                on_sale=False,
                discount=None,
                price_range=price_range,
                price_range_undiscounted=price_range,
                display_gross_prices=True,
            )

        key = (product.pk, channel.pk)
        return then(loaders.ProductPriceRangeLoader(info.context).load(key), build)

    @staticmethod
    def resolve_is_available(root, info, address=None):
        return then(
            Product._listing(root, info),
            lambda listing: is_published(listing) and is_available_for_purchase(listing),
        )

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        return then(Product._listing(root, info), is_available_for_purchase)

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        return then(
            Product._listing(root, info),
            lambda listing: listing.available_for_purchase_at if listing else None,
        )

    @staticmethod
    def _attribute_values(root, info):
        """(product-type attribute rows, the product's values in that order)."""
        return rows_with_values(
            AttributeProductsByProductTypeIdLoader(info.context).load(root.product_type_id),
            AttributeValuesByProductIdLoader(info.context).load(root.pk),
        )

    @staticmethod
    def resolve_attributes(root, info):
        return selected_attributes_of(info, Product._attribute_values(root, info))

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return assigned_attributes_of(info, Product._attribute_values(root, info), limit)

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        def pick(result):
            rows, values = result
            ids = {row.attribute_id for row in rows if row.attribute.slug == slug}
            if not ids:
                return None
            chosen = [value for value in values if value.attribute_id in ids]
            return then(
                resolve_assigned_attributes(info, chosen, 1),
                lambda assigned: assigned[0] if assigned else None,
            )

        return then(Product._attribute_values(root, info), pick)

    @staticmethod
    def _visible_variants(root, info):
        product, channel = unwrap(root)
        variants = loaders.VariantsByProductIdLoader(info.context).load(product.pk)
        sees_hidden = sees_hidden_products_of(info, product.producer_id)
        if sees_hidden or channel is None:
            if not sees_hidden:
                return []
            return then(variants, lambda items: [ChannelContext(v, channel) for v in items])

        def priced(results):
            items, listings = results
            priced_ids = {row.variant_id for row in listings if row.price_amount is not None}
            return [ChannelContext(v, channel) for v in items if v.pk in priced_ids]

        listings = loaders.VariantChannelListingsByProductLoader(info.context).load(
            (product.pk, channel.pk)
        )
        return then(gather([variants, listings]), priced)

    @staticmethod
    def resolve_variants(root, info):
        return Product._visible_variants(root, info)

    @staticmethod
    def resolve_default_variant(root, info):
        def pick(variants):
            default = next((v for v in variants if v.node.is_default), None)
            return default or (variants[0] if variants else None)

        return then(Product._visible_variants(root, info), pick)

    @staticmethod
    def resolve_product_variants(root, info, filter=None, where=None, sort_by=None, **paging):
        def page(variants):
            selected = filter_variants(variants, filter, where, sort_by)
            return paginate_list(
                selected, ProductVariantCountableConnection, field_name="productVariants", **paging
            )

        return then(Product._visible_variants(root, info), page)

    @staticmethod
    def resolve_collections(root, info):
        product, channel = unwrap(root)
        collections = loaders.CollectionsByProductIdLoader(info.context).load(product.pk)
        return then(collections, lambda items: visible_collections(info, items, channel))

    @staticmethod
    def resolve_translation(root, info, language_code):
        product, _ = unwrap(root)
        return load_translation(
            info,
            loaders.ProductTranslationLoader,
            product,
            language_code,
            source_with(models.ProductTranslation, product=True),
        )


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product
        strict_types = True
