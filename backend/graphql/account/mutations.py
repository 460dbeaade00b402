"""Account mutations with Saleor's names, arguments and payloads. The rules live in
backend.account.services; these translate GraphQL input and errors."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string
from graphene.types.generic import GenericScalar

from backend.account import jwt, services, throttling
from backend.account.models import User as UserModel
from backend.account.permissions import AccountPermissions, has_one_of_permissions
from backend.core.ids import pk_from_global_id
from backend.graphql.account.types import (
    AccountError,
    AccountInput,
    AccountRegisterInput,
    Address,
    AddressInput,
    User,
    address_data_from_input,
    language_code_from_enum,
    metadata_from_input,
)
from backend.graphql.core.enums import AddressTypeEnum
from backend.graphql.core.errors import PermissionDenied, SaleorGraphQLError
from backend.graphql.core.mutations import BaseMutation


def current_user(info):
    """The signed-in user. A bad token is a top-level error with Saleor's code
    (`ExpiredSignatureError`, `InvalidTokenError`, …); no token at all is PermissionDenied."""
    user = info.context.user
    if user.is_authenticated:
        return user
    auth_error = getattr(info.context, "graphql_auth_error", None)
    if auth_error:
        raise SaleorGraphQLError(str(auth_error), code=auth_error.code)
    return None


def require_user(info):
    user = current_user(info)
    if user is None:
        raise PermissionDenied(
            "To access this field you need one of the following permissions: AUTHENTICATED_USER"
        )
    return user


def _target_user(info, customer_id):
    """The signed-in user, or with `customerId` the customer a MANAGE_USERS staff member acts
    for."""
    user = require_user(info)
    if not customer_id:
        return user
    if not has_one_of_permissions(user, [AccountPermissions.MANAGE_USERS]):
        raise PermissionDenied(permissions=[AccountPermissions.MANAGE_USERS])
    customer = UserModel.objects.filter(pk=pk_from_global_id(customer_id, "User")).first()
    if customer is None:
        raise ValidationError(
            {"customer_id": ValidationError("Couldn't resolve to a node.", code="not_found")}
        )
    return customer


def _address_type(value) -> str | None:
    return value.value.lower() if value is not None else None


class AccountMutation(BaseMutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("error_type_class", AccountError)
        super().__init_subclass_with_meta__(**options)


class LoggedInMutation(AccountMutation):
    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info, **data):
        require_user(info)


# --- Tokens --------------------------------------------------------------------------------


def _tokens(user, audience=None) -> dict:
    csrf_token = get_random_string(64)
    return {
        "token": jwt.create_access_token(user, audience=audience),
        "refresh_token": jwt.create_refresh_token(user, csrf_token=csrf_token, audience=audience),
        "csrf_token": csrf_token,
    }


class CreateToken(AccountMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access token.")
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        audience = graphene.String(description="Audience put in the tokens as `custom:<it>`.")

    class Meta:
        description = "Create JWT token."

    @classmethod
    def perform_mutation(cls, _root, info, email, password, audience=None):
        address = info.context.META.get("REMOTE_ADDR", "")
        try:
            user = throttling.authenticate(address, email, password, services.authenticate)
        except throttling.Delayed as delayed:
            raise delayed.validation_error() from None
        info.context.user = user
        return cls(
            errors=[], user=user, **_tokens(user, f"custom:{audience}" if audience else None)
        )


def _token_payload(token: str | None, token_type: str, field: str) -> dict:
    if not token:
        raise ValidationError(
            {field: ValidationError(f"Missing {field}", code="jwt_missing_token")}
        )
    try:
        return jwt.decode_token(token, token_type)
    except jwt.InvalidToken as error:
        raise ValidationError(
            {field: ValidationError(str(error), code=error.account_error_code)}
        ) from error


def _token_user(payload: dict, field: str):
    try:
        return jwt.get_user_from_payload(payload)
    except jwt.InvalidToken as error:
        raise ValidationError(
            {field: ValidationError(str(error), code=error.account_error_code)}
        ) from error


class RefreshToken(AccountMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    user = graphene.Field(User)

    class Arguments:
        refresh_token = graphene.String(description="Refresh token.")
        csrf_token = graphene.String(
            description="Checked against the refresh token's when given (Saleor needs it only "
            "for cookie-held refresh tokens, which this API does not set)."
        )

    class Meta:
        description = "Refresh JWT token."

    @classmethod
    def perform_mutation(cls, _root, _info, refresh_token=None, csrf_token=None):
        payload = _token_payload(refresh_token, jwt.REFRESH_TYPE, "refresh_token")
        if csrf_token and csrf_token != payload.get("csrfToken"):
            raise ValidationError(
                {"csrf_token": ValidationError("Invalid csrf token", code="jwt_invalid_csrf_token")}
            )
        user = _token_user(payload, "refresh_token")
        token = jwt.create_access_token(user, audience=payload.get("aud"))
        return cls(errors=[], user=user, token=token)


class VerifyToken(AccountMutation):
    is_valid = graphene.Boolean(required=True, default_value=False)
    payload = GenericScalar(description="JWT payload.")
    user = graphene.Field(User)

    class Arguments:
        token = graphene.String(required=True, description="JWT token to validate.")

    class Meta:
        description = "Verify JWT token."

    @classmethod
    def perform_mutation(cls, _root, _info, token):
        payload = _token_payload(token, jwt.ACCESS_TYPE, "token")
        user = _token_user(payload, "token")
        return cls(errors=[], is_valid=True, payload=payload, user=user)


# --- Registration, confirmation, passwords -------------------------------------------------


def _count_request(action: str, info, email: str):
    try:
        throttling.count_request(action, info.context.META.get("REMOTE_ADDR", ""), email)
    except throttling.Delayed as delayed:
        raise delayed.validation_error() from None


class AccountRegister(AccountMutation):
    requires_confirmation = graphene.Boolean(
        description="Informs whether users need to confirm their email address."
    )
    user = graphene.Field(
        User,
        deprecation_reason=(
            "The field always returns a `User` object constructed from the input data. The "
            "`user.id` is always empty. To determine whether the user exists in Saleor, query "
            "via an external app with the required permissions."
        ),
    )

    class Arguments:
        input = AccountRegisterInput(required=True, description="Fields required to create a user.")

    class Meta:
        description = "Register a new user."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        _count_request("register", info, input["email"])
        language = input.get("language_code")
        user, _created = services.register(
            email=input["email"],
            password=input["password"],
            first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            language_code=language_code_from_enum(language) if language else "vi",
            redirect_url=input.get("redirect_url"),
            channel=input.get("channel"),
            metadata=metadata_from_input(input.get("metadata")),
        )
        user.hide_id = True
        return cls(errors=[], user=user, requires_confirmation=services.confirmation_required())


class ConfirmAccount(AccountMutation):
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String(required=True, description="E-mail of the user.")
        token = graphene.String(required=True, description="A one-time token from the email.")
        password = graphene.String(description="Not used: accounts here always have a password.")

    class Meta:
        description = "Confirm user account with token sent by email during registration."

    @classmethod
    def perform_mutation(cls, _root, _info, email, token, password=None):
        return cls(errors=[], user=services.confirm_account(email, token))


class RequestPasswordReset(AccountMutation):
    class Arguments:
        email = graphene.String(required=True, description="Email of the user.")
        redirect_url = graphene.String(
            required=True, description="URL of the storefront view that sets the new password."
        )
        channel = graphene.String(description="Slug of a channel used to notify the user.")

    class Meta:
        description = "Sends an email with the account password modification link."

    @classmethod
    def perform_mutation(cls, _root, info, email, redirect_url, channel=None):
        _count_request("password-reset", info, email)
        services.request_password_reset(email, redirect_url, channel)
        return cls(errors=[])


class SetPassword(AccountMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access token.")
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")
        token = graphene.String(required=True, description="A one-time token from the email.")

    class Meta:
        description = "Sets the user's password from the token sent by email."

    @classmethod
    def perform_mutation(cls, _root, _info, email, password, token):
        user = services.set_password(email, password, token)
        return cls(errors=[], user=user, **_tokens(user))


class PasswordChange(LoggedInMutation):
    user = graphene.Field(User)

    class Arguments:
        new_password = graphene.String(required=True, description="New user password.")
        old_password = graphene.String(description="Current user password.")

    class Meta:
        description = "Change the password of the logged in user."

    @classmethod
    def perform_mutation(cls, _root, info, new_password, old_password=None):
        user = info.context.user
        services.change_password(user, old_password, new_password)
        return cls(errors=[], user=user)


# --- Profile and addresses -----------------------------------------------------------------


class AccountUpdate(AccountMutation):
    user = graphene.Field(User)

    class Arguments:
        input = AccountInput(required=True, description="Fields required to update the account.")
        customer_id = graphene.ID(description="ID of the customer (staff with MANAGE_USERS).")

    class Meta:
        description = "Updates the account of the logged-in user."

    @classmethod
    def perform_mutation(cls, _root, info, input, customer_id=None):
        user = _target_user(info, customer_id)
        changes = {
            key: input[key] for key in ("first_name", "last_name") if input.get(key) is not None
        }
        if input.get("language_code") is not None:
            changes["language_code"] = language_code_from_enum(input["language_code"])
        for key in ("default_billing_address", "default_shipping_address"):
            if input.get(key) is not None:
                changes[key] = address_data_from_input(input[key])
        if input.get("metadata"):
            changes["metadata"] = metadata_from_input(input["metadata"])
        return cls(errors=[], user=services.update_account(user, **changes))


class AccountAddressCreate(AccountMutation):
    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        input = AddressInput(required=True, description="Fields required to create address.")
        type = AddressTypeEnum(description="Make it the user's default address of this type.")
        customer_id = graphene.ID(description="ID of the customer (staff with MANAGE_USERS).")

    class Meta:
        description = "Create a new address for the customer."

    @classmethod
    def perform_mutation(cls, _root, info, input, type=None, customer_id=None):
        user = _target_user(info, customer_id)
        address = services.create_address(user, address_data_from_input(input), _address_type(type))
        return cls(errors=[], user=user, address=address)


class OwnAddressMutation(LoggedInMutation):
    """Acts on one of the signed-in user's addresses, named by its global ID."""

    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Meta:
        abstract = True


