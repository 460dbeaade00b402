"""Batch loaders for attributes, their values, translations and their assignment to products,
variants and product types."""

from backend.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeProduct,
    AttributeTranslation,
    AttributeValueTranslation,
    AttributeVariant,
)
from backend.graphql.core.dataloaders import (
    ByIdLoader,
    DataLoader,
    RelatedByOwnerLoader,
    TranslationLoader,
    group_by,
)


class AttributeByIdLoader(ByIdLoader):
    model = Attribute


class AttributeValuesByProductIdLoader(RelatedByOwnerLoader):
    """The values assigned to each product, in assignment order."""

    model = AssignedProductAttributeValue
    owner_field = "product"
    related = "value"


class AttributeValuesByVariantIdLoader(RelatedByOwnerLoader):
    model = AssignedVariantAttributeValue
    owner_field = "variant"
    related = "value"


class _TypeAttributeRowsLoader(DataLoader):
    """Each product type's `model` rows, with their `attribute`."""

    model = None

    def batch_load(self, keys):
        rows = self.model.objects.filter(product_type_id__in=keys).select_related("attribute")
        grouped = group_by(rows, lambda row: row.product_type_id)
        return [grouped.get(key, []) for key in keys]


class AttributeProductsByProductTypeIdLoader(_TypeAttributeRowsLoader):
    """Product-level attributes of each product type (AttributeProduct rows with `attribute`)."""

    model = AttributeProduct


class AttributeVariantsByProductTypeIdLoader(_TypeAttributeRowsLoader):
    """Variant-level attributes of each product type (AttributeVariant rows with `attribute`)."""

    model = AttributeVariant


class AttributeTranslationLoader(TranslationLoader):
    model = AttributeTranslation
    object_field = "attribute"


class AttributeValueTranslationLoader(TranslationLoader):
    model = AttributeValueTranslation
    object_field = "attribute_value"
