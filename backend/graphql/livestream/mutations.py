"""Livestream mutations for staff with MANAGE_LIVESTREAMS; an event's hosts may also start it,
end it and pin its products. Each step is backend.livestream.services': a refused step answers
`errors` ({field, code, message}) and changes nothing."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.account.models import User
from backend.account.permissions import has_one_of_permissions
from backend.channel.models import Channel
from backend.core.ids import pk_from_global_id, pks_from_global_ids
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.livestream.types import (
    LiveEvent,
    LiveEventError,
    LiveEventErrorCode,
    LivePlatformEnum,
)
from backend.livestream import services
from backend.livestream.models import EventOffer, EventStatus, ProductSet
from backend.livestream.models import LiveEvent as LiveEventModel
from backend.livestream.permissions import LivestreamPermissions
from backend.ocop.models import Producer, Province
from backend.product.models import ProductVariant
from backend.warehouse.services import InsufficientStock

MANAGE_LIVESTREAMS = (LivestreamPermissions.MANAGE_LIVESTREAMS,)
_ERROR_CODES = {code.name for code in LiveEventErrorCode}
# Django's validation codes that mean "missing".
_MISSING = {"BLANK", "NULL"}


def is_host(user, event: LiveEventModel) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and event.hosts.filter(pk=user.pk).exists()
    )


def _not_found(field: str, value) -> ValidationError:
    return ValidationError(
        {field: ValidationError(_("Couldn't find: %(id)s.") % {"id": value}, code="not_found")}
    )


def _event(event_id) -> LiveEventModel:
    event = LiveEventModel.objects.filter(pk=pk_from_global_id(event_id, "LiveEvent")).first()
    if event is None:
        raise _not_found("id", event_id)
    return event


class LiveEventOfferInput(graphene.InputObjectType):
    variant = graphene.ID(required=True, description="ID of the product variant.")
    live_price = graphene.Int(description="The live price in VND (null: the regular price).")
    quota = graphene.Int(description="Units set aside for the event (null: no quota).")
    per_buyer_limit = graphene.Int(description="Units one buyer may buy (null: no limit).")


class LiveEventInput(graphene.InputObjectType):
    title = graphene.String()
    slug = graphene.String()
    description = graphene.String()
    organiser = graphene.ID(description="ID of the organising producer (null: the office).")
    province = graphene.ID(description="ID of the province.")
    channel = graphene.String(description="Slug of the channel it sells in.")
    hosts = graphene.List(graphene.NonNull(graphene.ID), description="IDs of the host users.")
    platform = LivePlatformEnum()
    stream_url = graphene.String()
    replay_url = graphene.String()
    scheduled_start = graphene.DateTime()
    scheduled_end = graphene.DateTime()
    offers = graphene.List(
        graphene.NonNull(LiveEventOfferInput), description="The products sold, in order."
    )


def _offer_specs(offers, product_set_id=None) -> list[services.OfferSpec]:
    """Specs for the given offers, after the product set's variants (which have no live
    price, quota or limit unless an offer names them)."""
    variant_ids = pks_from_global_ids(
        [offer["variant"] for offer in offers or []], "ProductVariant", "offers"
    )
    specs = {
        pk: services.OfferSpec(
            pk, offer.get("live_price"), offer.get("quota"), offer.get("per_buyer_limit")
        )
        for pk, offer in zip(variant_ids, offers or [], strict=True)
    }
    set_variants = []
    if product_set_id is not None:
        product_set = ProductSet.objects.filter(
            pk=pk_from_global_id(product_set_id, "ProductSet")
        ).first()
        if product_set is None:
            raise _not_found("productSet", product_set_id)
        set_variants = list(product_set.variants.order_by("pk").values_list("pk", flat=True))
    ordered = list(dict.fromkeys([*set_variants, *variant_ids]))
    known = set(ProductVariant.objects.filter(pk__in=ordered).values_list("pk", flat=True))
    if missing := [pk for pk in ordered if pk not in known]:
        raise _not_found("offers", missing[0])
    return [specs.get(pk) or services.OfferSpec(pk) for pk in ordered]


def _apply_input(event: LiveEventModel, data) -> list | None:
    """Copy `data` onto the event; the hosts (users) to set, or None to keep them."""
    for field in ("title", "slug", "description", "stream_url", "replay_url"):
        if data.get(field) is not None:
            setattr(event, field, data[field])
    if data.get("platform") is not None:
        event.platform = getattr(data["platform"], "value", data["platform"])
    times = ("scheduled_start", "scheduled_end")
    if any(data.get(field) is not None for field in times):
        if event.pk and event.status != EventStatus.DRAFT:
            raise ValidationError(
                {
                    "scheduled_start": ValidationError(
                        _("Move a scheduled event with liveEventReschedule."), code="invalid"
                    )
                }
            )
        for field in times:
            if data.get(field) is not None:
                setattr(event, field, data[field])
    if "organiser" in data:
        event.organiser = _lookup(Producer, "Producer", data["organiser"], "organiser")
    if "province" in data:
        event.province = _lookup(Province, "Province", data["province"], "province")
    if data.get("channel") is not None:
        event.channel = Channel.objects.filter(slug=data["channel"]).first()
        if event.channel is None:
            raise _not_found("channel", data["channel"])
    if data.get("hosts") is None:
        return None
    host_ids = pks_from_global_ids(data["hosts"], "User", "hosts")
    hosts = list(User.objects.filter(pk__in=host_ids))
    if len(hosts) != len(set(host_ids)):
        raise _not_found("hosts", data["hosts"])
    return hosts


def _lookup(model, type_name, value, field):
    if value is None:
        return None
    found = model.objects.filter(pk=pk_from_global_id(value, type_name)).first()
    if found is None:
        raise _not_found(field, value)
    return found


def _validated(event: LiveEventModel) -> None:
    if (
        event.scheduled_start
        and event.scheduled_end
        and event.scheduled_end <= event.scheduled_start
    ):
        raise ValidationError(
            {"scheduled_end": ValidationError(_("The end must come after the start."), "invalid")}
        )
    event.full_clean(exclude=["cover"])


class LiveEventMutation(BaseMutation):
    """Runs `perform` and turns a refused service step into `errors` (rolled back)."""

    live_event = graphene.Field(LiveEvent)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, root, info, **data):
        try:
            return cls(live_event=cls.perform(info, **data), errors=[])
        except services.LivestreamError as error:
            raise ValidationError(error.message, code=error.code.lower()) from error
        except InsufficientStock as error:
            raise ValidationError(
                _("Not enough stock for the event's quotas."), code="insufficient_stock"
            ) from error

    @classmethod
    def perform(cls, info, **data) -> LiveEventModel:
        """The step itself; every subclass defines it."""
        raise NotImplementedError

    @classmethod
    def handle_errors(cls, error, **extra):
        response = super().handle_errors(error, **extra)
        for item in response.errors:
            if item.code in _MISSING:
                item.code = "REQUIRED"
            elif item.code not in _ERROR_CODES:
                item.code = "INVALID"
        return response


class HostStepMutation(LiveEventMutation):
    """A step an event's own hosts may take as well as MANAGE_LIVESTREAMS."""

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info, **data):
        user = info.context.user
        if has_one_of_permissions(user, MANAGE_LIVESTREAMS):
            return
        pk = pk_from_global_id(data.get("id"), "LiveEvent")
        event = LiveEventModel.objects.filter(pk=pk).first()
        if event is None or not is_host(user, event):
            raise PermissionDenied(permissions=MANAGE_LIVESTREAMS)


