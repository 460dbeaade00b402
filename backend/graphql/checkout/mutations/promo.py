"""Promo codes (vouchers) on a checkout (backend.checkout.promo)."""

import graphene
from django.utils.translation import gettext as _

from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.promo import apply_promo_code, remove_promo_code
from backend.core.ids import pk_from_global_id
from backend.discount.models import Voucher as VoucherModel
from backend.graphql.account.mutations import current_user
from backend.graphql.checkout.mutations.base import (
    CheckoutArguments,
    CheckoutUpdateMutation,
    mutation_error,
)


class CheckoutAddPromoCode(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        promo_code = graphene.String(required=True)

    class Meta:
        description = "Adds a promo code (voucher) to the checkout."

    @classmethod
    def update(cls, info, checkout, promo_code):
        apply_promo_code(checkout, promo_code, user=current_user(info))


class CheckoutRemovePromoCode(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        promo_code = graphene.String()
        promo_code_id = graphene.ID()

    class Meta:
        description = "Removes a promo code from the checkout."

    @classmethod
    def update(cls, info, checkout, promo_code=None, promo_code_id=None):
        if not promo_code and not promo_code_id:
            raise mutation_error(
                "promo_code",
                _("Either promoCode or promoCodeId is required."),
                CheckoutErrorCode.REQUIRED,
            )
        if promo_code_id:
            pk = pk_from_global_id(promo_code_id, "Voucher")
            if pk is None:
                raise mutation_error(
                    "promo_code_id",
                    _("Couldn't resolve to a node: %(id)s") % {"id": promo_code_id},
                    CheckoutErrorCode.INVALID,
                )
            voucher = VoucherModel.objects.filter(pk=pk).first()
            promo_code = voucher.code if voucher else None
        remove_promo_code(checkout, promo_code)
