"""Filter inputs with Saleor's names, shared by products, variants and pages; their conditions
as Q, or as the domain's `Match` and `AttributeFilter` (backend/attribute/filters.py)."""

import graphene
from django.db.models import Q

from backend.attribute import filters as attribute_conditions
from backend.attribute.filters import AttributeFilter, ValueCondition
from backend.core.filters import Match
from backend.graphql.core.scalars import Decimal as DecimalScalar


class StringFilterInput(graphene.InputObjectType):
    eq = graphene.String()
    one_of = graphene.List(graphene.NonNull(graphene.String))


class GlobalIDFilterInput(graphene.InputObjectType):
    eq = graphene.ID()
    one_of = graphene.List(graphene.NonNull(graphene.ID))


class IntRangeInput(graphene.InputObjectType):
    gte = graphene.Int()
    lte = graphene.Int()


class DecimalRangeInput(graphene.InputObjectType):
    gte = DecimalScalar()
    lte = DecimalScalar()


class DecimalFilterInput(graphene.InputObjectType):
    eq = DecimalScalar()
    one_of = graphene.List(graphene.NonNull(DecimalScalar))
    range = graphene.Field(DecimalRangeInput)


class DateRangeInput(graphene.InputObjectType):
    gte = graphene.Date()
    lte = graphene.Date()


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime()
    lte = graphene.DateTime()


class DateTimeFilterInput(graphene.InputObjectType):
    eq = graphene.DateTime()
    one_of = graphene.List(graphene.NonNull(graphene.DateTime))
    range = graphene.Field(DateTimeRangeInput)


class MetadataFilter(graphene.InputObjectType):
    key = graphene.String(required=True)
    value = graphene.String()


class MetadataValueFilterInput(graphene.InputObjectType):
    eq = graphene.String()
    one_of = graphene.List(graphene.NonNull(graphene.String))


class MetadataFilterInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    value = graphene.Field(MetadataValueFilterInput)


class ContainsFilterInput(graphene.InputObjectType):
    contains_any = graphene.List(graphene.NonNull(graphene.String))
    contains_all = graphene.List(graphene.NonNull(graphene.String))


class AssignedAttributeReferenceInput(graphene.InputObjectType):
    referenced_ids = graphene.Field(ContainsFilterInput)
    page_slugs = graphene.Field(ContainsFilterInput)
    product_slugs = graphene.Field(ContainsFilterInput)
    product_variant_skus = graphene.Field(ContainsFilterInput)
    category_slugs = graphene.Field(ContainsFilterInput)
    collection_slugs = graphene.Field(ContainsFilterInput)


class AssignedAttributeValueInput(graphene.InputObjectType):
    slug = graphene.Field(StringFilterInput)
    name = graphene.Field(StringFilterInput)
    numeric = graphene.Field(DecimalFilterInput)
    date = graphene.Field(DateRangeInput)
    date_time = graphene.Field(DateTimeRangeInput)
    boolean = graphene.Boolean()
    reference = graphene.Field(AssignedAttributeReferenceInput)


class AssignedAttributeWhereInput(graphene.InputObjectType):
    slug = graphene.String()
    value = graphene.Field(AssignedAttributeValueInput)


class AttributeInput(graphene.InputObjectType):
    slug = graphene.String()
    value = graphene.Field(AssignedAttributeValueInput)
    values = graphene.List(
        graphene.NonNull(graphene.String), deprecation_reason="Use `value` instead."
    )
    values_range = graphene.Field(IntRangeInput, deprecation_reason="Use `value` instead.")
    date_time = graphene.Field(DateTimeRangeInput, deprecation_reason="Use `value` instead.")
    date = graphene.Field(DateRangeInput, deprecation_reason="Use `value` instead.")
    boolean = graphene.Boolean(deprecation_reason="Use `value` instead.")


# --- Q builders -----------------------------------------------------------------------------


