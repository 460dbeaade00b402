"""Attaching a signed-in customer to a checkout, and detaching them."""

import graphene
from django.utils.translation import gettext as _

from backend.account.permissions import AccountPermissions, has_one_of_permissions
from backend.checkout.access import can_attach_customer, can_detach_customer
from backend.checkout.error_codes import CheckoutErrorCode
from backend.core.ids import pk_from_global_id
from backend.graphql.account.mutations import current_user, require_user
from backend.graphql.checkout.mutations.base import (
    CheckoutArguments,
    CheckoutUpdateMutation,
    mutation_error,
)
from backend.graphql.core.errors import PermissionDenied


class CheckoutCustomerMutation(CheckoutUpdateMutation):
    """Signed-in users only; refused before the checkout is looked up."""

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info, **data):
        super().check_permissions(info, **data)
        require_user(info)


class CheckoutCustomerAttach(CheckoutCustomerMutation):
    class Arguments(CheckoutArguments):
        customer_id = graphene.ID(description="The customer to attach (staff only).")

    class Meta:
        description = "Sets the customer as the owner of the checkout."

    @classmethod
    def update(cls, info, checkout, customer_id=None):
        from backend.account.models import User

        user = customer = current_user(info)
        if customer_id:
            if not has_one_of_permissions(user, [AccountPermissions.MANAGE_USERS]):
                raise PermissionDenied(permissions=[AccountPermissions.MANAGE_USERS])
            customer = User.objects.filter(pk=pk_from_global_id(customer_id, "User")).first()
            if customer is None:
                raise mutation_error(
                    "customer_id",
                    _("Couldn't resolve to a node: %(id)s") % {"id": customer_id},
                    CheckoutErrorCode.NOT_FOUND,
                )
        if not can_attach_customer(checkout, customer):
            raise PermissionDenied()
        checkout.user = customer
        checkout.email = customer.email
        checkout.save(update_fields=["user", "email", "last_change"])


class CheckoutCustomerDetach(CheckoutCustomerMutation):
    class Meta:
        description = "Removes the user assigned as the owner of the checkout."

    @classmethod
    def update(cls, info, checkout):
        if not can_detach_customer(current_user(info), checkout):
            raise PermissionDenied()
        checkout.user = None
        checkout.save(update_fields=["user", "last_change"])