def _own_address_pk(id):
    return pk_from_global_id(id, "Address")


class AccountAddressUpdate(OwnAddressMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to update.")
        input = AddressInput(required=True, description="Fields required to update the address.")

    class Meta:
        description = "Updates an address of the logged-in user."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = info.context.user
        address = services.update_address(user, _own_address_pk(id), address_data_from_input(input))
        return cls(errors=[], user=user, address=address)


class AccountAddressDelete(OwnAddressMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to delete.")

    class Meta:
        description = "Delete an address of the logged-in user."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = info.context.user
        address = services.delete_address(user, _own_address_pk(id))
        return cls(errors=[], user=user, address=address)


class AccountSetDefaultAddress(LoggedInMutation):
    user = graphene.Field(User)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to set as default.")
        type = AddressTypeEnum(required=True, description="The type of address.")

    class Meta:
        description = "Sets a default address for the authenticated user."

    @classmethod
    def perform_mutation(cls, _root, info, id, type):
        user = info.context.user
        address = services.get_own_address(user, _own_address_pk(id))
        services.set_default_address(user, address, _address_type(type))
        return cls(errors=[], user=user)


# --- Deletion ------------------------------------------------------------------------------


class AccountRequestDeletion(LoggedInMutation):
    class Arguments:
        redirect_url = graphene.String(
            required=True, description="URL of the storefront view that confirms the deletion."
        )
        channel = graphene.String(description="Slug of a channel used to notify the user.")

    class Meta:
        description = "Sends an email with the account removal link for the logged-in user."

    @classmethod
    def perform_mutation(cls, _root, info, redirect_url, channel=None):
        services.request_account_deletion(info.context.user, redirect_url, channel)
        return cls(errors=[])


class AccountDelete(LoggedInMutation):
    user = graphene.Field(User)

    class Arguments:
        token = graphene.String(required=True, description="A one-time token from the email.")

    class Meta:
        description = "Remove user account."

    @classmethod
    def perform_mutation(cls, _root, info, token):
        user = info.context.user
        deleted_pk = user.pk
        services.delete_account(user, token)
        user.pk = deleted_pk
        return cls(errors=[], user=user)
