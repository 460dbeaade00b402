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
from backend.graphql.core.dataloaders import DataLoader, group_by


class AttributeByIdLoader(DataLoader):
    def batch_load(self, keys):
        attributes = Attribute.objects.in_bulk(keys)
        return [attributes.get(key) for key in keys]


class AttributeValuesByProductIdLoader(DataLoader):
    """The values assigned to each product, in assignment order."""

    def batch_load(self, keys):
        rows = AssignedProductAttributeValue.objects.filter(product_id__in=keys).select_related(
            "value"
        )
        grouped = group_by(rows, lambda row: row.product_id)
        return [[row.value for row in grouped.get(key, [])] for key in keys]


class AttributeValuesByVariantIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = AssignedVariantAttributeValue.objects.filter(variant_id__in=keys).select_related(
            "value"
        )
        grouped = group_by(rows, lambda row: row.variant_id)
        return [[row.value for row in grouped.get(key, [])] for key in keys]


class AttributeProductsByProductTypeIdLoader(DataLoader):
    """Product-level attributes of each product type (AttributeProduct rows with `attribute`)."""

    def batch_load(self, keys):
        rows = AttributeProduct.objects.filter(product_type_id__in=keys).select_related("attribute")
        grouped = group_by(rows, lambda row: row.product_type_id)
        return [grouped.get(key, []) for key in keys]


class AttributeVariantsByProductTypeIdLoader(DataLoader):
    """Variant-level attributes of each product type (AttributeVariant rows with `attribute`)."""

    def batch_load(self, keys):
        rows = AttributeVariant.objects.filter(product_type_id__in=keys).select_related("attribute")
        grouped = group_by(rows, lambda row: row.product_type_id)
        return [grouped.get(key, []) for key in keys]


class TranslationLoader(DataLoader):
    """Loads translations keyed by (object id, language code)."""

    model = None
    object_field = ""

    def batch_load(self, keys):
        ids = {object_id for object_id, _language in keys}
        languages = {language for _object_id, language in keys}
        rows = self.model.objects.filter(
            **{f"{self.object_field}_id__in": ids, "language_code__in": languages}
        )
        by_key = {(getattr(row, f"{self.object_field}_id"), row.language_code): row for row in rows}
        return [by_key.get(key) for key in keys]


class AttributeTranslationLoader(TranslationLoader):
    model = AttributeTranslation
    object_field = "attribute"


class AttributeValueTranslationLoader(TranslationLoader):
    model = AttributeValueTranslation
    object_field = "attribute_value"
