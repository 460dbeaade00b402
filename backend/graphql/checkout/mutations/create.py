"""checkoutCreate."""

import graphene

from backend.checkout.access import can_manage_checkouts
from backend.checkout.create import checkout_channel, create_checkout
from backend.graphql.account.mutations import current_user
from backend.graphql.account.types import (
    address_data_from_input,
    language_code_from_enum,
    metadata_from_input,
)
from backend.graphql.checkout.mutations.base import CheckoutMutation, line_inputs, reload
from backend.graphql.checkout.types import Checkout, CheckoutCreateInput
from backend.graphql.core.errors import PermissionDenied


def _address(input, kind):
    address_input = input.get(f"{kind}_address")
    return address_data_from_input(address_input) if address_input else None


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
        channel = checkout_channel(input.get("channel"))
        checkout = create_checkout(
            channel,
            user=user,
            lines=line_inputs(input.get("lines") or []),
            email=input.get("email"),
            shipping_address=_address(input, "shipping"),
            billing_address=_address(input, "billing"),
            validation_rules=input.get("validation_rules"),
            save_shipping_address=input.get("save_shipping_address", True) is not False,
            save_billing_address=input.get("save_billing_address", True) is not False,
            language_code=(
                language_code_from_enum(input["language_code"])
                if input.get("language_code")
                else None
            ),
            metadata=metadata_from_input(input.get("metadata")),
            private_metadata=metadata_from_input(input.get("private_metadata")),
        )
        return CheckoutCreate(checkout=reload(checkout), errors=[])
