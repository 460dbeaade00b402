"""The checkout's email and addresses."""

import graphene
from django.utils.translation import gettext as _

from backend.checkout import services
from backend.checkout.error_codes import CheckoutErrorCode
from backend.graphql.account.types import (
    AddressInput,
)
from backend.graphql.checkout.mutations.base import (
    CheckoutArguments,
    CheckoutUpdateMutation,
    address_fields,
    clean_email,
    mutation_error,
)
from backend.graphql.checkout.types import (
    CheckoutAddressValidationRules,
)


class CheckoutEmailUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        email = graphene.String(required=True)

    class Meta:
        description = "Updates email address in the existing checkout object."

    @classmethod
    def update(cls, info, checkout, email):
        checkout.email = clean_email(email)
        checkout.save(update_fields=["email", "last_change"])


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
        from backend.checkout.calculations import is_shipping_required

        info_ = services.checkout_info(checkout)
        if info_.lines and not is_shipping_required(info_):
            raise mutation_error(
                "shipping_address",
                _("This checkout doesn't need shipping."),
                CheckoutErrorCode.SHIPPING_NOT_REQUIRED,
            )
        fields = address_fields(shipping_address, validation_rules, "SHIPPING")
        checkout.shipping_address = services.save_address(checkout.shipping_address, fields)
        checkout.save_shipping_address = save_address is not False
        checkout.country = checkout.shipping_address.country
        checkout.save(
            update_fields=[
                "shipping_address",
                "save_shipping_address",
                "country",
                "last_change",
            ]
        )


class CheckoutBillingAddressUpdate(CheckoutUpdateMutation):
    class Arguments(AddressUpdateArguments):
        billing_address = AddressInput(required=True)

    class Meta:
        description = "Update billing address in the existing checkout."

    @classmethod
    def update(cls, info, checkout, billing_address, save_address=True, validation_rules=None):
        fields = address_fields(billing_address, validation_rules, "BILLING")
        checkout.billing_address = services.save_address(checkout.billing_address, fields)
        checkout.save_billing_address = save_address is not False
        checkout.save(update_fields=["billing_address", "save_billing_address", "last_change"])
