"""`Collection`, seen in a channel (a `ChannelContext`)."""

import graphene

from backend.graphql.attribute.types import load_translation
from backend.graphql.core.connection import CountableConnection, connection_args
from backend.graphql.core.context import unwrap
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import Image, ObjectWithMetadata
from backend.graphql.product import dataloaders as loaders
from backend.graphql.product import resolvers
from backend.graphql.product.types.common import product_list_args
from backend.graphql.product.types.media import background_image, thumbnail_args
from backend.graphql.product.types.products import ProductCountableConnection
from backend.graphql.product.types.translations import (
    CollectionTranslation,
    source_with,
    translation_field,
)
from backend.product import models
from backend.product.catalogue.filters import ProductFilter


class Collection(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    slug = graphene.String(required=True)
    channel = graphene.String()
    products = graphene.Field(ProductCountableConnection, **connection_args(**product_list_args()))
    background_image = graphene.Field(Image, **thumbnail_args())
    translation = translation_field(CollectionTranslation)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a collection of products."

    resolve_id = staticmethod(global_id_resolver("Collection"))

    @staticmethod
    def resolve_channel(root, _info):
        _, channel = unwrap(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_products(root, info, **args):
        collection, channel = unwrap(root)
        return resolvers.resolve_products(
            info,
            ProductCountableConnection,
            channel.slug if channel else None,
            within=ProductFilter(collections=(collection.pk,)),
            collection=collection,
            **args,
        )

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        collection, _ = unwrap(root)
        return background_image(info, "Collection", collection, size, format)

    @staticmethod
    def resolve_translation(root, info, language_code):
        collection, _ = unwrap(root)
        return load_translation(
            info,
            loaders.CollectionTranslationLoader,
            collection,
            language_code,
            source_with(models.CollectionTranslation, collection=True),
        )


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection
        strict_types = True
