"""`productMediaCreate`."""

import graphene

from backend.graphql.product.mutations.base import (
    MEDIA_TYPE,
    PRODUCT_TYPE,
    ProductMutation,
    get_node,
    get_uploaded_image,
)
from backend.graphql.product.mutations.inputs import ProductMediaCreateInput
from backend.product import models, services


class ProductMediaCreate(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)
    media = graphene.Field(MEDIA_TYPE)

    class Arguments:
        input = ProductMediaCreateInput(
            required=True, description="Fields required to create a product media."
        )

    class Meta:
        description = (
            "Create a media object (image or video URL) associated with product. For image, this "
            "mutation must be sent as a `multipart` request."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = get_node(models.Product.objects, "Product", input["product"], "product")
        image = get_uploaded_image(info, input["image"], "image") if input.get("image") else None
        media = services.create_product_media(
            product,
            image=image,
            media_url=input.get("media_url"),
            alt=input.get("alt") or "",
            scope=cls.scope(info),
        )
        return cls(product=product, media=media, errors=[])
