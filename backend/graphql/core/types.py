"""Shared object types with Saleor's names: money, images, metadata, countries, languages."""

import graphene
from django_countries import countries

from backend.core.ids import global_id
from backend.core.money import from_minor_units
from backend.graphql.core.enums import LanguageCodeEnum


class Money(graphene.ObjectType):
    currency = graphene.String(required=True, description="Currency code.")
    amount = graphene.Float(required=True, description="Amount of money.")

    @staticmethod
    def from_minor(minor: int | None, currency: str):
        if minor is None:
            return None
        return {"currency": currency, "amount": from_minor_units(minor, currency)}


class TaxedMoney(graphene.ObjectType):
    """Gross and net amounts. Prices are entered gross (VAT included), so net equals gross."""

    currency = graphene.String(required=True)
    gross = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)

    @staticmethod
    def from_minor(minor: int | None, currency: str):
        if minor is None:
            return None
        money = Money.from_minor(minor, currency)
        return {
            "currency": currency,
            "gross": money,
            "net": money,
            "tax": Money.from_minor(0, currency),
        }


def money_resolver(field: str, money_type=Money):
    """A resolver returning the root's integer amount `field` as `money_type` (Money or
    TaxedMoney) in the root's `currency`."""

    def resolve(root, _info):
        return money_type.from_minor(getattr(root, field), root.currency)

    return resolve


def loader_resolver(loader_class, field: str):
    """A resolver loading the object whose id is the root's `field`; None when it is unset."""

    def resolve(root, info):
        pk = getattr(root, field)
        if not pk:
            return None
        return loader_class(info.context).load(pk)

    return resolve


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney)
    stop = graphene.Field(TaxedMoney)

    @staticmethod
    def from_minor(start: int | None, stop: int | None, currency: str):
        if start is None:
            return None
        return {
            "start": TaxedMoney.from_minor(start, currency),
            "stop": TaxedMoney.from_minor(stop, currency),
        }


class Image(graphene.ObjectType):
    url = graphene.String(required=True, description="The URL of the image.")
    alt = graphene.String(description="Alt text for an image.")


class File(graphene.ObjectType):
    url = graphene.String(required=True)
    content_type = graphene.String()


class MetadataItem(graphene.ObjectType):
    key = graphene.String(required=True)
    value = graphene.String(required=True)


def resolve_metadata(metadata: dict | None):
    return [MetadataItem(key=key, value=value) for key, value in sorted((metadata or {}).items())]


class ObjectWithMetadata(graphene.Interface):
    private_metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    private_metafield = graphene.String(key=graphene.String(required=True))
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)
    metafield = graphene.String(key=graphene.String(required=True))

    @staticmethod
    def resolve_metadata(root, _info):
        return resolve_metadata(root.metadata)

    @staticmethod
    def resolve_metafield(root, _info, key):
        return (root.metadata or {}).get(key)

    @staticmethod
    def resolve_private_metadata(root, info):
        from backend.graphql.core.permissions import can_see_private_metadata

        if not can_see_private_metadata(info, root):
            return []
        return resolve_metadata(root.private_metadata)

    @staticmethod
    def resolve_private_metafield(root, info, key):
        from backend.graphql.core.permissions import can_see_private_metadata

        if not can_see_private_metadata(info, root):
            return None
        return (root.private_metadata or {}).get(key)


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True, description="Country code.")
    country = graphene.String(required=True, description="Country name.")

    @staticmethod
    def from_code(code: str):
        return CountryDisplay(code=code, country=str(countries.name(code)) or code)


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True)
    language = graphene.String(required=True)

    @staticmethod
    def from_code(code: str):
        enum_name = code.replace("-", "_").upper()
        return LanguageDisplay(code=getattr(LanguageCodeEnum, enum_name), language=enum_name)


class TranslationResolvers:
    """Resolvers of a `…Translation` type: `id` is a global ID of that type, `language` the
    translation's stored language code."""

    @classmethod
    def resolve_id(cls, root, _info):
        return global_id(cls._meta.name, root.pk)

    @staticmethod
    def resolve_language(root, _info):
        return LanguageDisplay.from_code(root.language_code)


class ChoiceValue(graphene.ObjectType):
    raw = graphene.String()
    verbose = graphene.String()
