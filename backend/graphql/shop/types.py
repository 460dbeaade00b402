"""The `shop` object: the storefront's name, countries, languages, domain and permissions.

Values come from settings; `SHOP_NAME`, `SHOP_DESCRIPTION` and `SHOP_HEADER_TEXT` are optional
there and fall back to the defaults below.
"""

from email.utils import parseaddr
from importlib.metadata import version as package_version
from urllib.parse import urlsplit

import graphene
from django.conf import settings
from django.contrib.auth.models import Permission as PermissionModel
from django.db.models import Q
from django.utils import translation
from django_countries import countries as all_countries

from backend.account.permissions import (
    AccountPermissions,
    BasePermissionEnum,
    ChannelPermissions,
    MenuPermissions,
    OcopPermissions,
    PagePermissions,
    ProductPermissions,
)
from backend.channel.models import Channel
from backend.checkout.permissions import CheckoutPermissions
from backend.discount.permissions import DiscountPermissions
from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.permissions import is_staff
from backend.graphql.core.types import CountryDisplay, LanguageDisplay
from backend.livestream.permissions import LivestreamPermissions
from backend.order.permissions import OrderPermissions
from backend.shipping.permissions import ShippingPermissions
from backend.webhook.permissions import AppPermissions
from integrations.marketplaces.permissions import IntegrationPermissions

# The Saleor schema version this API is shaped on (clients read it to pick features).
SCHEMA_VERSION = "3.23"


# Every domain's permissions, named here so the enum never depends on which modules happened
# to be imported before this one.
PERMISSION_ENUMS = (
    AccountPermissions,
    AppPermissions,
    ChannelPermissions,
    CheckoutPermissions,
    DiscountPermissions,
    IntegrationPermissions,
    LivestreamPermissions,
    MenuPermissions,
    OcopPermissions,
    OrderPermissions,
    PagePermissions,
    ProductPermissions,
    ShippingPermissions,
)


def _all_permissions() -> list[BasePermissionEnum]:
    return [member for enum in PERMISSION_ENUMS for member in enum]


PermissionEnum = graphene.Enum(
    "PermissionEnum", [(member.name, member.name) for member in _all_permissions()]
)


class Permission(graphene.ObjectType):
    code = graphene.Field(
        PermissionEnum, required=True, description="Internal code for permission."
    )
    name = graphene.String(
        required=True, description="Describe action(s) allowed to do by permission."
    )

    class Meta:
        description = "Represents a permission object in a friendly form."


class Domain(graphene.ObjectType):
    host = graphene.String(required=True, description="The host name of the domain.")
    ssl_enabled = graphene.Boolean(required=True, description="Inform if SSL is enabled.")
    url = graphene.String(required=True, description="The absolute URL of the API.")

    class Meta:
        description = "Represents shop's domain."


def _django_language(language_code) -> str:
    """`LanguageCodeEnum` value (`PT_BR`) -> Django's language code (`pt-br`)."""
    return str(getattr(language_code, "value", language_code)).replace("_", "-").lower()


def _require_staff(info):
    if not is_staff(info):
        raise PermissionDenied("To access this field you need a staff account.")


class Shop(graphene.ObjectType):
    name = graphene.String(required=True, description="Shop's name.")
    description = graphene.String(description="Shop's description.")
    header_text = graphene.String(description="Header text.")
    default_country = graphene.Field(CountryDisplay, description="Shop's default country.")
    countries = graphene.List(
        graphene.NonNull(CountryDisplay),
        required=True,
        language_code=graphene.Argument(
            LanguageCodeEnum, description="A language code to return the translation for."
        ),
        description="List of countries available in the shop.",
    )
    channel_currencies = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Currencies of all the shop's channels. Requires a staff account.",
    )
    languages = graphene.List(
        LanguageDisplay, required=True, description="List of the shops's supported languages."
    )
    default_mail_sender_name = graphene.String(
        description="Default shop's email sender's name. Requires a staff account."
    )
    default_mail_sender_address = graphene.String(
        description="Default shop's email sender's address. Requires a staff account."
    )
    domain = graphene.Field(Domain, required=True, description="Shop's domain data.")
    permissions = graphene.List(
        Permission, required=True, description="List of available permissions."
    )
    version = graphene.String(required=True, description="The shop's API version.")
    schema_version = graphene.String(required=True, description="Minor Saleor API version.")
    include_taxes_in_prices = graphene.Boolean(
        required=True,
        deprecation_reason=(
            "Use `Channel.taxConfiguration` field to determine whether tax is included in prices."
        ),
    )
    display_gross_prices = graphene.Boolean(
        required=True,
        deprecation_reason=(
            "Use `Channel.taxConfiguration` field to determine whether to display gross or net "
            "prices."
        ),
    )

    class Meta:
        description = "Represents a shop resource containing general shop data and configuration."

    @staticmethod
    def resolve_name(_root, _info):
        return settings.SHOP_NAME

    @staticmethod
    def resolve_description(_root, _info):
        return settings.SHOP_DESCRIPTION

    @staticmethod
    def resolve_header_text(_root, _info):
        return settings.SHOP_HEADER_TEXT

    @staticmethod
    def resolve_default_country(_root, _info):
        return CountryDisplay.from_code(settings.DEFAULT_COUNTRY)

    @staticmethod
    def resolve_countries(_root, _info, language_code=None):
        language = _django_language(language_code) if language_code else translation.get_language()
        with translation.override(language):
            return [CountryDisplay(code=code, country=str(name)) for code, name in all_countries]

    @staticmethod
    def resolve_channel_currencies(_root, info):
        _require_staff(info)
        return sorted(set(Channel.objects.values_list("currency_code", flat=True)))

    @staticmethod
    def resolve_languages(_root, _info):
        return [
            LanguageDisplay(code=LanguageDisplay.from_code(code).code, language=str(name))
            for code, name in settings.LANGUAGES
        ]

    @staticmethod
    def resolve_default_mail_sender_name(_root, info):
        _require_staff(info)
        return parseaddr(settings.DEFAULT_FROM_EMAIL)[0] or None

    @staticmethod
    def resolve_default_mail_sender_address(_root, info):
        _require_staff(info)
        return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or None

    @staticmethod
    def resolve_domain(_root, _info):
        public_url = urlsplit(settings.PUBLIC_URL)
        return Domain(
            host=public_url.netloc,
            ssl_enabled=public_url.scheme == "https",
            url=f"{public_url.scheme}://{public_url.netloc}/graphql/",
        )

    @staticmethod
    def resolve_permissions(_root, _info):
        members = _all_permissions()
        condition = Q(pk__in=[])
        for member in members:
            app_label, codename = member.value.split(".")
            condition |= Q(content_type__app_label=app_label, codename=codename)
        names = {
            (app_label, codename): name
            for app_label, codename, name in PermissionModel.objects.filter(condition).values_list(
                "content_type__app_label", "codename", "name"
            )
        }
        return [
            Permission(
                code=member.name, name=names.get(tuple(member.value.split(".")), member.name)
            )
            for member in sorted(members, key=lambda m: m.name)
        ]

    @staticmethod
    def resolve_version(_root, _info):
        return package_version("ocop-market")

    @staticmethod
    def resolve_schema_version(_root, _info):
        return SCHEMA_VERSION

    @staticmethod
    def resolve_include_taxes_in_prices(_root, _info):
        # Prices are entered VAT-inclusive, as Vietnamese retail prices are shown.
        return True

    @staticmethod
    def resolve_display_gross_prices(_root, _info):
        return True
