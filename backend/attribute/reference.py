"""Each product type's product- and variant-level attribute rows (with their attributes), from
the process's copy of those tables (backend/core/reference.py)."""

from dataclasses import dataclass

from backend.attribute.models import Attribute, AttributeProduct, AttributeVariant
from backend.core.reference import ReferenceData


@dataclass(frozen=True)
class TypeAttributes:
    product: dict[int, list[AttributeProduct]]  # product type id -> rows, in display order
    variant: dict[int, list[AttributeVariant]]


def _by_product_type(model) -> dict:
    grouped = {}
    for row in model.objects.select_related("attribute"):
        grouped.setdefault(row.product_type_id, []).append(row)
    return grouped


_type_attributes = ReferenceData(
    lambda: TypeAttributes(_by_product_type(AttributeProduct), _by_product_type(AttributeVariant)),
    Attribute,
    AttributeProduct,
    AttributeVariant,
)


def type_attributes() -> TypeAttributes:
    return _type_attributes.get()
