"""`productChannelListingUpdate` and `productVariantChannelListingUpdate`: a product's
availability and its variants' prices in channels."""

import graphene

from backend.channel.models import Channel
from backend.graphql.product.mutations.base import (
    PRODUCT_TYPE,
    VARIANT_TYPE,
    ProductChannelListingError,
    ProductMutation,
    get_by_one_of,
    get_node,
    get_nodes,
    given_fields,
)
from backend.graphql.product.mutations.inputs import (
    ProductChannelListingUpdateInput,
    ProductVariantChannelListingAddInput,
)
from backend.product import services


class ProductChannelListingUpdate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to update.")
        input = ProductChannelListingUpdateInput(
            required=True,
            description="Fields required to create or update product channel listings.",
        )

    class Meta:
        description = "Manage product's availability in channels."
        error_type_class = ProductChannelListingError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        product = get_node(cls.scoped_products(info), "Product", id, "id")
        variants = cls.scoped_variants(info)
        update_channels = []
        for item in input.get("update_channels") or []:
            cleaned = given_fields(
                item,
                (
                    "is_published",
                    "published_at",
                    "visible_in_listings",
                    "is_available_for_purchase",
                    "available_for_purchase_at",
                ),
            )
            cleaned["channel"] = get_node(
                Channel.objects, "Channel", item["channel_id"], "channelId"
            )
            cleaned["add_variants"] = get_nodes(
                variants, "ProductVariant", item.get("add_variants"), "addVariants"
            )
            cleaned["remove_variants"] = get_nodes(
                variants, "ProductVariant", item.get("remove_variants"), "removeVariants"
            )
            update_channels.append(cleaned)
        remove_channels = get_nodes(
            Channel.objects, "Channel", input.get("remove_channels"), "removeChannels"
        )
        services.update_product_channel_listings(
            product, update_channels, remove_channels, scope=cls.scope(info)
        )
        return cls(product=product, errors=[])


class ProductVariantChannelListingUpdate(ProductMutation):
    variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product variant to update.")
        sku = graphene.String(description="SKU of a product variant to update.")
        input = graphene.List(
            graphene.NonNull(ProductVariantChannelListingAddInput),
            required=True,
            description="Fields required to create or update product variant channel listings.",
        )

    class Meta:
        description = "Manage product variant prices in channels."
        error_type_class = ProductChannelListingError

    @classmethod
    def perform_mutation(cls, _root, info, input, id=None, sku=None):
        variant = get_by_one_of(cls.scoped_variants(info), "ProductVariant", id=id, sku=sku)
        listings = [
            {
                "channel": get_node(Channel.objects, "Channel", item["channel_id"], "channelId"),
                "price": item.get("price"),
                "cost_price": item.get("cost_price"),
                "prior_price": item.get("prior_price"),
            }
            for item in input
        ]
        services.update_variant_channel_listings(variant, listings, scope=cls.scope(info))
        return cls(variant=variant, errors=[])
