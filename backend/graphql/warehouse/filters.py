"""`warehouses(filter: WarehouseFilterInput)`, with Saleor's fields."""

import graphene
from django.db.models import Q

from backend.graphql.attribute.filters import MetadataFilter, metadata_q
from backend.graphql.product.filters.shared import pks
from backend.graphql.warehouse.types import WarehouseClickAndCollectOptionEnum
from backend.warehouse.models import Warehouse


class WarehouseFilterInput(graphene.InputObjectType):
    click_and_collect_option = WarehouseClickAndCollectOptionEnum()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    is_private = graphene.Boolean()
    channels = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))

    class Meta:
        description = "Filtering options for warehouses."


def warehouse_filter_q(values) -> Q:
    if not values:
        return Q()
    q = metadata_q(values.get("metadata"))
    if values.get("ids") is not None:
        q &= Q(pk__in=pks(values["ids"], "Warehouse", "ids"))
    if values.get("slugs") is not None:
        q &= Q(slug__in=values["slugs"])
    if values.get("is_private") is not None:
        q &= Q(is_private=values["is_private"])
    option = values.get("click_and_collect_option")
    if option is not None:
        q &= Q(click_and_collect_option=getattr(option, "value", option).lower())
    if values.get("channels") is not None:
        served = Warehouse.channels.through.objects.filter(
            channel_id__in=pks(values["channels"], "Channel", "channels")
        )
        q &= Q(pk__in=served.values("warehouse_id"))
    search = values.get("search")
    if search:
        q &= (
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(street_address__icontains=search)
            | Q(ward__icontains=search)
            | Q(province__name__icontains=search)
            | Q(phone__icontains=search)
        )
    return q
