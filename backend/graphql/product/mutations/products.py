"""`productCreate`, `productUpdate`, `productDelete`."""

import graphene

from backend.graphql.product.mutations.base import (
    PRODUCT_TYPE,
    ProductMutation,
    clean_product_input,
    deleted_copy,
    get_by_one_of,
)
from backend.graphql.product.mutations.inputs import ProductCreateInput, ProductInput
from backend.product import services


class ProductCreate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        input = ProductCreateInput(
            required=True, description="Fields required to create a product."
        )

    class Meta:
        description = "Creates a new product."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = services.create_product(
            clean_product_input(input, cls.scope(info)), scope=cls.scope(info)
        )
        return cls(product=product, errors=[])


class ProductUpdate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product to update.")
        external_reference = graphene.String(description="External ID of a product to update.")
        input = ProductInput(required=True, description="Fields required to update a product.")

    class Meta:
        description = "Updates an existing product."

    @classmethod
    def perform_mutation(cls, _root, info, input, id=None, external_reference=None):
        product = get_by_one_of(
            cls.scoped_products(info), "Product", id=id, external_reference=external_reference
        )
        product = services.update_product(
            product, clean_product_input(input, cls.scope(info)), scope=cls.scope(info)
        )
        return cls(product=product, errors=[])


class ProductDelete(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)

    class Arguments:
        id = graphene.ID(description="ID of a product to delete.")
        external_reference = graphene.String(description="External ID of a product to delete.")

    class Meta:
        description = "Deletes a product."

    @classmethod
    def perform_mutation(cls, _root, info, id=None, external_reference=None):
        product = get_by_one_of(
            cls.scoped_products(info), "Product", id=id, external_reference=external_reference
        )
        pk = product.pk
        services.delete_product(product, scope=cls.scope(info))
        return cls(product=deleted_copy(product, pk), errors=[])