def string_filter_q(field: str, value) -> Q:
    """`{eq}` / `{oneOf}` on a text column."""
    if value is None:
        return Q()
    if value.get("eq") is not None:
        return Q(**{field: value["eq"]})
    if value.get("one_of") is not None:
        return Q(**{f"{field}__in": value["one_of"]})
    return Q()


def range_q(field: str, value) -> Q:
    if not value:
        return Q()
    q = Q()
    if value.get("gte") is not None:
        q &= Q(**{f"{field}__gte": value["gte"]})
    if value.get("lte") is not None:
        q &= Q(**{f"{field}__lte": value["lte"]})
    return q


def metadata_q(items, field: str = "metadata") -> Q:
    """Deprecated `[MetadataFilter]` (key, optional exact value) — all must match."""
    q = Q()
    for item in items or []:
        if item.get("value") is None:
            q &= Q(**{f"{field}__has_key": item["key"]})
        else:
            q &= Q(**{f"{field}__contains": {item["key"]: item["value"]}})
    return q


def metadata_filter_input_q(item, field: str = "metadata") -> Q:
    """`MetadataFilterInput` (key, value{eq oneOf})."""
    if not item:
        return Q()
    value = item.get("value") or {}
    if value.get("eq") is not None:
        return Q(**{f"{field}__contains": {item["key"]: value["eq"]}})
    if value.get("one_of"):
        q = Q()
        for option in value["one_of"]:
            q |= Q(**{f"{field}__contains": {item["key"]: option}})
        return q
    return Q(**{f"{field}__has_key": item["key"]})


def range_match(value) -> Match | None:
    """A `{gte, lte}` range input."""
    if not value:
        return None
    return Match(gte=value.get("gte"), lte=value.get("lte"))


def string_match(value) -> Match | None:
    """A `{eq, oneOf}` input (`eq` wins)."""
    if value is None:
        return None
    if value.get("eq") is not None:
        return Match(one_of=(value["eq"],))
    if value.get("one_of") is not None:
        return Match(one_of=tuple(value["one_of"]))
    return None


def filter_match(value) -> Match | None:
    """A `{eq, oneOf, range}` input (`eq` wins, then `oneOf`)."""
    if not value:
        return None
    return string_match(value) or Match(**(value.get("range") or {}))


def _numeric_match(numeric) -> Match:
    if numeric.get("eq") is not None:
        return Match(one_of=(numeric["eq"],))
    if numeric.get("one_of"):
        return Match(one_of=tuple(numeric["one_of"]))
    return Match(**(numeric.get("range") or {}))


def attribute_filter(attribute_input) -> AttributeFilter:
    """`AttributeInput` (its deprecated fields and `value` must hold for the same value) or
    `AssignedAttributeWhereInput`."""
    conditions = [
        ValueCondition(
            slug=Match(one_of=tuple(attribute_input["values"]))
            if attribute_input.get("values")
            else None,
            boolean=attribute_input.get("boolean"),
            number=range_match(attribute_input.get("values_range")),
            date_time=range_match(attribute_input.get("date_time")),
            date=range_match(attribute_input.get("date")),
        )
    ]
    value = attribute_input.get("value")
    if value:
        collections = ((value.get("reference") or {}).get("collection_slugs") or {}).get(
            "contains_any"
        )
        conditions.append(
            ValueCondition(
                slug=string_match(value.get("slug")),
                name=string_match(value.get("name")),
                number=_numeric_match(value["numeric"]) if value.get("numeric") else None,
                date=range_match(value.get("date")),
                date_time=range_match(value.get("date_time")),
                boolean=value.get("boolean"),
                reference_collection_slugs=tuple(collections) if collections else None,
            )
        )
    return AttributeFilter(
        slug=attribute_input.get("slug") or None,
        conditions=tuple(condition for condition in conditions if condition != ValueCondition()),
    )


def attribute_exists(owner: str, attribute_input, outer_ref: str = "pk"):
    """Exists(): the owner (product, variant or page) has a value matching `attribute_input`."""
    return attribute_conditions.attribute_exists(
        owner, attribute_filter(attribute_input), outer_ref
    )