class LiveEventCreate(LiveEventMutation):
    class Arguments:
        input = LiveEventInput(required=True)

    class Meta:
        description = "Create a livestream event as a draft."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, input):
        event = LiveEventModel(status=EventStatus.DRAFT)
        hosts = _apply_input(event, input)
        if event.channel_id is None:
            raise ValidationError(
                {"channel": ValidationError(_("This field is required."), code="required")}
            )
        _validated(event)
        event.save()
        event.hosts.set(hosts or [])
        services.set_offers(event, _offer_specs(input.get("offers")))
        return event


class LiveEventUpdate(LiveEventMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = LiveEventInput(required=True)

    class Meta:
        description = "Update a livestream event; `offers`, when given, replace its products."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, id, input):
        event = _event(id)
        hosts = _apply_input(event, input)
        _validated(event)
        event.save()
        if hosts is not None:
            event.hosts.set(hosts)
        if input.get("offers") is not None:
            services.set_offers(event, _offer_specs(input["offers"]))
        return event


class LiveEventProductsSet(LiveEventMutation):
    class Arguments:
        id = graphene.ID(required=True)
        product_set = graphene.ID(description="ID of a product set to load.")
        offers = graphene.List(
            graphene.NonNull(LiveEventOfferInput),
            description="Products with their live price, quota and limit (after the set's).",
        )

    class Meta:
        description = "Replace the products a livestream event sells."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, id, product_set=None, offers=None):
        event = _event(id)
        services.set_offers(event, _offer_specs(offers, product_set))
        return event


