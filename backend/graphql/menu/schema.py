import graphene

from backend.core.ids import pk_from_global_id
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.menu import filters
from backend.graphql.menu.types import Menu, MenuCountableConnection, in_channel
from backend.menu import models


class MenuQueries(graphene.ObjectType):
    menu = graphene.Field(
        Menu,
        channel=graphene.String(
            description="Slug of a channel for which the data should be returned."
        ),
        id=graphene.Argument(graphene.ID, description="ID of the menu."),
        name=graphene.String(description="The menu's name."),
        slug=graphene.String(description="The menu's slug."),
        description="Look up a navigation menu by ID, name or slug.",
    )
    menus = graphene.ConnectionField(
        MenuCountableConnection,
        description="List of the storefront's menus.",
        **connection_args(
            channel=graphene.String(
                description="Slug of a channel for which the data should be returned."
            ),
            sort_by=graphene.Argument(filters.MenuSortingInput, description="Sort menus."),
            filter=graphene.Argument(
                filters.MenuFilterInput, description="Filtering options for menus."
            ),
        ),
    )

    @staticmethod
    def resolve_menu(_root, _info, channel=None, id=None, name=None, slug=None):
        menus = models.Menu.objects.all()
        if id:
            menu = menus.filter(pk=pk_from_global_id(id, "Menu")).first()
        elif name:
            menu = menus.filter(name=name).first()
        elif slug:
            menu = menus.filter(slug=slug).first()
        else:
            menu = None
        return in_channel(menu, channel)

    @staticmethod
    def resolve_menus(_root, _info, channel=None, sort_by=None, filter=None, **kwargs):
        queryset = models.Menu.objects.filter(filters.filter_q(filter))
        sorted_queryset, sort_fields, descending = filters.sort(queryset, sort_by)
        connection = paginate(
            sorted_queryset,
            MenuCountableConnection,
            sort_fields=sort_fields,
            descending=descending,
            field_name="menus",
            count_queryset=queryset,
            **kwargs,
        )
        for edge in connection.edges:
            edge.node = in_channel(edge.node, channel)
        return connection
