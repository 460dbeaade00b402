"""`productVariantCreate`, `productVariantUpdate`, `productVariantDelete`,
`productVariantStocksUpdate`."""

import graphene

from backend.graphql.product.mutations.base import (
    VARIANT_TYPE,
    BulkStockError,
    ProductMutation,
    clean_stocks,
    clean_variant_input,
    deleted_copy,
    get_by_one_of,
    get_node,
)
from backend.graphql.product.mutations.inputs import (
    ProductVariantCreateInput,
    ProductVariantInput,
    StockInput,
)
from backend.product import services


class ProductVariantCreate(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        input = ProductVariantCreateInput(
            required=True, description="Fields required to create a product variant."
        )

    class Meta:
        description = "Creates a new variant for a product."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = get_node(cls.scoped_products(info), "Product", input["product"], "product")
        stocks = clean_stocks(input.get("stocks"), cls.scoped_warehouses(info))
        variant = services.create_variant(
            product, clean_variant_input(input), stocks, scope=cls.scope(info)
        )
        return cls(product_variant=variant, errors=[])


class ProductVariantUpdate(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product variant to update.")
        sku = graphene.String(description="SKU of a product variant to update.")
        external_reference = graphene.String(
            description="External ID of a product variant to update."
        )
        input = ProductVariantInput(
            required=True, description="Fields required to update a product variant."
        )

    class Meta:
        description = "Updates an existing variant for product."

    @classmethod
    def perform_mutation(cls, _root, info, input, id=None, sku=None, external_reference=None):
        variant = get_by_one_of(
            cls.scoped_variants(info),
            "ProductVariant",
            id=id,
            sku=sku,
            external_reference=external_reference,
        )
        variant = services.update_variant(
            variant, clean_variant_input(input), scope=cls.scope(info)
        )
        return cls(product_variant=variant, errors=[])


class ProductVariantDelete(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product variant to delete.")
        sku = graphene.String(description="SKU of a product variant to delete.")
        external_reference = graphene.String(
            description="External ID of a product variant to update."
        )

    class Meta:
        description = "Deletes a product variant."

    @classmethod
    def perform_mutation(cls, _root, info, id=None, sku=None, external_reference=None):
        variant = get_by_one_of(
            cls.scoped_variants(info),
            "ProductVariant",
            id=id,
            sku=sku,
            external_reference=external_reference,
        )
        pk = variant.pk
        services.delete_variant(variant, scope=cls.scope(info))
        return cls(product_variant=deleted_copy(variant, pk), errors=[])


class ProductVariantStocksUpdate(ProductMutation):
    product_variant = graphene.Field(VARIANT_TYPE)

    class Arguments:
        variant_id = graphene.ID(
            description="ID of a product variant for which stocks will be updated."
        )
        sku = graphene.String(
            description="SKU of product variant for which stocks will be updated."
        )
        stocks = graphene.List(
            graphene.NonNull(StockInput),
            required=True,
            description="Input list of stocks to create or update.",
        )

    class Meta:
        description = "Update stocks for product variant."
        error_type_class = BulkStockError

    @classmethod
    def perform_mutation(cls, _root, info, stocks, variant_id=None, sku=None):
        variant = get_by_one_of(cls.scoped_variants(info), "ProductVariant", id=variant_id, sku=sku)
        services.update_variant_stocks(
            variant, clean_stocks(stocks, cls.scoped_warehouses(info)), scope=cls.scope(info)
        )
        return cls(product_variant=variant, errors=[])
