"""Adding, changing and removing a checkout's lines (backend.checkout.lines)."""

import graphene
from django.utils.translation import gettext as _

from backend.checkout import lines as checkout_lines
from backend.checkout.error_codes import CheckoutErrorCode
from backend.core.ids import uuid_from_global_id
from backend.graphql.account.mutations import current_user
from backend.graphql.account.types import metadata_from_input
from backend.graphql.checkout.mutations.base import (
    CheckoutArguments,
    CheckoutIdArguments,
    CheckoutUpdateMutation,
    line_inputs,
    mutation_error,
    refuse_price_override,
    variants_of_lines,
)
from backend.graphql.checkout.types import (
    CheckoutLineInput,
    CheckoutLineUpdateInput,
)


class CheckoutLinesAdd(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        description = "Adds a checkout line to the existing checkout."

    @classmethod
    def update(cls, info, checkout, lines):
        checkout_lines.add_lines(checkout, line_inputs(lines), user=current_user(info))


def _line_pk(value):
    """The line's UUID; a malformed id is NOT_FOUND, naming it."""
    pk = uuid_from_global_id(value, "CheckoutLine")
    if pk is None:
        raise mutation_error(
            "line_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.NOT_FOUND,
            lines=[value],
        )
    return pk


def _line_change(data) -> checkout_lines.LineChange:
    change = checkout_lines.LineChange(
        quantity=data.get("quantity"), metadata=metadata_from_input(data.get("metadata"))
    )
    if data.get("line_id"):
        change.line_id = _line_pk(data["line_id"])
    elif data.get("variant_id"):
        change.variant = variants_of_lines([data])[data["variant_id"]]
    else:
        raise mutation_error(
            "line_id", _("Either lineId or variantId is required."), CheckoutErrorCode.REQUIRED
        )
    return change


class CheckoutLinesUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    class Meta:
        description = "Updates checkout line in the existing checkout; quantity 0 removes it."

    @classmethod
    def update(cls, info, checkout, lines):
        refuse_price_override(lines)
        changes = [_line_change(data) for data in lines]
        checkout_lines.update_lines(checkout, changes, user=current_user(info))


def _delete_lines(checkout, line_ids, field):
    existing = {line.pk for line in checkout.lines.all()}
    pks = [uuid_from_global_id(value, "CheckoutLine") for value in line_ids]
    unknown = [value for value, pk in zip(line_ids, pks, strict=True) if pk not in existing]
    if unknown:
        raise mutation_error(
            field,
            _("Provided line_ids aren't part of checkout."),
            CheckoutErrorCode.INVALID,
            lines=unknown,
        )
    checkout_lines.delete_lines(checkout, pks)


class CheckoutLinesDelete(CheckoutUpdateMutation):
    class Arguments(CheckoutIdArguments):
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    class Meta:
        description = "Deletes checkout lines."

    @classmethod
    def update(cls, info, checkout, lines_ids):
        _delete_lines(checkout, lines_ids, "line_id")


class CheckoutLineDelete(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        line_id = graphene.ID()

    class Meta:
        description = "Deletes a CheckoutLine."

    @classmethod
    def update(cls, info, checkout, line_id=None):
        if not line_id:
            raise mutation_error(
                "line_id", _("The line ID is required."), CheckoutErrorCode.REQUIRED
            )
        _delete_lines(checkout, [line_id], "line_id")
