"""`Category`."""

import graphene

from backend.graphql.attribute.types import load_translation
from backend.graphql.core.connection import CountableConnection, connection_args, paginate_list
from backend.graphql.core.dataloaders import then
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import Image, ObjectWithMetadata
from backend.graphql.product import dataloaders as loaders
from backend.graphql.product import resolvers
from backend.graphql.product.types.common import product_list_args
from backend.graphql.product.types.media import background_image, thumbnail_args
from backend.graphql.product.types.products import ProductCountableConnection
from backend.graphql.product.types.translations import (
    CategoryTranslation,
    source_with,
    translation_field,
)
from backend.product import models
from backend.product.catalogue.filters import ProductFilter


class Category(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    slug = graphene.String(required=True)
    parent = graphene.Field(lambda: Category)
    level = graphene.Int(required=True)
    updated_at = graphene.DateTime(required=True)
    ancestors = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    children = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    products = graphene.Field(
        ProductCountableConnection,
        **connection_args(**product_list_args(channel=graphene.String())),
    )
    background_image = graphene.Field(Image, **thumbnail_args())
    translation = translation_field(CategoryTranslation)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a single category of products."

    resolve_id = staticmethod(global_id_resolver("Category"))

    @staticmethod
    def resolve_parent(root, info):
        if root.parent_id is None:
            return None
        return loaders.CategoryByIdLoader(info.context).load(root.parent_id)

    @staticmethod
    def resolve_ancestors(root, info, **paging):
        def climb(category, chain):
            if category is None or category.parent_id is None:
                return chain
            return then(
                loaders.CategoryByIdLoader(info.context).load(category.parent_id),
                lambda parent: climb(parent, [*chain, parent] if parent else chain),
            )

        return then(
            climb(root, []),
            lambda chain: paginate_list(
                chain, CategoryCountableConnection, field_name="ancestors", **paging
            ),
        )

    @staticmethod
    def resolve_children(root, info, **paging):
        return then(
            loaders.ChildrenByCategoryIdLoader(info.context).load(root.pk),
            lambda children: paginate_list(
                children, CategoryCountableConnection, field_name="children", **paging
            ),
        )

    @staticmethod
    def resolve_products(root, info, channel=None, **args):
        within = ProductFilter(category_trees=(root.pk,))
        return resolvers.resolve_products(
            info, ProductCountableConnection, channel, within=within, **args
        )

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        return background_image(info, "Category", root, size, format)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return load_translation(
            info,
            loaders.CategoryTranslationLoader,
            root,
            language_code,
            source_with(models.CategoryTranslation, category=True),
        )


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = Category
        strict_types = True
