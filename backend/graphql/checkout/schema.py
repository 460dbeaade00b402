import graphene
from django.utils.translation import gettext as _

from backend.checkout.access import can_access_checkout
from backend.checkout.models import Checkout as CheckoutModel
from backend.core.ids import uuid_from_global_id
from backend.graphql.checkout import mutations
from backend.graphql.checkout.types import Checkout
from backend.graphql.core.enums import DeliveryOptionsCalculateErrorCode
from backend.graphql.core.errors import PermissionDenied, error_type
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.shipping.types import Delivery

DeliveryOptionsCalculateError = error_type(
    "DeliveryOptionsCalculateError", DeliveryOptionsCalculateErrorCode
)


def _checkout_or_none(info, id=None, token=None):
    pk = token or (uuid_from_global_id(id, "Checkout") if id else None)
    if pk is None:
        return None
    checkout = (
        CheckoutModel.objects.select_related(
            "channel", "user", "shipping_method", "collection_point"
        )
        .filter(pk=pk)
        .first()
    )
    if checkout is not None and not can_access_checkout(info.context.user, checkout):
        raise PermissionDenied()
    return checkout


class DeliveryOptionsCalculate(BaseMutation):
    deliveries = graphene.List(graphene.NonNull(Delivery), required=True)

    class Arguments:
        id = graphene.ID(required=True, description="The checkout ID.")

    class Meta:
        description = "Lists the delivery options (shipping methods with prices) of a checkout."
        error_type_class = DeliveryOptionsCalculateError

    @classmethod
    def perform_mutation(cls, _root, info, id):
        from django.core.exceptions import ValidationError

        from backend.graphql.checkout.types import shipping_options

        checkout = _checkout_or_none(info, id=id)
        if checkout is None:
            raise ValidationError(
                {
                    "id": ValidationError(
                        _("Couldn't resolve to a node: %(id)s") % {"id": id}, code="not_found"
                    )
                }
            )
        return DeliveryOptionsCalculate(deliveries=shipping_options(checkout), errors=[])

    @classmethod
    def handle_errors(cls, error, **extra):
        return super().handle_errors(error, deliveries=[], **extra)


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout,
        id=graphene.ID(description="The checkout's ID."),
        token=graphene.UUID(deprecation_reason="Use `id` instead."),
        description="Look up a checkout by id (whoever holds a guest checkout's id may see it).",
    )

    @staticmethod
    def resolve_checkout(_root, info, id=None, token=None):
        return _checkout_or_none(info, id=id, token=token)


class CheckoutMutations(graphene.ObjectType):
    checkout_create = mutations.CheckoutCreate.Field()
    checkout_lines_add = mutations.CheckoutLinesAdd.Field()
    checkout_lines_update = mutations.CheckoutLinesUpdate.Field()
    checkout_lines_delete = mutations.CheckoutLinesDelete.Field()
    checkout_line_delete = mutations.CheckoutLineDelete.Field(
        deprecation_reason="Use `checkoutLinesDelete` instead."
    )
    checkout_email_update = mutations.CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = mutations.CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = mutations.CheckoutBillingAddressUpdate.Field()
    checkout_delivery_method_update = mutations.CheckoutDeliveryMethodUpdate.Field()
    delivery_options_calculate = DeliveryOptionsCalculate.Field()
    checkout_add_promo_code = mutations.CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = mutations.CheckoutRemovePromoCode.Field()
    checkout_customer_attach = mutations.CheckoutCustomerAttach.Field()
    checkout_customer_detach = mutations.CheckoutCustomerDetach.Field()
    checkout_complete = mutations.CheckoutComplete.Field()
