"""Checkout mutations with Saleor's names, arguments and payloads, one module per concern."""

from backend.graphql.checkout.mutations.complete import CheckoutComplete
from backend.graphql.checkout.mutations.contact import (
    CheckoutBillingAddressUpdate,
    CheckoutEmailUpdate,
    CheckoutShippingAddressUpdate,
)
from backend.graphql.checkout.mutations.create import CheckoutCreate
from backend.graphql.checkout.mutations.customer import (
    CheckoutCustomerAttach,
    CheckoutCustomerDetach,
)
from backend.graphql.checkout.mutations.delivery import CheckoutDeliveryMethodUpdate
from backend.graphql.checkout.mutations.lines import (
    CheckoutLineDelete,
    CheckoutLinesAdd,
    CheckoutLinesDelete,
    CheckoutLinesUpdate,
)
from backend.graphql.checkout.mutations.promo import (
    CheckoutAddPromoCode,
    CheckoutRemovePromoCode,
)

__all__ = [
    "CheckoutAddPromoCode",
    "CheckoutBillingAddressUpdate",
    "CheckoutComplete",
    "CheckoutCreate",
    "CheckoutCustomerAttach",
    "CheckoutCustomerDetach",
    "CheckoutDeliveryMethodUpdate",
    "CheckoutEmailUpdate",
    "CheckoutLineDelete",
    "CheckoutLinesAdd",
    "CheckoutLinesDelete",
    "CheckoutLinesUpdate",
    "CheckoutRemovePromoCode",
    "CheckoutShippingAddressUpdate",
]
