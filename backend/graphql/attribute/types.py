"""Attributes and their values, the deprecated `SelectedAttribute` and the `AssignedAttribute`
family (one type per input type) shared by products, variants and pages."""

import graphene

from backend.attribute import models
from backend.graphql.attribute.dataloaders import (
    AttributeByIdLoader,
    AttributeTranslationLoader,
    AttributeValueTranslationLoader,
)
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.dataloaders import then
from backend.graphql.core.enums import AttributeInputTypeEnum, LanguageCodeEnum
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.permissions import is_staff
from backend.graphql.core.scalars import PositiveInt
from backend.graphql.core.types import (
    File,
    LanguageDisplay,
    ObjectWithMetadata,
    TranslationResolvers,
)

SOURCE_LANGUAGE = "vi"


def language_from_enum(value) -> str:
    """`EN` → `en`, `PT_BR` → `pt-br`: the code translations are stored under."""
    value = getattr(value, "value", value)
    return str(value).replace("_", "-").lower()


def is_source_language(language: str) -> bool:
    return language.split("-")[0] == SOURCE_LANGUAGE


def _input_type_enum(input_type: str):
    return AttributeInputTypeEnum.get(input_type.replace("-", "_").upper())


class AttributeTranslation(TranslationResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String(required=True)


class AttributeValueTranslation(TranslationResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String(required=True)
    plain_text = graphene.String()


def load_translation(info, loader_class, instance, language_code, source_factory):
    """The stored translation into `language_code`, or for Vietnamese (the language the
    objects are written in) an unsaved translation built by `source_factory(instance)`."""
    language = language_from_enum(language_code)
    if is_source_language(language):
        source = source_factory(instance)
        source.pk = instance.pk
        source.language_code = SOURCE_LANGUAGE
        return source
    return loader_class(info.context).load((instance.pk, language))


def _attribute_source(attribute):
    return models.AttributeTranslation(attribute=attribute, name=attribute.name)


def _value_source(value):
    return models.AttributeValueTranslation(
        attribute_value=value, name=value.name, plain_text=value.plain_text
    )


class Attribute(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    input_type = graphene.Field(AttributeInputTypeEnum)
    unit = graphene.String()
    value_required = graphene.Boolean(required=True)
    visible_in_storefront = graphene.Boolean(required=True)
    filterable_in_storefront = graphene.Boolean(required=True)
    storefront_search_position = graphene.Int(required=True)
    translation = graphene.Field(
        AttributeTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Custom attribute of a product, variant or page."

    resolve_id = staticmethod(global_id_resolver("Attribute"))

    @staticmethod
    def resolve_input_type(root, _info):
        return _input_type_enum(root.input_type)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return load_translation(
            info, AttributeTranslationLoader, root, language_code, _attribute_source
        )


class AttributeValue(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()
    value = graphene.String()
    input_type = graphene.Field(AttributeInputTypeEnum)
    file = graphene.Field(File)
    rich_text = graphene.JSONString()
    plain_text = graphene.String()
    boolean = graphene.Boolean()
    date = graphene.Date()
    date_time = graphene.DateTime()
    translation = graphene.Field(
        AttributeValueTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )

    class Meta:
        description = "Represents a value of an attribute."

    resolve_id = staticmethod(global_id_resolver("AttributeValue"))

    @staticmethod
    def resolve_input_type(root, info):
        return then(
            AttributeByIdLoader(info.context).load(root.attribute_id),
            lambda attribute: _input_type_enum(attribute.input_type),
        )

    @staticmethod
    def resolve_file(root, _info):
        return _file(root)

    @staticmethod
    def resolve_date(root, _info):
        return root.date_time.date() if root.date_time else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return load_translation(
            info, AttributeValueTranslationLoader, root, language_code, _value_source
        )


def _file(value):
    if not value.file_url:
        return None
    return File(url=value.file_url, content_type=value.content_type)


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)
    values = graphene.List(graphene.NonNull(AttributeValue), required=True)

    class Meta:
        description = "Represents an attribute and its values (deprecated shape)."


# --- Assigned attributes ----------------------------------------------------------------------


class AssignedAttributeData:
    """An attribute with the values one object carries for it."""

    def __init__(self, attribute, values):
        self.attribute = attribute
        self.values = values

    @property
    def value(self):
        """The first value: what an attribute holding a single value shows."""
        return self.values[0] if self.values else None


class AssignedAttribute(graphene.Interface):
    attribute = graphene.Field(Attribute, required=True)

    @classmethod
    def resolve_type(cls, instance, _info):
        return _ASSIGNED_TYPES.get(instance.attribute.input_type, AssignedSingleChoiceAttribute)


class AssignedChoiceAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    @staticmethod
    def resolve_translation(root, info, language_code):
        return then(
            load_translation(
                info, AttributeValueTranslationLoader, root, language_code, _value_source
            ),
            lambda translation: translation.name if translation else None,
        )


class AssignedSingleChoiceAttribute(graphene.ObjectType):
    value = graphene.Field(AssignedChoiceAttributeValue)

    class Meta:
        interfaces = (AssignedAttribute,)


class AssignedMultiChoiceAttribute(graphene.ObjectType):
    value = graphene.List(
        graphene.NonNull(AssignedChoiceAttributeValue),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
    )

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info, limit=100):
        return root.values[:limit]


class AssignedPlainTextAttribute(graphene.ObjectType):
    value = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        return value.plain_text if value else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        value = root.value
        if value is None:
            return None
        return then(
            load_translation(
                info, AttributeValueTranslationLoader, value, language_code, _value_source
            ),
            lambda translation: translation.plain_text if translation else None,
        )


class AssignedTextAttribute(graphene.ObjectType):
    value = graphene.JSONString()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        return value.rich_text if value else None


class AssignedNumericAttribute(graphene.ObjectType):
    value = graphene.Float()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        try:
            return float(value.name) if value else None
        except ValueError:
            return None


class AssignedBooleanAttribute(graphene.ObjectType):
    value = graphene.Boolean()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        return value.boolean if value else None


class AssignedDateAttribute(graphene.ObjectType):
    value = graphene.Date()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        return value.date_time.date() if value and value.date_time else None


class AssignedDateTimeAttribute(graphene.ObjectType):
    value = graphene.DateTime()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        return value.date_time if value else None


class AssignedFileAttribute(graphene.ObjectType):
    value = graphene.Field(File)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.value
        return _file(value) if value else None


def _load_collections(info, values):
    from backend.graphql.product.dataloaders import CollectionByIdLoader

    ids = [value.reference_collection_id for value in values if value.reference_collection_id]
    return then(
        CollectionByIdLoader(info.context).load_many(ids),
        lambda collections: [ChannelContext(c, None) for c in collections if c is not None],
    )


class AssignedSingleCollectionReferenceAttribute(graphene.ObjectType):
    value = graphene.Field("backend.graphql.product.types.Collection")

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info):
        return then(
            _load_collections(info, root.values[:1]),
            lambda collections: collections[0] if collections else None,
        )


class AssignedMultiCollectionReferenceAttribute(graphene.ObjectType):
    value = graphene.List(
        graphene.NonNull("backend.graphql.product.types.Collection"),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
    )

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info, limit=100):
        return _load_collections(info, root.values[:limit])


_ASSIGNED_TYPES = {
    models.AttributeInputType.DROPDOWN: AssignedSingleChoiceAttribute,
    models.AttributeInputType.SWATCH: AssignedSingleChoiceAttribute,
    models.AttributeInputType.MULTISELECT: AssignedMultiChoiceAttribute,
    models.AttributeInputType.PLAIN_TEXT: AssignedPlainTextAttribute,
    models.AttributeInputType.RICH_TEXT: AssignedTextAttribute,
    models.AttributeInputType.NUMERIC: AssignedNumericAttribute,
    models.AttributeInputType.BOOLEAN: AssignedBooleanAttribute,
    models.AttributeInputType.DATE: AssignedDateAttribute,
    models.AttributeInputType.DATE_TIME: AssignedDateTimeAttribute,
    models.AttributeInputType.FILE: AssignedFileAttribute,
    models.AttributeInputType.SINGLE_REFERENCE: AssignedSingleCollectionReferenceAttribute,
    models.AttributeInputType.REFERENCE: AssignedMultiCollectionReferenceAttribute,
}

ASSIGNED_ATTRIBUTE_TYPES = sorted(set(_ASSIGNED_TYPES.values()), key=lambda t: t.__name__)


def visible_attributes(info, attributes):
    """Attributes hidden from the storefront are shown to staff only."""
    if is_staff(info):
        return list(attributes)
    return [attribute for attribute in attributes if attribute.visible_in_storefront]


def _by_attribute(values) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for value in values:
        grouped.setdefault(value.attribute_id, []).append(value)
    return grouped


def assigned_attributes(info, values, attributes, limit=100) -> list:
    """`assignedAttributes` of a product, variant or page from its values (in display order)
    and their `attributes` (in the same order): one entry per attribute, values grouped under
    it, at most `limit` attributes."""
    grouped = _by_attribute(values)
    shown = visible_attributes(info, [a for a in attributes if a is not None])
    return [AssignedAttributeData(a, grouped[a.pk]) for a in shown if a.pk in grouped][:limit]


def resolve_assigned_attributes(info, values, limit=100):
    """`assigned_attributes`, with the attributes loaded."""
    attribute_ids = list(_by_attribute(values))
    return then(
        AttributeByIdLoader(info.context).load_many(attribute_ids),
        lambda attributes: assigned_attributes(info, values, attributes, limit),
    )


def resolve_selected_attributes(info, attributes, values):
    """The deprecated `attributes` list: every attribute of the type, with the values given."""
    by_attribute: dict[int, list] = {}
    for value in values:
        by_attribute.setdefault(value.attribute_id, []).append(value)
    return [
        SelectedAttribute(attribute=attribute, values=by_attribute.get(attribute.pk, []))
        for attribute in visible_attributes(info, attributes)
    ]
