"""Which products, variants or pages have an attribute value meeting some conditions: the
attribute part of the catalogue query, of variant and of page filters."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Exists, FloatField, OuterRef, Q, When
from django.db.models.functions import Cast

from backend.attribute.models import (
    AssignedPageAttributeValue,
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    AttributeValue,
)
from backend.attribute.reference import choice_value_ids
from backend.core.filters import Match


@dataclass(frozen=True)
class ValueCondition:
    """What one assigned value must be: every given field holds."""

    slug: Match | None = None
    name: Match | None = None
    number: Match | None = None  # numeric attributes, whose number is kept as text in `name`
    date: Match | None = None
    date_time: Match | None = None
    boolean: bool | None = None
    reference_collection_slugs: tuple[str, ...] | None = None  # refers to one of them


@dataclass(frozen=True)
class AttributeFilter:
    """Owners with one value of the attribute `slug` (of any attribute without a slug) that
    meets every condition."""

    slug: str | None = None
    conditions: tuple[ValueCondition, ...] = ()

    def choice_slugs(self) -> tuple[str, ...] | None:
        """The value slugs when the filter only names values of one attribute by slug."""
        if not self.slug or len(self.conditions) != 1:
            return None
        condition = self.conditions[0]
        if condition != ValueCondition(slug=condition.slug) or condition.slug is None:
            return None
        return condition.slug.one_of or None


def _condition_q(condition: ValueCondition, prefix: str) -> Q | None:
    """`condition` on an AttributeValue row reached through `prefix`; None when it compares
    numbers, which needs the assignment's `numeric_name` (see `_owners_with`)."""
    q = Q()
    if condition.slug is not None:
        q &= condition.slug.q(f"{prefix}slug")
    if condition.name is not None:
        q &= condition.name.q(f"{prefix}name")
    if condition.boolean is not None:
        q &= Q(**{f"{prefix}boolean": condition.boolean})
    if condition.date is not None:
        q &= condition.date.q(f"{prefix}date_time__date")
    if condition.date_time is not None:
        q &= condition.date_time.q(f"{prefix}date_time")
    if condition.reference_collection_slugs:
        q &= Q(**{f"{prefix}reference_collection__slug__in": condition.reference_collection_slugs})
    if condition.number is not None:
        number = condition.number
        q &= Q(**{f"{prefix}attribute__input_type": "numeric"})
        if number.one_of is not None:
            spellings = [text for value in number.one_of for text in _number_spellings(value)]
            q &= Q(**{f"{prefix}name__in": spellings})
        elif number.gte is not None or number.lte is not None:
            if not prefix:
                return None
            q &= Match(
                gte=None if number.gte is None else float(number.gte),
                lte=None if number.lte is None else float(number.lte),
            ).q("numeric_name")
    return q


def _value_q(attribute_filter: AttributeFilter, prefix: str) -> Q | None:
    q = Q(**{f"{prefix}attribute__slug": attribute_filter.slug}) if attribute_filter.slug else Q()
    for condition in attribute_filter.conditions:
        condition_q = _condition_q(condition, prefix)
        if condition_q is None:
            return None
        q &= condition_q
    return q


def _number_spellings(number) -> list[str]:
    value = Decimal(str(number))
    spellings = {str(value), format(value.normalize(), "f")}
    if value == value.to_integral_value():
        spellings.add(str(int(value)))
    return sorted(spellings)


# Only well-formed numbers are cast, so a text value never breaks the query.
_NUMERIC_NAME = Case(
    When(value__name__regex=r"^-?[0-9]+(\.[0-9]+)?$", then=Cast("value__name", FloatField())),
    default=None,
    output_field=FloatField(),
)

_ASSIGNMENT_MODELS = {
    "product": AssignedProductAttributeValue,
    "variant": AssignedVariantAttributeValue,
    "page": AssignedPageAttributeValue,
}


def _assignments_with(owner: str, attribute_filter: AttributeFilter):
    model = _ASSIGNMENT_MODELS[owner]
    matching = model.objects.annotate(numeric_name=_NUMERIC_NAME)
    return matching.filter(_value_q(attribute_filter, "value__"))


def attribute_exists(owner: str, attribute_filter: AttributeFilter, outer_ref: str = "pk"):
    """Exists(): the outer owner (product, variant or page) has a value matching the filter."""
    assignments = _assignments_with(owner, attribute_filter)
    return Exists(assignments.filter(**{f"{owner}_id": OuterRef(outer_ref)}))


def product_attributes_q(attribute_filters) -> Q:
    """Products: every filter matched by a value of the product or of one of its variants.

    Uncorrelated `IN` subqueries: PostgreSQL computes each matching set once and probes it as
    a hash, where a correlated EXISTS would run per product of the catalogue.
    """
    from backend.product.models import ProductVariant

    q = Q()
    for attribute_filter in attribute_filters:
        on_product = Q(pk__in=_owners_with("product", attribute_filter))
        variants = ProductVariant.objects.filter(pk__in=_owners_with("variant", attribute_filter))
        q &= on_product | Q(pk__in=variants.values("product_id"))
    return q


def _owners_with(owner: str, attribute_filter: AttributeFilter):
    """IDs of the owners (product, variant or page) with a value matching the filter."""
    return _assignments_with(owner, attribute_filter).values(f"{owner}_id")


def matching_value_ids(attribute_filter: AttributeFilter) -> list[int] | None:
    """The ids of the attribute values the filter accepts (a choice attribute's from the
    process's copy); None when it compares numbers by range, which only assignments can."""
    slugs = attribute_filter.choice_slugs()
    if slugs is not None:
        found = choice_value_ids(attribute_filter.slug, slugs)
        if found is not None:
            return found
    conditions = _value_q(attribute_filter, "")
    if conditions is None:
        return None
    return list(AttributeValue.objects.filter(conditions).values_list("pk", flat=True))
