"""What every checkout mutation shares: finding and locking the checkout, its arguments, and
turning input lines into the domain's. The steps themselves are backend.checkout's services
(create, lines, contact, delivery, promo, complete_checkout), which the shop calls too; mutations
translate arguments in and errors out. Each mutation runs in a single transaction with the
checkout row locked: a refused change (any `errors`) changes nothing."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.checkout.access import can_access_checkout
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.lines import LineInput
from backend.checkout.models import Checkout as CheckoutModel
from backend.checkout.validation import with_params
from backend.core.ids import pk_from_global_id, uuid_from_global_id
from backend.graphql.account.types import metadata_from_input
from backend.graphql.checkout.types import Checkout, CheckoutError
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.mutations import BaseMutation
from backend.product.models import ProductVariant

ID_DEPRECATION = "Use `id` instead."


def mutation_error(field, message, code: CheckoutErrorCode, **params):
    return ValidationError({field: with_params(message, code.value, params)})


def checkout_queryset():
    return CheckoutModel.objects.select_related(
        "channel", "user", "shipping_method", "collection_point"
    )


def checkout_pk(id=None, token=None, checkout_id=None):
    """The checkout UUID from `id` (or the deprecated `token` / `checkoutId`)."""
    if token is not None:
        return token
    value = id or checkout_id
    if not value:
        raise mutation_error("id", _("The checkout ID is required."), CheckoutErrorCode.REQUIRED)
    pk = uuid_from_global_id(value, "Checkout")
    if pk is None:
        raise mutation_error(
            "id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.INVALID,
        )
    return pk


def get_checkout(info, id=None, token=None, checkout_id=None) -> CheckoutModel:
    """The checkout, row-locked for the rest of the mutation; a customer's checkout only for
    that customer (or staff managing checkouts)."""
    pk = checkout_pk(id, token, checkout_id)
    checkout = checkout_queryset().select_for_update(of=("self",)).filter(pk=pk).first()
    if checkout is None:
        raise mutation_error(
            "id",
            _("Couldn't resolve to a node: %(id)s") % {"id": id or checkout_id or token},
            CheckoutErrorCode.NOT_FOUND,
        )
    if not can_access_checkout(info.context.user, checkout):
        raise PermissionDenied()
    return checkout


def reload(checkout: CheckoutModel) -> CheckoutModel:
    return checkout_queryset().get(pk=checkout.pk)


def variants_of_lines(lines) -> dict:
    """{global id: variant} for the input lines; NOT_FOUND names an unknown variant."""
    pks = {}
    for line in lines:
        value = line.get("variant_id")
        pk = pk_from_global_id(value, "ProductVariant")
        if pk is None:
            raise mutation_error(
                "variant_id",
                _("Couldn't resolve to a node: %(id)s") % {"id": value},
                CheckoutErrorCode.INVALID,
            )
        pks[value] = pk
    found = ProductVariant.objects.in_bulk(set(pks.values()))
    missing = [value for value, pk in pks.items() if pk not in found]
    if missing:
        raise mutation_error(
            "variant_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": missing[0]},
            CheckoutErrorCode.NOT_FOUND,
            variants=missing,
        )
    return {value: found[pk] for value, pk in pks.items()}


def refuse_price_override(lines):
    """Custom line prices are for apps with HANDLE_CHECKOUTS, which this shop has none of."""
    if any(line.get("price") is not None for line in lines):
        raise PermissionDenied(
            "To set a custom price you need one of the following permissions: HANDLE_CHECKOUTS"
        )


def line_inputs(lines) -> list[LineInput]:
    """CheckoutLineInput as the domain takes it (which checks the quantities)."""
    refuse_price_override(lines)
    variants = variants_of_lines(lines)
    return [
        LineInput(
            variant=variants[line["variant_id"]],
            quantity=line["quantity"],
            force_new_line=bool(line.get("force_new_line")),
            metadata=metadata_from_input(line.get("metadata")),
        )
        for line in lines
    ]


class CheckoutMutation(BaseMutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("error_type_class", CheckoutError)
        super().__init_subclass_with_meta__(**options)


class CheckoutIdArguments:
    """The checkout's `id`, or its deprecated `token`."""

    id = graphene.ID()
    token = graphene.UUID(deprecation_reason=ID_DEPRECATION)


class CheckoutArguments(CheckoutIdArguments):
    """`id` with both deprecated forms, `token` and `checkoutId`."""

    checkout_id = graphene.ID(deprecation_reason=ID_DEPRECATION)


class CheckoutUpdateMutation(CheckoutMutation):
    """A change to an existing checkout named by `CheckoutArguments` (subclasses add theirs):
    `update` changes the row-locked checkout and the payload returns it reloaded."""

    checkout = graphene.Field(Checkout)

    Arguments = CheckoutArguments

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, _root, info, id=None, token=None, checkout_id=None, **data):
        checkout = get_checkout(info, id, token, checkout_id)
        cls.update(info, checkout, **data)
        return cls(checkout=reload(checkout), errors=[])

    @classmethod
    def update(cls, info, checkout: CheckoutModel, **data) -> None:
        """Change the locked checkout; every subclass defines it."""
        raise NotImplementedError
