"""`ProductType`."""

import graphene

from backend.graphql.attribute.dataloaders import (
    AttributeProductsByProductTypeIdLoader,
    AttributeVariantsByProductTypeIdLoader,
)
from backend.graphql.attribute.types import Attribute
from backend.graphql.core.dataloaders import then
from backend.graphql.core.enums import VariantAttributeScope
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import ObjectWithMetadata
from backend.graphql.product.types.common import Weight, in_scope


class ProductTypeKindEnum(graphene.Enum):
    NORMAL = "normal"
    GIFT_CARD = "gift_card"


class ProductType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    kind = graphene.Field(ProductTypeKindEnum, required=True)
    weight = graphene.Field(Weight)
    product_attributes = graphene.List(Attribute)
    variant_attributes = graphene.List(
        Attribute, variant_selection=graphene.Argument(VariantAttributeScope)
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)

    resolve_id = staticmethod(global_id_resolver("ProductType"))

    @staticmethod
    def resolve_weight(root, _info):
        return Weight.from_grams(root.weight_grams)

    @staticmethod
    def resolve_product_attributes(root, info):
        return then(
            AttributeProductsByProductTypeIdLoader(info.context).load(root.pk),
            lambda rows: [row.attribute for row in rows],
        )

    @staticmethod
    def resolve_variant_attributes(root, info, variant_selection=None):
        return then(
            AttributeVariantsByProductTypeIdLoader(info.context).load(root.pk),
            lambda rows: [row.attribute for row in in_scope(rows, variant_selection)],
        )
