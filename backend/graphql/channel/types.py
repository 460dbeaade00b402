import graphene

from backend.channel import models
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import CountryDisplay


class Channel(graphene.ObjectType):
    id = graphene.ID(required=True)
    slug = graphene.String(required=True, description="Slug of the channel.")
    name = graphene.String(required=True, description="Name of the channel.")
    is_active = graphene.Boolean(required=True)
    currency_code = graphene.String(
        required=True, description="A currency that is assigned to the channel."
    )
    default_country = graphene.Field(CountryDisplay, required=True)
    countries = graphene.List(graphene.NonNull(CountryDisplay))

    class Meta:
        description = "Represents a sales channel: its currency and country."

    resolve_id = staticmethod(global_id_resolver("Channel"))

    @staticmethod
    def resolve_default_country(root: models.Channel, _info):
        return CountryDisplay.from_code(root.default_country)

    @staticmethod
    def resolve_countries(root: models.Channel, _info):
        return [CountryDisplay.from_code(root.default_country)]
