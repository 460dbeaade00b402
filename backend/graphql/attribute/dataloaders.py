"""Batch loaders for attributes, their values, translations and their assignment to products,
variants and product types."""

from backend.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeTranslation,
    AttributeValueTranslation,
)
from backend.attribute.reference import product_attributes, values_by_id, variant_attributes
from backend.graphql.core.dataloaders import (
    ByIdLoader,
    DataLoader,
    InMemoryLoader,
    TranslationLoader,
)


class AttributeByIdLoader(ByIdLoader):
    model = Attribute


class AssignedValuesLoader(DataLoader):
    """The values assigned to each owner (a `model` row per value, whose `<owner_field>_id` is
    the owner's id), in assignment order: the rows' value ids in one query, the values from
    `values_by_id` (choice values, which most are, from the process's copy)."""

    model = None
    owner_field = ""

    def batch_load(self, keys):
        owner = f"{self.owner_field}_id"
        links = list(
            self.model.objects.filter(**{f"{owner}__in": keys}).values_list(owner, "value_id")
        )
        values = values_by_id({value_id for _, value_id in links})
        grouped: dict = {}
        for owner_id, value_id in links:
            if value_id in values:
                grouped.setdefault(owner_id, []).append(values[value_id])
        return [grouped.get(key, []) for key in keys]


class AttributeValuesByProductIdLoader(AssignedValuesLoader):
    """The values assigned to each product, in assignment order."""

    model = AssignedProductAttributeValue
    owner_field = "product"


class AttributeValuesByVariantIdLoader(AssignedValuesLoader):
    model = AssignedVariantAttributeValue
    owner_field = "variant"


class AttributeProductsByProductTypeIdLoader(InMemoryLoader):
    """Product-level attributes of each product type (AttributeProduct rows with `attribute`)."""

    missing = ()

    def mapping(self):
        return product_attributes()


class AttributeVariantsByProductTypeIdLoader(InMemoryLoader):
    """Variant-level attributes of each product type (AttributeVariant rows with `attribute`)."""

    missing = ()

    def mapping(self):
        return variant_attributes()


class AttributeTranslationLoader(TranslationLoader):
    model = AttributeTranslation
    object_field = "attribute"


class AttributeValueTranslationLoader(TranslationLoader):
    model = AttributeValueTranslation
    object_field = "attribute_value"
