import graphene

from backend.account.addresses import validation_rules
from backend.graphql.account import mutations
from backend.graphql.account.mutations import current_user
from backend.graphql.account.types import AddressValidationData, User
from backend.graphql.core.enums import CountryCode


class AccountQueries(graphene.ObjectType):
    address_validation_rules = graphene.Field(
        AddressValidationData,
        country_code=graphene.Argument(
            CountryCode, required=True, description="Two-letter ISO 3166-1 country code."
        ),
        country_area=graphene.String(description="Designation of a region, province or state."),
        city=graphene.String(description="City or a town name."),
        city_area=graphene.String(description="Sublocality like a district."),
        description="Returns address validation rules; for Vietnam the provinces, and the wards "
        "of the province given as `countryArea`.",
    )
    me = graphene.Field(User, description="Return the currently authenticated user.")

    @staticmethod
    def resolve_address_validation_rules(
        _root, _info, country_code, country_area=None, city=None, city_area=None
    ):
        return AddressValidationData.from_rules(validation_rules(country_code.value, country_area))

    @staticmethod
    def resolve_me(_root, info):
        return current_user(info)


class AccountMutations(graphene.ObjectType):
    token_create = mutations.CreateToken.Field()
    token_refresh = mutations.RefreshToken.Field()
    token_verify = mutations.VerifyToken.Field()
    account_register = mutations.AccountRegister.Field()
    confirm_account = mutations.ConfirmAccount.Field()
    request_password_reset = mutations.RequestPasswordReset.Field()
    set_password = mutations.SetPassword.Field()
    password_change = mutations.PasswordChange.Field()
    account_update = mutations.AccountUpdate.Field()
    account_address_create = mutations.AccountAddressCreate.Field()
    account_address_update = mutations.AccountAddressUpdate.Field()
    account_address_delete = mutations.AccountAddressDelete.Field()
    account_set_default_address = mutations.AccountSetDefaultAddress.Field()
    account_request_deletion = mutations.AccountRequestDeletion.Field()
    account_delete = mutations.AccountDelete.Field()
