"""`LiveEvent` and what it sells: livestream sales campaigns as buyers and the office see them.
A stopped event keeps its page but no longer shows its stream."""

import graphene

from backend.graphql.core.connection import CountableConnection
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.dataloaders import gather, then
from backend.graphql.core.errors import error_type
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import Money
from backend.graphql.livestream import dataloaders as loaders
from backend.graphql.ocop.dataloaders import ProducerByIdLoader, ProvinceByIdLoader
from backend.graphql.product.dataloaders import (
    ChannelByIdLoader,
    ProductVariantByIdLoader,
    VariantChannelListingLoader,
)
from backend.livestream.models import EventStatus, Platform

LiveEventStatusEnum = graphene.Enum(
    "LiveEventStatusEnum", [(choice.name, choice.value) for choice in EventStatus]
)
LivePlatformEnum = graphene.Enum(
    "LivePlatformEnum", [(choice.name, choice.value) for choice in Platform]
)


class LiveEventErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    REQUIRED = "required"
    UNIQUE = "unique"
    NOT_FOUND = "not_found"
    HOST_NOT_VERIFIED = "host_not_verified"
    STOPPED = "stopped"
    TOO_MANY_PINS = "too_many_pins"
    INSUFFICIENT_STOCK = "insufficient_stock"
    QUOTA_EXCEEDED = "quota_exceeded"


LiveEventError = error_type("LiveEventError", LiveEventErrorCode)


def _currency(info, channel_id):
    return ChannelByIdLoader(info.context).load(channel_id)


class LiveEventProduct(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant = graphene.Field("backend.graphql.product.types.variants.ProductVariant", required=True)
    live_price = graphene.Field(
        Money, description="The price while the event is live, for buyers coming through it."
    )
    regular_price = graphene.Field(Money, description="The variant's price in the event's channel.")
    quota = graphene.Int(description="Units set aside for the event (null: no quota).")
    per_buyer_limit = graphene.Int(description="Units one buyer may buy in the event.")
    sold = graphene.Int(required=True, description="Units bought through the event.")
    remaining = graphene.Int(description="Units left of the quota (null: no quota).")

    class Meta:
        description = "A product variant sold in a livestream event."

    resolve_id = staticmethod(global_id_resolver("LiveEventProduct"))

    @staticmethod
    def _event(root, info):
        return loaders.LiveEventByIdLoader(info.context).load(root.event_id)

    @staticmethod
    def resolve_variant(root, info):
        def wrap(values):
            variant, event = values
            channel = ChannelByIdLoader(info.context).load(event.channel_id)
            return then(channel, lambda channel: ChannelContext(variant, channel))

        return then(
            gather(
                [
                    ProductVariantByIdLoader(info.context).load(root.variant_id),
                    LiveEventProduct._event(root, info),
                ]
            ),
            wrap,
        )

    @staticmethod
    def resolve_live_price(root, info):
        if root.live_price is None:
            return None
        return then(
            LiveEventProduct._event(root, info),
            lambda event: then(
                _currency(info, event.channel_id),
                lambda channel: Money.from_minor(root.live_price, channel.currency_code),
            ),
        )

    @staticmethod
    def resolve_regular_price(root, info):
        def price(event):
            listing = VariantChannelListingLoader(info.context).load(
                (root.variant_id, event.channel_id)
            )
            return then(
                gather([listing, _currency(info, event.channel_id)]),
                lambda values: (
                    None
                    if values[0] is None
                    else Money.from_minor(values[0].price_amount, values[1].currency_code)
                ),
            )

        return then(LiveEventProduct._event(root, info), price)

    @staticmethod
    def resolve_remaining(root, _info):
        return None if root.quota is None else max(root.quota - root.sold, 0)


class LiveEventPin(graphene.ObjectType):
    product = graphene.Field(LiveEventProduct, required=True)
    pinned_at = graphene.DateTime(required=True)

    class Meta:
        description = "A product shown on the stream now, since `pinnedAt`."

    @staticmethod
    def resolve_product(root, info):
        return loaders.EventOfferByIdLoader(info.context).load(root.offer_id)


class LiveEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    cover_url = graphene.String(description="The cover picture's address.")
    organiser = graphene.Field(
        "backend.graphql.ocop.types.Producer",
        description="The producer organising it; null when the coordination office does.",
    )
    province = graphene.Field("backend.graphql.ocop.types.Province")
    platform = graphene.Field(LivePlatformEnum, required=True)
    stream_url = graphene.String(description="The stream or embed address; null once stopped.")
    replay_url = graphene.String(description="The replay's address; null once stopped.")
    scheduled_start = graphene.DateTime(required=True)
    scheduled_end = graphene.DateTime(required=True)
    started_at = graphene.DateTime()
    ended_at = graphene.DateTime()
    status = graphene.Field(LiveEventStatusEnum, required=True)
    is_hidden = graphene.Boolean(
        required=True, description="The office stopped the event and hid its stream."
    )
    products = graphene.List(graphene.NonNull(LiveEventProduct), required=True)
    pinned_products = graphene.List(
        graphene.NonNull(LiveEventPin),
        required=True,
        description="The products pinned on the stream now, earliest first.",
    )

    class Meta:
        description = "A livestream sales event."

    resolve_id = staticmethod(global_id_resolver("LiveEvent"))

    @staticmethod
    def resolve_cover_url(root, info):
        return info.context.build_absolute_uri(root.cover.url) if root.cover else None

    @staticmethod
    def resolve_organiser(root, info):
        if root.organiser_id is None:
            return None
        return ProducerByIdLoader(info.context).load(root.organiser_id)

    @staticmethod
    def resolve_province(root, info):
        if root.province_id is None:
            return None
        return ProvinceByIdLoader(info.context).load(root.province_id)

    @staticmethod
    def resolve_platform(root, _info):
        return Platform(root.platform).value

    @staticmethod
    def resolve_stream_url(root, _info):
        return None if root.stream_hidden else root.stream_url

    @staticmethod
    def resolve_replay_url(root, _info):
        return None if root.stream_hidden or not root.replay_url else root.replay_url

    @staticmethod
    def resolve_status(root, _info):
        return EventStatus(root.status).value

    @staticmethod
    def resolve_is_hidden(root, _info):
        return root.stream_hidden

    @staticmethod
    def resolve_products(root, info):
        loaders.LiveEventByIdLoader(info.context).prime(root.pk, root)
        return loaders.OffersByEventIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_pinned_products(root, info):
        return loaders.ActivePinsByEventIdLoader(info.context).load(root.pk)


class LiveEventCountableConnection(CountableConnection):
    class Meta:
        node = LiveEvent
        strict_types = True
