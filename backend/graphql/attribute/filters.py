"""Filter inputs with Saleor's names, shared by products, variants and pages, and the attribute
conditions `where: {attributes: [...]}` and `filter: {attributes: [...]}` turn into."""

from decimal import Decimal

import graphene
from django.db.models import Case, Exists, FloatField, OuterRef, Q, When
from django.db.models.functions import Cast

from backend.attribute.models import (
    AssignedPageAttributeValue,
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
)
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


def _value_conditions(attribute_input) -> Q:
    """Conditions on an AttributeValue row (prefix `value__`) for one attribute input."""
    q = Q()
    if attribute_input.get("slug"):
        q &= Q(value__attribute__slug=attribute_input["slug"])
    if attribute_input.get("values"):
        q &= Q(value__slug__in=attribute_input["values"])
    if attribute_input.get("boolean") is not None:
        q &= Q(value__boolean=attribute_input["boolean"])
    if attribute_input.get("values_range"):
        q &= _numeric_range_q(attribute_input["values_range"])
    q &= range_q("value__date_time", attribute_input.get("date_time"))
    q &= range_q("value__date_time__date", attribute_input.get("date"))
    value = attribute_input.get("value")
    if value:
        q &= string_filter_q("value__slug", value.get("slug"))
        q &= string_filter_q("value__name", value.get("name"))
        if value.get("boolean") is not None:
            q &= Q(value__boolean=value["boolean"])
        q &= range_q("value__date_time__date", value.get("date"))
        q &= range_q("value__date_time", value.get("date_time"))
        numeric = value.get("numeric")
        if numeric:
            q &= _numeric_filter_q(numeric)
        reference = value.get("reference") or {}
        collections = reference.get("collection_slugs") or {}
        if collections.get("contains_any"):
            q &= Q(value__reference_collection__slug__in=collections["contains_any"])
    return q


def _numeric_values(condition) -> Q:
    """Numeric attribute values keep their number as text in `name`."""
    return Q(value__attribute__input_type="numeric") & condition


def _numeric_filter_q(numeric) -> Q:
    if numeric.get("eq") is not None:
        return _numeric_values(Q(value__name__in=_number_spellings(numeric["eq"])))
    if numeric.get("one_of"):
        names = [s for number in numeric["one_of"] for s in _number_spellings(number)]
        return _numeric_values(Q(value__name__in=names))
    return _numeric_range_q(numeric.get("range") or {})


def _numeric_range_q(bounds) -> Q:
    q = Q()
    if bounds.get("gte") is not None:
        q &= Q(numeric_name__gte=float(bounds["gte"]))
    if bounds.get("lte") is not None:
        q &= Q(numeric_name__lte=float(bounds["lte"]))
    return _numeric_values(q)


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


def attribute_exists(owner: str, attribute_input, outer_ref: str = "pk"):
    """Exists(): the owner (product, variant or page) has a value matching `attribute_input`."""
    model = _ASSIGNMENT_MODELS[owner]
    assignments = model.objects.filter(**{f"{owner}_id": OuterRef(outer_ref)}).annotate(
        numeric_name=_NUMERIC_NAME
    )
    return Exists(assignments.filter(_value_conditions(attribute_input)))


def product_attributes_q(attribute_inputs) -> Q:
    """Every input must match a value of the product or of one of its variants.

    Uncorrelated `IN` subqueries: PostgreSQL computes each matching set once and probes it as
    a hash, where a correlated EXISTS would run per product of the catalogue.
    """
    from backend.product.models import ProductVariant

    q = Q()
    for attribute_input in attribute_inputs or []:
        on_product = Q(pk__in=_owners_with("product", attribute_input))
        variants = ProductVariant.objects.filter(pk__in=_owners_with("variant", attribute_input))
        q &= on_product | Q(pk__in=variants.values("product_id"))
    return q


def _owners_with(owner: str, attribute_input):
    """IDs of the owners (product, variant or page) with a value matching `attribute_input`."""
    model = _ASSIGNMENT_MODELS[owner]
    matching = model.objects.annotate(numeric_name=_NUMERIC_NAME).filter(
        _value_conditions(attribute_input)
    )
    return matching.values(f"{owner}_id")
