"""Account types with Saleor's names: User, Address, AccountError, AddressValidationData and the
inputs the account mutations take."""

import graphene
from graphene.utils.str_converters import to_camel_case

from backend.account import models
from backend.core.ids import global_id
from backend.graphql.account.dataloaders import AddressByIdLoader, AddressesByUserIdLoader
from backend.graphql.core.enums import (
    AccountErrorCode,
    AddressTypeEnum,
    CountryCode,
    LanguageCodeEnum,
    ThumbnailFormatEnum,
)
from backend.graphql.core.errors import error_type
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import ChoiceValue, CountryDisplay, Image, ObjectWithMetadata
from backend.graphql.order.resolvers import resolve_user_orders

AccountError = error_type(
    "AccountError",
    AccountErrorCode,
    {"address_type": graphene.Field(AddressTypeEnum, description="A type of address.")},
)


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


def metadata_from_input(items) -> dict:
    return {item["key"]: item["value"] for item in items or ()}


class Address(graphene.ObjectType):
    id = graphene.ID(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String(required=True)
    city = graphene.String(required=True, description="The ward (phường/xã) in Vietnam.")
    city_area = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.Field(CountryDisplay, required=True)
    country_area = graphene.String(required=True, description="The province in Vietnam.")
    phone = graphene.String()

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents user address data."

    resolve_id = staticmethod(global_id_resolver("Address"))

    @staticmethod
    def resolve_country(root: models.Address, _info):
        return CountryDisplay.from_code(root.country)


class User(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    is_confirmed = graphene.Boolean(required=True)
    addresses = graphene.List(graphene.NonNull(Address), required=True)
    avatar = graphene.Field(
        Image,
        size=graphene.Int(),
        format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL"),
    )
    default_shipping_address = graphene.Field(Address)
    default_billing_address = graphene.Field(Address)
    orders = graphene.ConnectionField(
        "backend.graphql.order.types.OrderCountableConnection",
        where=graphene.Argument("backend.graphql.order.filters.CustomerOrderWhereInput"),
        before=graphene.String(),
        after=graphene.String(),
        first=graphene.Int(),
        last=graphene.Int(),
        description="List of user's orders, newest first. The user themself or MANAGE_ORDERS.",
    )
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    last_login = graphene.DateTime()
    date_joined = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents user data."

    @staticmethod
    def resolve_id(root: models.User, _info):
        # accountRegister answers with an unsaved-looking user so nobody learns whether the
        # email already had an account (Saleor's `user.id` is empty there too).
        if getattr(root, "hide_id", False):
            return ""
        return global_id("User", root.pk)

    @staticmethod
    def resolve_addresses(root: models.User, info):
        if getattr(root, "hide_id", False):
            return []
        return AddressesByUserIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_default_shipping_address(root: models.User, info):
        if not root.default_shipping_address_id:
            return None
        return AddressByIdLoader(info.context).load(root.default_shipping_address_id)

    @staticmethod
    def resolve_default_billing_address(root: models.User, info):
        if not root.default_billing_address_id:
            return None
        return AddressByIdLoader(info.context).load(root.default_billing_address_id)

    @staticmethod
    def resolve_orders(root: models.User, info, **kwargs):
        return resolve_user_orders(root, info, **kwargs)

    @staticmethod
    def resolve_language_code(root: models.User, _info):
        return root.language_code.replace("-", "_").upper()

    @staticmethod
    def resolve_avatar(root: models.User, info, size=None, format=None):
        # Avatars are served in their uploaded form; `size`/`format` are accepted for Saleor
        # clients.
        if not root.avatar:
            return None
        return Image(url=info.context.build_absolute_uri(root.avatar.url), alt=root.get_full_name())


class AddressValidationData(graphene.ObjectType):
    country_code = graphene.String(required=True)
    country_name = graphene.String(required=True)
    address_format = graphene.String(required=True)
    address_latin_format = graphene.String(required=True)
    allowed_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    required_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    upper_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    country_area_type = graphene.String(required=True)
    country_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_type = graphene.String(required=True)
    city_choices = graphene.List(
        graphene.NonNull(ChoiceValue),
        required=True,
        description="In Vietnam: the wards of the province given as `countryArea`.",
    )
    city_area_type = graphene.String(required=True)
    city_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    postal_code_type = graphene.String(required=True)
    postal_code_matchers = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_examples = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_prefix = graphene.String(required=True)

    @staticmethod
    def from_rules(rules: dict):
        """Choices as ChoiceValues; field names as the API spells them (`streetAddress1`),
        which is what storefronts match their form fields against."""
        choices = ("country_area_choices", "city_choices", "city_area_choices")
        field_lists = ("allowed_fields", "required_fields", "upper_fields")
        values = {}
        for key, value in rules.items():
            if key in choices:
                value = [ChoiceValue(raw=raw, verbose=verbose) for raw, verbose in value]
            elif key in field_lists:
                value = [to_camel_case(field) for field in value]
            values[key] = value
        return AddressValidationData(**values)


class AddressInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    company_name = graphene.String(description="Company or organization.")
    street_address_1 = graphene.String(description="Address.")
    street_address_2 = graphene.String(description="Address.")
    city = graphene.String(description="City; in Vietnam the ward (phường/xã).")
    city_area = graphene.String(description="District.")
    postal_code = graphene.String(description="Postal code.")
    country = graphene.Field(CountryCode, description="Country.")
    country_area = graphene.String(description="State or province; in Vietnam the province.")
    phone = graphene.String(description="Phone number.")
    metadata = graphene.List(graphene.NonNull(MetadataInput), description="Public metadata.")
    skip_validation = graphene.Boolean(
        default_value=False,
        description="Accepted for Saleor clients; customers' addresses are always validated.",
    )


def address_data_from_input(address_input) -> dict:
    """AddressInput as the account services take it."""
    data = {
        key: value
        for key, value in address_input.items()
        if key not in ("metadata", "skip_validation", "country")
    }
    if address_input.get("country") is not None:
        data["country"] = address_input["country"].value
    if address_input.get("metadata"):
        data["metadata"] = metadata_from_input(address_input["metadata"])
    return data


class AccountInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = graphene.Field(LanguageCodeEnum, description="User language code.")
    default_billing_address = graphene.Field(AddressInput, description="Billing address.")
    default_shipping_address = graphene.Field(AddressInput, description="Shipping address.")
    metadata = graphene.List(graphene.NonNull(MetadataInput), description="User public metadata.")


class AccountRegisterInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = graphene.Field(LanguageCodeEnum, description="User language code.")
    email = graphene.String(required=True, description="The email address of the user.")
    password = graphene.String(required=True, description="Password.")
    redirect_url = graphene.String(
        description="Storefront URL the confirmation link opens (an allowed client host); "
        "without it the link opens the shop's own confirmation page."
    )
    metadata = graphene.List(graphene.NonNull(MetadataInput), description="User public metadata.")
    channel = graphene.String(description="Slug of the channel used to notify the user.")


def language_code_from_enum(value) -> str:
    """LanguageCodeEnum member -> Django language code ("VI" -> "vi", "EN_US" -> "en-us")."""
    return value.value.lower().replace("_", "-")
