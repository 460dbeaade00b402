"""`productMediaCreate`, `productMediaDelete`, `productMediaReorder`."""

import graphene
from django.utils.translation import gettext as _

from backend.core.ids import pk_from_global_id
from backend.graphql.product.mutations.base import (
    MEDIA_TYPE,
    PRODUCT_TYPE,
    ProductMutation,
    deleted_copy,
    get_node,
    get_uploaded_image,
)
from backend.graphql.product.mutations.inputs import ProductMediaCreateInput
from backend.product import services
from backend.product.validators import field_error


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
        product = get_node(cls.scoped_products(info), "Product", input["product"], "product")
        image = get_uploaded_image(info, input["image"], "image") if input.get("image") else None
        media = services.create_product_media(
            product,
            image=image,
            media_url=input.get("media_url"),
            alt=input.get("alt") or "",
            scope=cls.scope(info),
        )
        return cls(product=product, media=media, errors=[])


class ProductMediaDelete(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)
    media = graphene.Field(MEDIA_TYPE)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product media to delete.")

    class Meta:
        description = "Deletes a product media."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        media = get_node(cls.scoped_media(info).select_related("product"), "ProductMedia", id, "id")
        product, pk = media.product, media.pk
        services.delete_product_media(media, scope=cls.scope(info))
        return cls(product=product, media=deleted_copy(media, pk), errors=[])


class ProductMediaReorder(ProductMutation):
    product = graphene.Field(PRODUCT_TYPE)
    media = graphene.List(graphene.NonNull(MEDIA_TYPE))

    class Arguments:
        product_id = graphene.ID(
            required=True, description="ID of product that media order will be altered."
        )
        media_ids = graphene.List(
            graphene.NonNull(graphene.ID),
            required=True,
            description="IDs of a product media in the desired order.",
        )

    class Meta:
        description = "Changes ordering of the product media."

    @classmethod
    def perform_mutation(cls, _root, info, product_id, media_ids):
        product = get_node(cls.scoped_products(info), "Product", product_id, "productId")
        pks = []
        for value in media_ids:
            pk = pk_from_global_id(value, "ProductMedia")
            if pk is None:
                raise field_error(
                    "mediaIds", _("Không đọc được ID: %(id)s.") % {"id": value}, "graphql_error"
                )
            pks.append(pk)
        services.reorder_product_media(product, pks, scope=cls.scope(info))
        media = list(product.media.order_by("sort_order", "pk"))
        return cls(product=product, media=media, errors=[])
