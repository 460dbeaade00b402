"""Catalog mutations with Saleor 3's names, arguments and payloads. Each needs MANAGE_PRODUCTS or
(all but categoryCreate) membership of a producer, turns IDs into instances (unknown or another
producer's → NOT_FOUND on the field) and calls backend.product.services, which holds the rules
and checks ownership."""

import graphene

from backend.graphql.product.mutations.categories import CategoryCreate
from backend.graphql.product.mutations.channels import (
    ProductChannelListingUpdate,
    ProductVariantChannelListingUpdate,
)
from backend.graphql.product.mutations.media import (
    ProductMediaCreate,
    ProductMediaDelete,
    ProductMediaReorder,
)
from backend.graphql.product.mutations.products import ProductCreate, ProductDelete, ProductUpdate
from backend.graphql.product.mutations.variants import (
    ProductVariantCreate,
    ProductVariantDelete,
    ProductVariantStocksUpdate,
    ProductVariantUpdate,
)


class ProductMutations(graphene.ObjectType):
    category_create = CategoryCreate.Field()
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_delete = ProductDelete.Field()
    product_variant_create = ProductVariantCreate.Field()
    product_variant_update = ProductVariantUpdate.Field()
    product_variant_delete = ProductVariantDelete.Field()
    product_channel_listing_update = ProductChannelListingUpdate.Field()
    product_variant_channel_listing_update = ProductVariantChannelListingUpdate.Field()
    product_variant_stocks_update = ProductVariantStocksUpdate.Field()
    product_media_create = ProductMediaCreate.Field()
    product_media_delete = ProductMediaDelete.Field()
    product_media_reorder = ProductMediaReorder.Field()
