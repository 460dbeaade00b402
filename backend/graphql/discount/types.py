"""Discount types with Saleor's names: Voucher (a promo code) and GiftCard (not sold yet, so a
checkout's `giftCards` is always empty)."""

import graphene

from backend.discount import models
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import Money, ObjectWithMetadata


class DiscountValueTypeEnum(graphene.Enum):
    FIXED = "FIXED"
    PERCENTAGE = "PERCENTAGE"


class Voucher(graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String()
    name = graphene.String()
    discount_value_type = graphene.Field(DiscountValueTypeEnum, required=True)
    discount_value = graphene.Float(
        description="Percent for PERCENTAGE vouchers, amount in the voucher's currency for FIXED."
    )
    currency = graphene.String()
    min_spent = graphene.Field(Money)
    start_date = graphene.DateTime()
    end_date = graphene.DateTime()
    apply_once_per_customer = graphene.Boolean(required=True)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "A promo code taking an amount or a percentage off the order."

    resolve_id = staticmethod(global_id_resolver("Voucher"))

    @staticmethod
    def resolve_name(root: models.Voucher, _info):
        return root.name or None

    @staticmethod
    def resolve_discount_value_type(root: models.Voucher, _info):
        return root.discount_value_type.upper()

    @staticmethod
    def resolve_discount_value(root: models.Voucher, _info):
        if root.discount_value_type == models.DiscountValueType.PERCENTAGE:
            return float(root.value)
        return Money.from_minor(root.value, root.currency)["amount"]

    @staticmethod
    def resolve_min_spent(root: models.Voucher, _info):
        if not root.minimum_spent_amount:
            return None
        return Money.from_minor(root.minimum_spent_amount, root.currency)


class GiftCard(graphene.ObjectType):
    id = graphene.ID(required=True)
    display_code = graphene.String(required=True)
    current_balance = graphene.Field(Money, required=True)
