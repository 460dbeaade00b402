"""From the process's copies of the attribute tables (backend/core/reference.py): each product
type's product- and variant-level attribute rows (with their attributes), and the values of
choice attributes (dropdown, multiselect, swatch), which products share."""

from dataclasses import dataclass

from backend.attribute.models import (
    Attribute,
    AttributeInputType,
    AttributeProduct,
    AttributeValue,
    AttributeVariant,
)
from backend.core.reference import ReferenceData


def _by_product_type(model) -> dict:
    grouped = {}
    for row in model.objects.select_related("attribute"):
        grouped.setdefault(row.product_type_id, []).append(row)
    return grouped


_product_attributes = ReferenceData(
    lambda: _by_product_type(AttributeProduct), Attribute, AttributeProduct
)
_variant_attributes = ReferenceData(
    lambda: _by_product_type(AttributeVariant), Attribute, AttributeVariant
)


def product_attributes() -> dict[int, list[AttributeProduct]]:
    """Product type id -> its product-level attribute rows, in display order."""
    return _product_attributes.get()


def variant_attributes() -> dict[int, list[AttributeVariant]]:
    """Product type id -> its variant-level attribute rows, in display order."""
    return _variant_attributes.get()


CHOICE_INPUT_TYPES = (
    AttributeInputType.DROPDOWN,
    AttributeInputType.MULTISELECT,
    AttributeInputType.SWATCH,
)


@dataclass(frozen=True)
class ChoiceValues:
    by_id: dict[int, AttributeValue]
    ids_by_slug: dict[str, dict[str, int]]  # attribute slug -> value slug -> value id


def _load_choice_values() -> ChoiceValues:
    values = AttributeValue.objects.filter(
        attribute__input_type__in=CHOICE_INPUT_TYPES
    ).select_related("attribute")
    by_id, ids_by_slug = {}, {}
    for value in values:
        by_id[value.pk] = value
        ids_by_slug.setdefault(value.attribute.slug, {})[value.slug] = value.pk
    return ChoiceValues(by_id, ids_by_slug)


_choice_values = ReferenceData(_load_choice_values, Attribute, AttributeValue)


def values_by_id(ids) -> dict[int, AttributeValue]:
    """Attribute values by id: choice values from the process's copy, the others (a text, a
    number, a file, a reference: one per product or page) read in one query."""
    shared = _choice_values.get().by_id
    found = {pk: shared[pk] for pk in ids if pk in shared}
    missing = [pk for pk in ids if pk not in shared]
    if missing:
        found.update(AttributeValue.objects.in_bulk(missing))
    return found


def choice_value_ids(attribute_slug: str, value_slugs) -> list[int] | None:
    """Ids of the values named `value_slugs` of the choice attribute `attribute_slug` (unknown
    slugs are left out); None when no choice attribute has that slug."""
    values = _choice_values.get().ids_by_slug.get(attribute_slug)
    if values is None:
        return None
    return [values[slug] for slug in value_slugs if slug in values]
