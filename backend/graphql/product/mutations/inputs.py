"""Input types of the catalog mutations, with Saleor's names and descriptions."""

import graphene

from backend.graphql.core.scalars import PositiveDecimal
from backend.graphql.core.uploads import Upload
from backend.graphql.product.mutations.base import WeightScalar


class SeoInput(graphene.InputObjectType):
    title = graphene.String(description="SEO title.")
    description = graphene.String(description="SEO description.")


class ProductInput(graphene.InputObjectType):
    category = graphene.ID(description="ID of the product's category.")
    description = graphene.JSONString(description="Product description (EditorJS JSON).")
    name = graphene.String(description="Product name.")
    slug = graphene.String(description="Product slug.")
    seo = graphene.Field(SeoInput, description="Search engine optimization fields.")
    weight = WeightScalar(description="Weight of the product.")
    rating = graphene.Float(description="Defines the product rating value.")
    external_reference = graphene.String(description="External ID of this product.")
    producer = graphene.ID(description="ID of the OCOP producer making the product.")


class ProductCreateInput(ProductInput):
    product_type = graphene.ID(required=True, description="ID of the type that product belongs to.")


class StockInput(graphene.InputObjectType):
    warehouse = graphene.ID(required=True, description="Warehouse in which stock is located.")
    quantity = graphene.Int(required=True, description="Quantity of items available for sell.")


class ProductVariantInput(graphene.InputObjectType):
    sku = graphene.String(description="Stock keeping unit.")
    name = graphene.String(description="Variant name.")
    track_inventory = graphene.Boolean(
        description="Determines if the inventory of this variant should be tracked."
    )
    weight = WeightScalar(description="Weight of the Product Variant.")
    quantity_limit_per_customer = graphene.Int(description="Maximum quantity a customer may buy.")
    external_reference = graphene.String(description="External ID of this product variant.")


class ProductVariantCreateInput(ProductVariantInput):
    product = graphene.ID(required=True, description="Product ID of which type is the variant.")
    stocks = graphene.List(
        graphene.NonNull(StockInput), description="Stocks of a product available for sale."
    )


class ProductChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True, description="ID of a channel.")
    is_published = graphene.Boolean(description="Determines if object is visible to customers.")
    published_at = graphene.DateTime(description="Publication date time.")
    visible_in_listings = graphene.Boolean(
        description="Determines if product is visible in product listings."
    )
    is_available_for_purchase = graphene.Boolean(
        description="Determines if product should be available for purchase."
    )
    available_for_purchase_at = graphene.DateTime(
        description="A start date time from which a product will be available for purchase."
    )
    add_variants = graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of variants to which the channel should be assigned.",
    )
    remove_variants = graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of variants from which the channel should be unassigned.",
    )


class ProductChannelListingUpdateInput(graphene.InputObjectType):
    update_channels = graphene.List(
        graphene.NonNull(ProductChannelListingAddInput),
        description="List of channels to which the product should be assigned or updated.",
    )
    remove_channels = graphene.List(
        graphene.NonNull(graphene.ID),
        description="List of channels from which the product should be unassigned.",
    )


class ProductVariantChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True, description="ID of a channel.")
    price = PositiveDecimal(
        required=True, description="Price of the particular variant in channel."
    )
    cost_price = PositiveDecimal(description="Cost price of the variant in channel.")
    prior_price = PositiveDecimal(description="The value of the previous price before discount.")


class ProductMediaCreateInput(graphene.InputObjectType):
    alt = graphene.String(description="Alt text for a product media.")
    image = Upload(description="Represents an image file in a multipart request.")
    product = graphene.ID(required=True, description="ID of an product.")
    media_url = graphene.String(description="Represents an URL to an external media.")


class CategoryInput(graphene.InputObjectType):
    description = graphene.JSONString(description="Category description (EditorJS JSON).")
    name = graphene.String(description="Category name.")
    slug = graphene.String(description="Category slug.")
    seo = graphene.Field(SeoInput, description="Search engine optimization fields.")
    background_image = Upload(description="Background image file.")
    background_image_alt = graphene.String(description="Alt text for a category media.")
