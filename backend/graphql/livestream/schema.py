"""Livestream queries: `liveEvents(filter, …)` and `liveEvent(slug)`. Everyone sees events once
scheduled; staff with MANAGE_LIVESTREAMS see drafts too."""

import graphene
from django.db.models import Q

from backend.account.permissions import has_one_of_permissions
from backend.core.ids import pk_from_global_id
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.livestream.types import (
    LiveEvent,
    LiveEventCountableConnection,
    LiveEventStatusEnum,
)
from backend.livestream.models import EventStatus
from backend.livestream.models import LiveEvent as LiveEventModel
from backend.livestream.permissions import LivestreamPermissions


class LiveEventFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(LiveEventStatusEnum))
    province = graphene.String(description="ID or slug of a province.")

    class Meta:
        description = "Filtering options for livestream events."


def _enum_value(value):
    return getattr(value, "value", value)


def event_filter_q(values) -> Q:
    if not values:
        return Q()
    q = Q()
    if values.get("status"):
        q &= Q(status__in=[_enum_value(status) for status in values["status"]])
    province = values.get("province")
    if province:
        pk = pk_from_global_id(province, "Province")
        q &= Q(province_id=pk) if pk is not None else Q(province__slug=province)
    return q


def visible_events(info):
    events = LiveEventModel.objects.all()
    if has_one_of_permissions(info.context.user, [LivestreamPermissions.MANAGE_LIVESTREAMS]):
        return events
    return events.exclude(status=EventStatus.DRAFT)


class LivestreamQueries(graphene.ObjectType):
    live_event = graphene.Field(
        LiveEvent,
        slug=graphene.String(required=True),
        description="A livestream event by slug (drafts only for MANAGE_LIVESTREAMS).",
    )
    live_events = graphene.Field(
        LiveEventCountableConnection,
        **connection_args(filter=graphene.Argument(LiveEventFilterInput)),
        description="Livestream events by scheduled start (drafts only for MANAGE_LIVESTREAMS).",
    )

    @staticmethod
    def resolve_live_event(_root, info, slug):
        return visible_events(info).filter(slug=slug).first()

    @staticmethod
    def resolve_live_events(_root, info, filter=None, **paging):
        return paginate(
            visible_events(info).filter(event_filter_q(filter)),
            LiveEventCountableConnection,
            sort_fields=["scheduled_start"],
            field_name="liveEvents",
            **paging,
        )
