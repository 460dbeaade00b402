import graphene

from backend.core.ids import pk_from_global_id
from backend.graphql.attribute.types import is_source_language, language_from_enum
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.errors import SaleorGraphQLError
from backend.graphql.page import filters
from backend.graphql.page.types import Page, PageCountableConnection, visible_pages


class PageQueries(graphene.ObjectType):
    page = graphene.Field(
        Page,
        id=graphene.Argument(graphene.ID, description="ID of the page."),
        slug=graphene.String(description="The slug of the page."),
        slug_language_code=graphene.Argument(
            LanguageCodeEnum, description="Language code of the page slug."
        ),
        channel=graphene.String(
            description="Slug of a channel (pages are shown in every channel)."
        ),
        description="Look up a page by ID or slug.",
    )
    pages = graphene.ConnectionField(
        PageCountableConnection,
        description="List of the shop's pages.",
        **connection_args(
            sort_by=graphene.Argument(filters.PageSortingInput, description="Sort pages."),
            filter=graphene.Argument(
                filters.PageFilterInput,
                description="Filtering options for pages.",
                deprecation_reason="+ Use `where` and `search` instead.",
            ),
            search=graphene.String(description="Search pages."),
            where=graphene.Argument(filters.PageWhereInput, description="Where filtering options."),
            channel=graphene.String(description="Slug of a channel."),
        ),
    )

    @staticmethod
    def resolve_page(_root, info, id=None, slug=None, slug_language_code=None, channel=None):
        if bool(id) == bool(slug):
            raise SaleorGraphQLError("Exactly one of the arguments is required: 'id', 'slug'.")
        pages = visible_pages(info)
        if id:
            pk = pk_from_global_id(id, "Page")
            return pages.filter(pk=pk).first() if pk else None
        if slug_language_code and not is_source_language(language_from_enum(slug_language_code)):
            return pages.filter(
                translations__language_code=language_from_enum(slug_language_code),
                translations__slug=slug,
            ).first()
        return pages.filter(slug=slug).first()

    @staticmethod
    def resolve_pages(_root, info, sort_by=None, filter=None, search=None, where=None, **kwargs):
        if filter and where:
            raise SaleorGraphQLError("Only one filtering argument (filter or where) can be used.")
        queryset = visible_pages(info).filter(
            filters.search_q(search), filters.filter_q(filter), filters.where_q(where)
        )
        sorted_queryset, sort_fields, descending = filters.sort(
            queryset, sort_by, search or (filter or {}).get("search")
        )
        return paginate(
            sorted_queryset,
            PageCountableConnection,
            sort_fields=sort_fields,
            descending=descending,
            field_name="pages",
            count_queryset=queryset,
            **kwargs,
        )
