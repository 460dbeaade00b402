"""checkoutCreate."""

import graphene
from django.utils.translation import gettext as _

from backend.channel.models import Channel
from backend.checkout import services
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.models import Checkout as CheckoutModel
from backend.graphql.account.mutations import current_user
from backend.graphql.account.types import (
    language_code_from_enum,
    metadata_from_input,
)
from backend.graphql.checkout.mutations.base import (
    CheckoutMutation,
    address_fields,
    clean_email,
    copy_address,
    line_items,
    mutation_error,
    reload,
)
from backend.graphql.checkout.types import (
    Checkout,
    CheckoutCreateInput,
    can_manage_checkouts,
)
from backend.graphql.core.errors import PermissionDenied


def _channel(slug):
    if not slug:
        channels = list(Channel.objects.all()[:2])
        if len(channels) != 1:
            raise mutation_error(
                "channel",
                _("You need to provide channel slug."),
                CheckoutErrorCode.MISSING_CHANNEL_SLUG,
            )
        channel = channels[0]
    else:
        channel = Channel.objects.filter(slug=slug).first()
        if channel is None:
            raise mutation_error(
                "channel",
                _("Channel with '%(slug)s' slug does not exist.") % {"slug": slug},
                CheckoutErrorCode.NOT_FOUND,
            )
    if not channel.is_active:
        raise mutation_error(
            "channel",
            _("Channel with '%(slug)s' is inactive.") % {"slug": channel.slug},
            CheckoutErrorCode.CHANNEL_INACTIVE,
        )
    return channel


class CheckoutCreate(CheckoutMutation):
    checkout = graphene.Field(Checkout)

    class Arguments:
        input = CheckoutCreateInput(required=True)

    class Meta:
        description = "Create a new checkout."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user = current_user(info)
        if input.get("private_metadata") and not can_manage_checkouts(user):
            raise PermissionDenied(
                "To set private metadata you need one of the following permissions: "
                "MANAGE_CHECKOUTS"
            )
        channel = _channel(input.get("channel"))
        items = line_items(input.get("lines") or [])
        email = input.get("email")
        email = clean_email(email) if email else (user.email if user else None)
        rules = input.get("validation_rules") or {}
        addresses = {}
        for kind, address_type in (("shipping", "SHIPPING"), ("billing", "BILLING")):
            address_input = input.get(f"{kind}_address")
            if address_input:
                addresses[kind] = services.save_address(
                    None,
                    address_fields(address_input, rules.get(f"{kind}_address"), address_type),
                )
            elif user is not None:
                default = getattr(user, f"default_{kind}_address")
                if default is not None:
                    addresses[kind] = copy_address(default)
        checkout = CheckoutModel.objects.create(
            channel=channel,
            currency=channel.currency_code,
            country=channel.default_country or "VN",
            user=user,
            email=email,
            shipping_address=addresses.get("shipping"),
            billing_address=addresses.get("billing"),
            save_shipping_address=input.get("save_shipping_address", True) is not False,
            save_billing_address=input.get("save_billing_address", True) is not False,
            language_code=(
                language_code_from_enum(input["language_code"])
                if input.get("language_code")
                else "vi"
            ),
            metadata=metadata_from_input(input.get("metadata")),
            private_metadata=metadata_from_input(input.get("private_metadata")),
        )
        if addresses.get("shipping"):
            checkout.country = addresses["shipping"].country
            checkout.save(update_fields=["country"])
        services.add_lines(checkout, items)
        services.validate_lines(checkout, user, variant_ids={variant.pk for variant, *_ in items})
        return CheckoutCreate(checkout=reload(checkout), errors=[])
