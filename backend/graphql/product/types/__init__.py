"""Catalog types with Saleor's names: products, variants, media, product types, categories,
collections, their pricing and translations (one module each), all importable from here."""

from backend.graphql.core.context import ChannelContext, unwrap
from backend.graphql.product.types.categories import Category, CategoryCountableConnection
from backend.graphql.product.types.collections import Collection, CollectionCountableConnection
from backend.graphql.product.types.common import (
    ProductPricingInfo,
    VariantPricingInfo,
    Weight,
    can_manage_products,
    visible_collections,
)
from backend.graphql.product.types.media import (
    MediaSortingInput,
    ProductMedia,
    first_image_thumbnail,
    thumbnail_args,
)
from backend.graphql.product.types.product_types import ProductType, ProductTypeKindEnum
from backend.graphql.product.types.products import Product, ProductCountableConnection
from backend.graphql.product.types.translations import (
    CategoryTranslation,
    CollectionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
)
from backend.graphql.product.types.variants import ProductVariant, ProductVariantCountableConnection

__all__ = [
    "Category",
    "CategoryCountableConnection",
    "CategoryTranslation",
    "ChannelContext",
    "Collection",
    "CollectionCountableConnection",
    "CollectionTranslation",
    "MediaSortingInput",
    "Product",
    "ProductCountableConnection",
    "ProductMedia",
    "ProductPricingInfo",
    "ProductTranslation",
    "ProductType",
    "ProductTypeKindEnum",
    "ProductVariant",
    "ProductVariantCountableConnection",
    "ProductVariantTranslation",
    "VariantPricingInfo",
    "Weight",
    "can_manage_products",
    "first_image_thumbnail",
    "thumbnail_args",
    "unwrap",
    "visible_collections",
]
