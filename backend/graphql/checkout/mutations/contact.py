"""The checkout's email and addresses (backend.checkout.contact)."""

import graphene

from backend.checkout import contact
from backend.graphql.account.types import AddressInput, address_data_from_input
from backend.graphql.checkout.mutations.base import CheckoutArguments, CheckoutUpdateMutation
from backend.graphql.checkout.types import CheckoutAddressValidationRules


class CheckoutEmailUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        email = graphene.String(required=True)

    class Meta:
        description = "Updates email address in the existing checkout object."

    @classmethod
    def update(cls, info, checkout, email):
        contact.set_email(checkout, email)


class AddressUpdateArguments(CheckoutArguments):
    save_address = graphene.Boolean(default_value=True)
    validation_rules = CheckoutAddressValidationRules()


class CheckoutShippingAddressUpdate(CheckoutUpdateMutation):
    class Arguments(AddressUpdateArguments):
        shipping_address = AddressInput(required=True)

    class Meta:
        description = (
            "Update shipping address in the existing checkout. In Vietnam `countryArea` is the "
            "province and `city` its ward (phường/xã), both checked against the 2025 units."
        )

    @classmethod
    def update(cls, info, checkout, shipping_address, save_address=True, validation_rules=None):
        contact.set_shipping_address(
            checkout,
            address_data_from_input(shipping_address),
            rules=validation_rules,
            save_address_to_user=save_address is not False,
        )


class CheckoutBillingAddressUpdate(CheckoutUpdateMutation):
    class Arguments(AddressUpdateArguments):
        billing_address = AddressInput(required=True)

    class Meta:
        description = "Update billing address in the existing checkout."

    @classmethod
    def update(cls, info, checkout, billing_address, save_address=True, validation_rules=None):
        contact.set_billing_address(
            checkout,
            address_data_from_input(billing_address),
            rules=validation_rules,
            save_address_to_user=save_address is not False,
        )
