import graphene

from backend.channel import models
from backend.core.ids import pk_from_global_id
from backend.graphql.channel.types import Channel
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.permissions import is_staff


class ChannelQueries(graphene.ObjectType):
    channel = graphene.Field(
        Channel,
        id=graphene.ID(description="ID of the channel."),
        slug=graphene.String(description="Slug of the channel."),
        description="Look up a channel by ID or slug.",
    )
    channels = graphene.List(graphene.NonNull(Channel), description="List of all channels.")

    @staticmethod
    def resolve_channel(_root, _info, id=None, slug=None):
        if id:
            pk = pk_from_global_id(id, "Channel")
            return models.Channel.objects.filter(pk=pk).first() if pk else None
        if slug:
            return models.Channel.objects.filter(slug=slug).first()
        return None

    @staticmethod
    def resolve_channels(_root, info):
        if not is_staff(info):
            raise PermissionDenied("To access this field you need a staff account or an app token.")
        return models.Channel.objects.all()
