"""Navigation menus and their items (a tree) with Saleor's names and fields.

Menus and items are resolved as `InChannel` (the object plus the slug of the channel the menu
was asked for), because whether a linked collection shows depends on the channel.
"""

from dataclasses import dataclass

import graphene
from django.conf import settings

from backend.graphql.attribute.types import load_translation
from backend.graphql.core.connection import CountableConnection
from backend.graphql.core.dataloaders import gather, then
from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import LanguageDisplay, ObjectWithMetadata, TranslationResolvers
from backend.graphql.menu.dataloaders import (
    MenuByIdLoader,
    MenuItemsByMenuIdLoader,
    MenuItemTranslationLoader,
)
from backend.graphql.page.dataloaders import PageByIdLoader
from backend.graphql.page.types import Page, is_page_visible
from backend.menu import models


@dataclass
class InChannel:
    """A menu or menu item seen in the channel named by `channel_slug`."""

    node: object
    channel_slug: str

    def __getattr__(self, name):
        return getattr(self.node, name)


def in_channel(node, channel_slug: str | None):
    if node is None:
        return None
    return InChannel(node, channel_slug or settings.DEFAULT_CHANNEL_SLUG)


class MenuItemTranslation(TranslationResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    language = graphene.Field(LanguageDisplay, required=True, description="Translation language.")
    name = graphene.String(required=True)

    class Meta:
        description = "Represents menu item translations."


def _source_translation(item: models.MenuItem) -> models.MenuItemTranslation:
    return models.MenuItemTranslation(menu_item=item, name=item.name)


def _menu_items(info, menu_id: int):
    return MenuItemsByMenuIdLoader(info.context).load(menu_id)


class MenuItem(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    menu = graphene.Field(lambda: Menu, required=True)
    parent = graphene.Field(lambda: MenuItem)
    category = graphene.Field("backend.graphql.product.types.Category")
    collection = graphene.Field("backend.graphql.product.types.Collection")
    page = graphene.Field(Page)
    level = graphene.Int(required=True)
    children = graphene.List(graphene.NonNull(lambda: MenuItem))
    url = graphene.String(description="URL to the menu item.")
    translation = graphene.Field(
        MenuItemTranslation,
        language_code=graphene.Argument(
            LanguageCodeEnum,
            required=True,
            description="A language code to return the translation for menu item.",
        ),
        description="Returns translated menu item fields for the given language code.",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = (
            "Represents a single item of the related menu. "
            "Can store categories, collection or pages."
        )

    resolve_id = staticmethod(global_id_resolver("MenuItem"))

    @staticmethod
    def resolve_menu(root: InChannel, info):
        return then(
            MenuByIdLoader(info.context).load(root.menu_id),
            lambda menu: in_channel(menu, root.channel_slug),
        )

    @staticmethod
    def resolve_parent(root: InChannel, info):
        if root.parent_id is None:
            return None
        return then(
            _menu_items(info, root.menu_id),
            lambda items: next(
                (in_channel(i, root.channel_slug) for i in items if i.pk == root.parent_id), None
            ),
        )

    @staticmethod
    def resolve_children(root: InChannel, info):
        return then(
            _menu_items(info, root.menu_id),
            lambda items: [
                in_channel(i, root.channel_slug) for i in items if i.parent_id == root.pk
            ],
        )

    @staticmethod
    def resolve_category(root: InChannel, info):
        from backend.graphql.product.dataloaders import CategoryByIdLoader

        if root.category_id is None:
            return None
        return CategoryByIdLoader(info.context).load(root.category_id)

    @staticmethod
    def resolve_collection(root: InChannel, info):
        from backend.graphql.product.dataloaders import ChannelBySlugLoader, CollectionByIdLoader
        from backend.graphql.product.types import visible_collections

        if root.collection_id is None:
            return None
        loaded = gather(
            [
                CollectionByIdLoader(info.context).load(root.collection_id),
                ChannelBySlugLoader(info.context).load(root.channel_slug),
            ]
        )

        def visible(values):
            collection, channel = values
            if collection is None:
                return None
            return then(
                visible_collections(info, [collection], channel),
                lambda shown: shown[0] if shown else None,
            )

        return then(loaded, visible)

    @staticmethod
    def resolve_page(root: InChannel, info):
        if root.page_id is None:
            return None
        return then(
            PageByIdLoader(info.context).load(root.page_id),
            lambda page: page if is_page_visible(info, page) else None,
        )

    @staticmethod
    def resolve_translation(root: InChannel, info, language_code):
        return load_translation(
            info, MenuItemTranslationLoader, root.node, language_code, _source_translation
        )


class Menu(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(MenuItem), description="Top-level items of the menu.")

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a menu (the storefront's navbar or footer) and its items."

    resolve_id = staticmethod(global_id_resolver("Menu"))

    @staticmethod
    def resolve_items(root: InChannel, info):
        return then(
            _menu_items(info, root.pk),
            lambda items: [in_channel(i, root.channel_slug) for i in items if i.parent_id is None],
        )


class MenuCountableConnection(CountableConnection):
    class Meta:
        node = Menu
        strict_types = True
