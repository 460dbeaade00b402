"""Content pages and page types with Saleor's names and fields."""

import graphene
from django.db.models import Q
from django.utils import timezone

from backend.account.permissions import PagePermissions, has_one_of_permissions
from backend.graphql.attribute.types import (
    AssignedAttribute,
    SelectedAttribute,
    load_translation,
    resolve_assigned_attributes,
    resolve_selected_attributes,
)
from backend.graphql.core.connection import CountableConnection
from backend.graphql.core.dataloaders import gather, then
from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.scalars import PositiveInt
from backend.graphql.core.types import LanguageDisplay, ObjectWithMetadata, TranslationResolvers
from backend.graphql.page.dataloaders import (
    AttributesByPageTypeIdLoader,
    AttributeValuesByPageIdLoader,
    PageTranslationLoader,
    PageTypeByIdLoader,
)
from backend.page import models


def can_manage_pages(info) -> bool:
    return has_one_of_permissions(info.context.user, [PagePermissions.MANAGE_PAGES])


def published_pages_q() -> Q:
    """Published, and the publication date (when one is set) has come."""
    return Q(is_published=True) & (
        Q(published_at__isnull=True) | Q(published_at__lte=timezone.now())
    )


def visible_pages(info):
    """Pages the requester may see: all for page managers, published ones for everyone else."""
    pages = models.Page.objects.all()
    return pages if can_manage_pages(info) else pages.filter(published_pages_q())


def is_page_visible(info, page: models.Page | None) -> bool:
    if page is None:
        return False
    if can_manage_pages(info):
        return True
    return page.is_published and (page.published_at is None or page.published_at <= timezone.now())


class PageType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = (
            "Represents a type of page. It defines what attributes are available to pages."
        )

    resolve_id = staticmethod(global_id_resolver("PageType"))


class PageTranslation(TranslationResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    language = graphene.Field(LanguageDisplay, required=True, description="Translation language.")
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    title = graphene.String()
    content = graphene.JSONString(description="Translated content of the page (JSON).")

    class Meta:
        description = "Represents page translations."


def _source_translation(page: models.Page) -> models.PageTranslation:
    """Pages are written in Vietnamese: their own fields are the Vietnamese translation."""
    return models.PageTranslation(
        page=page,
        title=page.title,
        slug=page.slug,
        content=page.content,
        seo_title=page.seo_title,
        seo_description=page.seo_description,
    )


class Page(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    title = graphene.String(required=True)
    content = graphene.JSONString(description="Content of the page (EditorJS JSON).")
    publication_date = graphene.Date(
        deprecation_reason="Use the `publishedAt` field to fetch the publication date."
    )
    published_at = graphene.DateTime(description="The page publication date.")
    is_published = graphene.Boolean(required=True)
    slug = graphene.String(required=True)
    page_type = graphene.Field(PageType, required=True)
    created = graphene.DateTime(required=True)
    content_json = graphene.JSONString(
        required=True, deprecation_reason="Use the `content` field instead."
    )
    translation = graphene.Field(
        PageTranslation,
        language_code=graphene.Argument(
            LanguageCodeEnum,
            required=True,
            description="A language code to return the translation for page.",
        ),
        description="Returns translated page fields for the given language code.",
    )
    attribute = graphene.Field(
        SelectedAttribute,
        slug=graphene.String(required=True),
        deprecation_reason="Use the `assignedAttribute` field instead.",
    )
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute),
        required=True,
        deprecation_reason="Use the `assignedAttributes` field instead.",
    )
    assigned_attribute = graphene.Field(
        AssignedAttribute,
        slug=graphene.String(required=True),
        description="Get a single attribute.",
    )
    assigned_attributes = graphene.List(
        graphene.NonNull(AssignedAttribute),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
        description="List of attributes assigned to this page.",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = (
            "A static page that can be manually added by a shop operator through the dashboard."
        )

    resolve_id = staticmethod(global_id_resolver("Page"))

    @staticmethod
    def resolve_seo_title(root: models.Page, _info):
        return root.seo_title or None

    @staticmethod
    def resolve_seo_description(root: models.Page, _info):
        return root.seo_description or None

    @staticmethod
    def resolve_publication_date(root: models.Page, _info):
        return root.published_at.date() if root.published_at else None

    @staticmethod
    def resolve_created(root: models.Page, _info):
        return root.created_at

    @staticmethod
    def resolve_content_json(root: models.Page, _info):
        return root.content or {}

    @staticmethod
    def resolve_page_type(root: models.Page, info):
        return PageTypeByIdLoader(info.context).load(root.page_type_id)

    @staticmethod
    def resolve_translation(root: models.Page, info, language_code):
        return load_translation(
            info, PageTranslationLoader, root, language_code, _source_translation
        )

    @staticmethod
    def resolve_assigned_attributes(root: models.Page, info, limit=100):
        return then(
            AttributeValuesByPageIdLoader(info.context).load(root.pk),
            lambda values: resolve_assigned_attributes(info, values, limit),
        )

    @staticmethod
    def resolve_assigned_attribute(root: models.Page, info, slug):
        return then(
            Page.resolve_assigned_attributes(root, info),
            lambda assigned: next((a for a in assigned if a.attribute.slug == slug), None),
        )

    @staticmethod
    def resolve_attributes(root: models.Page, info):
        return then(
            gather(
                [
                    AttributesByPageTypeIdLoader(info.context).load(root.page_type_id),
                    AttributeValuesByPageIdLoader(info.context).load(root.pk),
                ]
            ),
            lambda loaded: resolve_selected_attributes(info, loaded[0], loaded[1]),
        )

    @staticmethod
    def resolve_attribute(root: models.Page, info, slug):
        return then(
            Page.resolve_attributes(root, info),
            lambda selected: next((s for s in selected if s.attribute.slug == slug), None),
        )


class PageCountableConnection(CountableConnection):
    class Meta:
        node = Page
        strict_types = True
