"""checkoutComplete: the checkout becomes an order."""

import graphene
from django.utils.translation import gettext as _

from backend.checkout.access import can_access_checkout
from backend.checkout.error_codes import CheckoutErrorCode
from backend.graphql.account.mutations import current_user
from backend.graphql.account.types import (
    MetadataInput,
    metadata_from_input,
)
from backend.graphql.checkout.mutations.base import (
    CheckoutArguments,
    CheckoutMutation,
    checkout_pk,
    mutation_error,
)
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.scalars import JSON
from backend.graphql.order.types import open_with_token
from backend.payment.returns import unavailable_stock_error
from backend.warehouse.services import InsufficientStock


class CheckoutComplete(CheckoutMutation):
    order = graphene.Field("backend.graphql.order.types.Order")
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = JSON()

    class Arguments(CheckoutArguments):
        metadata = graphene.List(graphene.NonNull(MetadataInput))
        payment_data = graphene.JSONString()
        redirect_url = graphene.String()
        store_source = graphene.Boolean(
            default_value=False,
            deprecation_reason="Use checkoutPaymentCreate for this action.",
        )

    class Meta:
        description = (
            "Completes the checkout: validates it, takes the payment the chosen gateway holds "
            "(cash on delivery is placed unpaid), allocates stock and creates the order."
        )

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return super().mutate(root, info, **data)
        except InsufficientStock as error:
            # The attempt is rolled back; the payment given back for it stays on record.
            pk = checkout_pk(data.get("id"), data.get("token"), data.get("checkout_id"))
            return cls.handle_errors(unavailable_stock_error(pk, error))

    @classmethod
    def perform_mutation(
        cls,
        _root,
        info,
        id=None,
        token=None,
        checkout_id=None,
        metadata=None,
        payment_data=None,
        redirect_url=None,
        store_source=False,
    ):
        from backend.checkout.complete_checkout import (
            complete_locked_checkout,
            lock_checkout,
            order_for_completed_checkout,
        )

        pk = checkout_pk(id, token, checkout_id)
        # Locked for the rest of the mutation, whose transaction is the completion's.
        checkout = lock_checkout(pk)
        if checkout is None:
            # Called again after success (a retried request, or a concurrent one this call
            # waited for): answer with the order.
            order = order_for_completed_checkout(pk)
            if order is not None:
                return CheckoutComplete(order=order, confirmation_needed=False, errors=[])
            raise mutation_error(
                "id",
                _("Couldn't resolve to a node: %(id)s") % {"id": id or checkout_id or token},
                CheckoutErrorCode.NOT_FOUND,
            )
        if not can_access_checkout(info.context.user, checkout):
            raise PermissionDenied()
        if redirect_url:
            checkout.redirect_url = redirect_url
            checkout.save(update_fields=["redirect_url"])
        order = complete_locked_checkout(
            checkout, user=current_user(info), metadata=metadata_from_input(metadata)
        )
        # The buyer who just placed it sees their details; a retry later gets them masked.
        return CheckoutComplete(
            order=open_with_token(info, order), confirmation_needed=False, errors=[]
        )
