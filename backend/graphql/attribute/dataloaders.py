"""Batch loaders for attributes, their values, translations and their assignment to products,
variants and product types."""

from backend.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeTranslation,
    AttributeValueTranslation,
)
from backend.attribute.reference import type_attributes
from backend.graphql.core.dataloaders import (
    ByIdLoader,
    InMemoryLoader,
    RelatedByOwnerLoader,
    TranslationLoader,
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


class AttributeProductsByProductTypeIdLoader(InMemoryLoader):
    """Product-level attributes of each product type (AttributeProduct rows with `attribute`)."""

    missing = ()

    def mapping(self):
        return type_attributes().product


class AttributeVariantsByProductTypeIdLoader(InMemoryLoader):
    """Variant-level attributes of each product type (AttributeVariant rows with `attribute`)."""

    missing = ()

    def mapping(self):
        return type_attributes().variant


class AttributeTranslationLoader(TranslationLoader):
    model = AttributeTranslation
    object_field = "attribute"


class AttributeValueTranslationLoader(TranslationLoader):
    model = AttributeValueTranslation
    object_field = "attribute_value"
