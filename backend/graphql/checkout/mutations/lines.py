"""Adding, changing and removing a checkout's lines."""

import graphene
from django.utils.translation import gettext as _

from backend.checkout import services
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.validation import validate_quantity
from backend.graphql.account.mutations import current_user
from backend.graphql.account.types import (
    metadata_from_input,
)
from backend.graphql.checkout.mutations.base import (
    CheckoutArguments,
    CheckoutIdArguments,
    CheckoutUpdateMutation,
    line_items,
    mutation_error,
    refuse_price_override,
    variants_of_lines,
)
from backend.graphql.checkout.types import (
    CheckoutLineInput,
    CheckoutLineUpdateInput,
)
from backend.graphql.core.ids import uuid_from_global_id


class CheckoutLinesAdd(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        description = "Adds a checkout line to the existing checkout."

    @classmethod
    def update(cls, info, checkout, lines):
        items = line_items(lines)
        services.add_lines(checkout, items)
        services.validate_lines(
            checkout, current_user(info), variant_ids={variant.pk for variant, *_ in items}
        )


def _line_pk(value) -> str | None:
    pk = uuid_from_global_id(value, "CheckoutLine")
    return str(pk) if pk else None


class CheckoutLinesUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    class Meta:
        description = "Updates checkout line in the existing checkout; quantity 0 removes it."

    @classmethod
    def update(cls, info, checkout, lines):
        refuse_price_override(lines)
        existing = {str(line.pk): line for line in checkout.lines.select_related("variant")}
        by_variant = {}
        for line in existing.values():
            by_variant.setdefault(line.variant_id, line)
        touched = set()
        for data in lines:
            quantity = data.get("quantity")
            if data.get("line_id"):
                line = existing.get(_line_pk(data["line_id"]) or "")
                if line is None:
                    raise mutation_error(
                        "line_id",
                        _("Couldn't resolve to a node: %(id)s") % {"id": data["line_id"]},
                        CheckoutErrorCode.NOT_FOUND,
                        lines=[data["line_id"]],
                    )
            elif data.get("variant_id"):
                variant = variants_of_lines([data])[data["variant_id"]]
                line = by_variant.get(variant.pk)
                if line is None:
                    if quantity is not None:
                        validate_quantity(quantity, variant, allow_zero=True)
                    if quantity:
                        services.add_lines(checkout, [(variant, quantity, False, {})])
                        touched.add(variant.pk)
                    continue
            else:
                raise mutation_error(
                    "line_id",
                    _("Either lineId or variantId is required."),
                    CheckoutErrorCode.REQUIRED,
                )
            if quantity is not None:
                validate_quantity(quantity, line.variant, allow_zero=True)
            metadata = metadata_from_input(data.get("metadata"))
            if metadata:
                line.metadata = {**line.metadata, **metadata}
            if quantity == 0:
                line.delete()
                continue
            if quantity is not None:
                line.quantity = quantity
                touched.add(line.variant_id)
            line.save(update_fields=["quantity", "metadata"])
        services.validate_lines(checkout, current_user(info), variant_ids=touched)


def _delete_lines(checkout, line_ids, field):
    existing = {str(line.pk): line for line in checkout.lines.all()}
    pks = [_line_pk(value) for value in line_ids]
    unknown = [value for value, pk in zip(line_ids, pks, strict=True) if pk not in existing]
    if unknown:
        raise mutation_error(
            field,
            _("Provided line_ids aren't part of checkout."),
            CheckoutErrorCode.INVALID,
            lines=unknown,
        )
    checkout.lines.filter(pk__in=pks).delete()
    checkout.save(update_fields=["last_change"])


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