class _EventStep(LiveEventMutation):
    """A life-cycle step taking the event's ID: `step(event)` from the services."""

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        abstract = True

    step = None

    @classmethod
    def perform(cls, info, id):
        return cls.step(_event(id))


class LiveEventSchedule(_EventStep):
    class Meta:
        description = "Publish a draft event and set its quotas aside from stock."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    step = staticmethod(services.schedule)


class LiveEventCancel(_EventStep):
    class Meta:
        description = "Cancel an event that has not started."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    step = staticmethod(services.cancel)


class LiveEventStart(_EventStep, HostStepMutation):
    class Meta:
        description = "Go live (every host's identity must be verified). For hosts too."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    step = staticmethod(services.go_live)


class LiveEventEnd(_EventStep, HostStepMutation):
    class Meta:
        description = "End a live event: pins come down and unsold quotas go back on sale."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    step = staticmethod(services.end)


class LiveEventReschedule(LiveEventMutation):
    class Arguments:
        id = graphene.ID(required=True)
        start = graphene.DateTime(required=True)
        end = graphene.DateTime(required=True)

    class Meta:
        description = "Move an event that has not started; its subscribers are told."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, id, start, end):
        return services.reschedule(_event(id), start, end)


class LiveEventStop(LiveEventMutation):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        description = "The office's stop: the stream is hidden at once and the event ends."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, id, reason):
        if not reason.strip():
            raise ValidationError(
                {"reason": ValidationError(_("Give the reason for stopping."), code="required")}
            )
        return services.stop_and_hide(_event(id), reason.strip())


def _offer_of(event: LiveEventModel, product_id) -> EventOffer:
    offer = EventOffer.objects.filter(
        pk=pk_from_global_id(product_id, "LiveEventProduct"), event=event
    ).first()
    if offer is None:
        raise _not_found("productId", product_id)
    return offer


class LiveEventPinProduct(HostStepMutation):
    class Arguments:
        id = graphene.ID(required=True)
        product_id = graphene.ID(required=True, description="ID of a LiveEventProduct.")

    class Meta:
        description = "Pin one of the event's products on the stream (at most three)."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, id, product_id):
        event = _event(id)
        services.pin(event, _offer_of(event, product_id))
        return event


class LiveEventUnpinProduct(HostStepMutation):
    class Arguments:
        id = graphene.ID(required=True)
        product_id = graphene.ID(required=True, description="ID of a LiveEventProduct.")

    class Meta:
        description = "Take a product off the stream."
        permissions = MANAGE_LIVESTREAMS
        error_type_class = LiveEventError

    @classmethod
    def perform(cls, info, id, product_id):
        event = _event(id)
        services.unpin(event, _offer_of(event, product_id))
        return event


class LivestreamMutations(graphene.ObjectType):
    live_event_create = LiveEventCreate.Field()
    live_event_update = LiveEventUpdate.Field()
    live_event_products_set = LiveEventProductsSet.Field()
    live_event_schedule = LiveEventSchedule.Field()
    live_event_reschedule = LiveEventReschedule.Field()
    live_event_start = LiveEventStart.Field()
    live_event_end = LiveEventEnd.Field()
    live_event_cancel = LiveEventCancel.Field()
    live_event_stop = LiveEventStop.Field()
    live_event_pin = LiveEventPinProduct.Field()
    live_event_unpin = LiveEventUnpinProduct.Field()
