"""Checkout mutations with Saleor's names, arguments and payloads. Each one runs in a single
transaction with the checkout row locked: a refused change (any `errors`) changes nothing."""

import graphene
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from backend.account.permissions import AccountPermissions, has_one_of_permissions
from backend.channel.models import Channel
from backend.checkout import services
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.models import Checkout as CheckoutModel
from backend.checkout.validation import validate_quantity, with_params
from backend.discount.models import Voucher as VoucherModel
from backend.graphql.account.mutations import current_user, require_user
from backend.graphql.account.types import (
    AddressInput,
    MetadataInput,
    address_data_from_input,
    language_code_from_enum,
    metadata_from_input,
)
from backend.graphql.checkout.types import (
    Checkout,
    CheckoutAddressValidationRules,
    CheckoutCreateInput,
    CheckoutError,
    CheckoutLineInput,
    CheckoutLineUpdateInput,
    can_access_checkout,
    can_manage_checkouts,
)
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.ids import pk_from_global_id, uuid_from_global_id
from backend.graphql.core.mutations import BaseMutation
from backend.graphql.core.scalars import JSON
from backend.graphql.order.types import open_with_token
from backend.product.models import ProductVariant
from backend.shipping.models import ShippingMethod as ShippingMethodModel
from backend.warehouse.models import Warehouse as WarehouseModel

ID_DEPRECATION = "Use `id` instead."


def _error(field, message, code: CheckoutErrorCode, **params):
    return ValidationError({field: with_params(message, code.value, params)})


def _checkout_queryset():
    return CheckoutModel.objects.select_related(
        "channel", "user", "shipping_method", "collection_point"
    )


def checkout_pk(id=None, token=None, checkout_id=None):
    """The checkout UUID from `id` (or the deprecated `token` / `checkoutId`)."""
    if token is not None:
        return token
    value = id or checkout_id
    if not value:
        raise _error("id", _("The checkout ID is required."), CheckoutErrorCode.REQUIRED)
    pk = uuid_from_global_id(value, "Checkout")
    if pk is None:
        raise _error(
            "id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.INVALID,
        )
    return pk


def get_checkout(info, id=None, token=None, checkout_id=None) -> CheckoutModel:
    """The checkout, row-locked for the rest of the mutation; a customer's checkout only for
    that customer (or staff managing checkouts)."""
    pk = checkout_pk(id, token, checkout_id)
    checkout = _checkout_queryset().select_for_update(of=("self",)).filter(pk=pk).first()
    if checkout is None:
        raise _error(
            "id",
            _("Couldn't resolve to a node: %(id)s") % {"id": id or checkout_id or token},
            CheckoutErrorCode.NOT_FOUND,
        )
    if not can_access_checkout(info.context.user, checkout):
        raise PermissionDenied()
    return checkout


def reload(checkout: CheckoutModel) -> CheckoutModel:
    return _checkout_queryset().get(pk=checkout.pk)


def _variants(lines) -> dict:
    """{global id: variant} for the input lines; NOT_FOUND names an unknown variant."""
    pks = {}
    for line in lines:
        value = line.get("variant_id")
        pk = pk_from_global_id(value, "ProductVariant")
        if pk is None:
            raise _error(
                "variant_id",
                _("Couldn't resolve to a node: %(id)s") % {"id": value},
                CheckoutErrorCode.INVALID,
            )
        pks[value] = pk
    found = ProductVariant.objects.in_bulk(set(pks.values()))
    missing = [value for value, pk in pks.items() if pk not in found]
    if missing:
        raise _error(
            "variant_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": missing[0]},
            CheckoutErrorCode.NOT_FOUND,
            variants=missing,
        )
    return {value: found[pk] for value, pk in pks.items()}


def _refuse_price_override(lines):
    """Custom line prices are for apps with HANDLE_CHECKOUTS, which this shop has none of."""
    if any(line.get("price") is not None for line in lines):
        raise PermissionDenied(
            "To set a custom price you need one of the following permissions: HANDLE_CHECKOUTS"
        )


def _line_items(lines, *, allow_zero=False):
    _refuse_price_override(lines)
    variants = _variants(lines)
    items = []
    for line in lines:
        validate_quantity(line["quantity"], variants[line["variant_id"]], allow_zero=allow_zero)
        items.append(
            (
                variants[line["variant_id"]],
                line["quantity"],
                bool(line.get("force_new_line")),
                metadata_from_input(line.get("metadata")),
            )
        )
    return items


def _clean_email(email):
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise _error(
            "email", _("Enter a valid email address."), CheckoutErrorCode.INVALID
        ) from error
    return email


def _address_fields(address_input, rules, address_type) -> dict:
    """Cleaned address fields; errors carry Saleor's `addressType`."""
    try:
        fields = services.clean_checkout_address(address_data_from_input(address_input), rules)
    except ValidationError as error:
        raise ValidationError(
            {
                name: [
                    with_params(err.messages[0], err.code, {"address_type": address_type})
                    for err in errors
                ]
                for name, errors in error.error_dict.items()
            }
        ) from error
    if address_input.get("metadata"):
        fields["metadata"] = metadata_from_input(address_input["metadata"])
    return fields


def _copy_address(address):
    from backend.account.addresses import ADDRESS_FIELDS
    from backend.account.models import Address

    return Address.objects.create(**{field: getattr(address, field) for field in ADDRESS_FIELDS})


class CheckoutMutation(BaseMutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("error_type_class", CheckoutError)
        super().__init_subclass_with_meta__(**options)


class CheckoutIdArguments:
    """The checkout's `id`, or its deprecated `token`."""

    id = graphene.ID()
    token = graphene.UUID(deprecation_reason=ID_DEPRECATION)


class CheckoutArguments(CheckoutIdArguments):
    """`id` with both deprecated forms, `token` and `checkoutId`."""

    checkout_id = graphene.ID(deprecation_reason=ID_DEPRECATION)


class CheckoutUpdateMutation(CheckoutMutation):
    """A change to an existing checkout named by `CheckoutArguments` (subclasses add theirs):
    `update` changes the row-locked checkout and the payload returns it reloaded."""

    checkout = graphene.Field(Checkout)

    Arguments = CheckoutArguments

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, _root, info, id=None, token=None, checkout_id=None, **data):
        checkout = get_checkout(info, id, token, checkout_id)
        cls.update(info, checkout, **data)
        return cls(checkout=reload(checkout), errors=[])

    @classmethod
    def update(cls, info, checkout: CheckoutModel, **data) -> None:
        """Change the locked checkout; every subclass defines it."""
        raise NotImplementedError


# --- Create -----------------------------------------------------------------------------------


def _channel(slug):
    if not slug:
        channels = list(Channel.objects.all()[:2])
        if len(channels) != 1:
            raise _error(
                "channel",
                _("You need to provide channel slug."),
                CheckoutErrorCode.MISSING_CHANNEL_SLUG,
            )
        channel = channels[0]
    else:
        channel = Channel.objects.filter(slug=slug).first()
        if channel is None:
            raise _error(
                "channel",
                _("Channel with '%(slug)s' slug does not exist.") % {"slug": slug},
                CheckoutErrorCode.NOT_FOUND,
            )
    if not channel.is_active:
        raise _error(
            "channel",
            _("Channel with '%(slug)s' is inactive.") % {"slug": channel.slug},
            CheckoutErrorCode.CHANNEL_INACTIVE,
        )
    return channel


class CheckoutCreate(CheckoutMutation):
    checkout = graphene.Field(Checkout)

    class Arguments:
        input = CheckoutCreateInput(required=True)

    class Meta:
        description = "Create a new checkout."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user = current_user(info)
        if input.get("private_metadata") and not can_manage_checkouts(user):
            raise PermissionDenied(
                "To set private metadata you need one of the following permissions: "
                "MANAGE_CHECKOUTS"
            )
        channel = _channel(input.get("channel"))
        items = _line_items(input.get("lines") or [])
        email = input.get("email")
        email = _clean_email(email) if email else (user.email if user else None)
        rules = input.get("validation_rules") or {}
        addresses = {}
        for kind, address_type in (("shipping", "SHIPPING"), ("billing", "BILLING")):
            address_input = input.get(f"{kind}_address")
            if address_input:
                addresses[kind] = services.save_address(
                    None,
                    _address_fields(address_input, rules.get(f"{kind}_address"), address_type),
                )
            elif user is not None:
                default = getattr(user, f"default_{kind}_address")
                if default is not None:
                    addresses[kind] = _copy_address(default)
        checkout = CheckoutModel.objects.create(
            channel=channel,
            currency=channel.currency_code,
            country=channel.default_country or "VN",
            user=user,
            email=email,
            shipping_address=addresses.get("shipping"),
            billing_address=addresses.get("billing"),
            save_shipping_address=input.get("save_shipping_address", True) is not False,
            save_billing_address=input.get("save_billing_address", True) is not False,
            language_code=(
                language_code_from_enum(input["language_code"])
                if input.get("language_code")
                else "vi"
            ),
            metadata=metadata_from_input(input.get("metadata")),
            private_metadata=metadata_from_input(input.get("private_metadata")),
        )
        if addresses.get("shipping"):
            checkout.country = addresses["shipping"].country
            checkout.save(update_fields=["country"])
        services.add_lines(checkout, items)
        services.validate_lines(checkout, user, variant_ids={variant.pk for variant, *_ in items})
        return CheckoutCreate(checkout=reload(checkout), errors=[])


# --- Lines ------------------------------------------------------------------------------------


class CheckoutLinesAdd(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        description = "Adds a checkout line to the existing checkout."

    @classmethod
    def update(cls, info, checkout, lines):
        items = _line_items(lines)
        services.add_lines(checkout, items)
        services.validate_lines(
            checkout, current_user(info), variant_ids={variant.pk for variant, *_ in items}
        )


def _line_pk(value) -> str | None:
    pk = uuid_from_global_id(value, "CheckoutLine")
    return str(pk) if pk else None


class CheckoutLinesUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    class Meta:
        description = "Updates checkout line in the existing checkout; quantity 0 removes it."

    @classmethod
    def update(cls, info, checkout, lines):
        _refuse_price_override(lines)
        existing = {str(line.pk): line for line in checkout.lines.select_related("variant")}
        by_variant = {}
        for line in existing.values():
            by_variant.setdefault(line.variant_id, line)
        touched = set()
        for data in lines:
            quantity = data.get("quantity")
            if data.get("line_id"):
                line = existing.get(_line_pk(data["line_id"]) or "")
                if line is None:
                    raise _error(
                        "line_id",
                        _("Couldn't resolve to a node: %(id)s") % {"id": data["line_id"]},
                        CheckoutErrorCode.NOT_FOUND,
                        lines=[data["line_id"]],
                    )
            elif data.get("variant_id"):
                variant = _variants([data])[data["variant_id"]]
                line = by_variant.get(variant.pk)
                if line is None:
                    if quantity is not None:
                        validate_quantity(quantity, variant, allow_zero=True)
                    if quantity:
                        services.add_lines(checkout, [(variant, quantity, False, {})])
                        touched.add(variant.pk)
                    continue
            else:
                raise _error(
                    "line_id",
                    _("Either lineId or variantId is required."),
                    CheckoutErrorCode.REQUIRED,
                )
            if quantity is not None:
                validate_quantity(quantity, line.variant, allow_zero=True)
            metadata = metadata_from_input(data.get("metadata"))
            if metadata:
                line.metadata = {**line.metadata, **metadata}
            if quantity == 0:
                line.delete()
                continue
            if quantity is not None:
                line.quantity = quantity
                touched.add(line.variant_id)
            line.save(update_fields=["quantity", "metadata"])
        services.validate_lines(checkout, current_user(info), variant_ids=touched)


def _delete_lines(checkout, line_ids, field):
    existing = {str(line.pk): line for line in checkout.lines.all()}
    pks = [_line_pk(value) for value in line_ids]
    unknown = [value for value, pk in zip(line_ids, pks, strict=True) if pk not in existing]
    if unknown:
        raise _error(
            field,
            _("Provided line_ids aren't part of checkout."),
            CheckoutErrorCode.INVALID,
            lines=unknown,
        )
    checkout.lines.filter(pk__in=pks).delete()
    checkout.save(update_fields=["last_change"])


class CheckoutLinesDelete(CheckoutUpdateMutation):
    class Arguments(CheckoutIdArguments):
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    class Meta:
        description = "Deletes checkout lines."

    @classmethod
    def update(cls, info, checkout, lines_ids):
        _delete_lines(checkout, lines_ids, "line_id")


class CheckoutLineDelete(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        line_id = graphene.ID()

    class Meta:
        description = "Deletes a CheckoutLine."

    @classmethod
    def update(cls, info, checkout, line_id=None):
        if not line_id:
            raise _error("line_id", _("The line ID is required."), CheckoutErrorCode.REQUIRED)
        _delete_lines(checkout, [line_id], "line_id")


# --- Contact and addresses --------------------------------------------------------------------


class CheckoutEmailUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        email = graphene.String(required=True)

    class Meta:
        description = "Updates email address in the existing checkout object."

    @classmethod
    def update(cls, info, checkout, email):
        checkout.email = _clean_email(email)
        checkout.save(update_fields=["email", "last_change"])


class AddressUpdateArguments(CheckoutArguments):
    save_address = graphene.Boolean(default_value=True)
    validation_rules = CheckoutAddressValidationRules()


class CheckoutShippingAddressUpdate(CheckoutUpdateMutation):
    class Arguments(AddressUpdateArguments):
        shipping_address = AddressInput(required=True)

    class Meta:
        description = (
            "Update shipping address in the existing checkout. In Vietnam `countryArea` is the "
            "province and `city` its ward (phường/xã), both checked against the 2025 units."
        )

    @classmethod
    def update(cls, info, checkout, shipping_address, save_address=True, validation_rules=None):
        from backend.checkout.calculations import is_shipping_required

        info_ = services.checkout_info(checkout)
        if info_.lines and not is_shipping_required(info_):
            raise _error(
                "shipping_address",
                _("This checkout doesn't need shipping."),
                CheckoutErrorCode.SHIPPING_NOT_REQUIRED,
            )
        fields = _address_fields(shipping_address, validation_rules, "SHIPPING")
        checkout.shipping_address = services.save_address(checkout.shipping_address, fields)
        checkout.save_shipping_address = save_address is not False
        checkout.country = checkout.shipping_address.country
        checkout.save(
            update_fields=[
                "shipping_address",
                "save_shipping_address",
                "country",
                "last_change",
            ]
        )


class CheckoutBillingAddressUpdate(CheckoutUpdateMutation):
    class Arguments(AddressUpdateArguments):
        billing_address = AddressInput(required=True)

    class Meta:
        description = "Update billing address in the existing checkout."

    @classmethod
    def update(cls, info, checkout, billing_address, save_address=True, validation_rules=None):
        fields = _address_fields(billing_address, validation_rules, "BILLING")
        checkout.billing_address = services.save_address(checkout.billing_address, fields)
        checkout.save_billing_address = save_address is not False
        checkout.save(update_fields=["billing_address", "save_billing_address", "last_change"])


# --- Delivery ---------------------------------------------------------------------------------


def _delivery_target(value):
    """(shipping method, collection point) named by a ShippingMethod, Delivery or Warehouse id."""
    from graphql_relay import from_global_id

    try:
        type_name, pk = from_global_id(value)
    except Exception:  # noqa: BLE001 - any undecodable id is just invalid
        type_name, pk = "", ""
    if type_name not in ("ShippingMethod", "Delivery", "Warehouse") or not pk.isdigit():
        raise _error(
            "delivery_method_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.INVALID,
        )
    model = WarehouseModel if type_name == "Warehouse" else ShippingMethodModel
    found = model.objects.filter(pk=int(pk)).first()
    if found is None:
        raise _error(
            "delivery_method_id",
            _("Couldn't resolve to a node: %(id)s") % {"id": value},
            CheckoutErrorCode.NOT_FOUND,
        )
    if type_name == "Warehouse":
        return None, found
    return found, None


class CheckoutDeliveryMethodUpdate(CheckoutUpdateMutation):
    class Arguments(CheckoutIdArguments):
        delivery_method_id = graphene.ID(
            description="A ShippingMethod id for delivery or a Warehouse id for pick-up; "
            "null clears the choice."
        )

    class Meta:
        description = "Updates the delivery method (shipping method or pick up point)."

    @classmethod
    def update(cls, info, checkout, delivery_method_id=None):
        from backend.checkout.calculations import is_shipping_required

        shipping_method = collection_point = None
        if delivery_method_id:
            shipping_method, collection_point = _delivery_target(delivery_method_id)
            if not is_shipping_required(services.checkout_info(checkout)):
                raise _error(
                    "delivery_method_id",
                    _("This checkout doesn't need shipping."),
                    CheckoutErrorCode.SHIPPING_NOT_REQUIRED,
                )
        services.set_delivery(
            checkout, shipping_method=shipping_method, collection_point=collection_point
        )


# --- Promo codes ------------------------------------------------------------------------------


class CheckoutAddPromoCode(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        promo_code = graphene.String(required=True)

    class Meta:
        description = "Adds a promo code (voucher) to the checkout."

    @classmethod
    def update(cls, info, checkout, promo_code):
        services.apply_promo_code(checkout, promo_code, user=current_user(info))


class CheckoutRemovePromoCode(CheckoutUpdateMutation):
    class Arguments(CheckoutArguments):
        promo_code = graphene.String()
        promo_code_id = graphene.ID()

    class Meta:
        description = "Removes a promo code from the checkout."

    @classmethod
    def update(cls, info, checkout, promo_code=None, promo_code_id=None):
        if not promo_code and not promo_code_id:
            raise _error(
                "promo_code",
                _("Either promoCode or promoCodeId is required."),
                CheckoutErrorCode.REQUIRED,
            )
        if promo_code_id:
            pk = pk_from_global_id(promo_code_id, "Voucher")
            if pk is None:
                raise _error(
                    "promo_code_id",
                    _("Couldn't resolve to a node: %(id)s") % {"id": promo_code_id},
                    CheckoutErrorCode.INVALID,
                )
            voucher = VoucherModel.objects.filter(pk=pk).first()
            promo_code = voucher.code if voucher else None
        current = checkout.voucher_code or ""
        if promo_code and current.lower() == promo_code.strip().lower():
            checkout.voucher_code = None
            checkout.save(update_fields=["voucher_code", "last_change"])


# --- Customer ---------------------------------------------------------------------------------


class CheckoutCustomerMutation(CheckoutUpdateMutation):
    """Signed-in users only; refused before the checkout is looked up."""

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, info, **data):
        super().check_permissions(info, **data)
        require_user(info)


class CheckoutCustomerAttach(CheckoutCustomerMutation):
    class Arguments(CheckoutArguments):
        customer_id = graphene.ID(description="The customer to attach (staff only).")

    class Meta:
        description = "Sets the customer as the owner of the checkout."

    @classmethod
    def update(cls, info, checkout, customer_id=None):
        from backend.account.models import User

        user = customer = current_user(info)
        if customer_id:
            if not has_one_of_permissions(user, [AccountPermissions.MANAGE_USERS]):
                raise PermissionDenied(permissions=[AccountPermissions.MANAGE_USERS])
            customer = User.objects.filter(pk=pk_from_global_id(customer_id, "User")).first()
            if customer is None:
                raise _error(
                    "customer_id",
                    _("Couldn't resolve to a node: %(id)s") % {"id": customer_id},
                    CheckoutErrorCode.NOT_FOUND,
                )
        if checkout.user_id not in (None, customer.pk):
            raise PermissionDenied()  # another customer's checkout is not taken over
        checkout.user = customer
        checkout.email = customer.email
        checkout.save(update_fields=["user", "email", "last_change"])


class CheckoutCustomerDetach(CheckoutCustomerMutation):
    class Meta:
        description = "Removes the user assigned as the owner of the checkout."

    @classmethod
    def update(cls, info, checkout):
        if checkout.user_id != current_user(info).pk:
            raise PermissionDenied()  # only its owner gives a checkout up, as in Saleor
        checkout.user = None
        checkout.save(update_fields=["user", "last_change"])


# --- Completion -------------------------------------------------------------------------------


class CheckoutComplete(CheckoutMutation):
    order = graphene.Field("backend.graphql.order.types.Order")
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = JSON()

    class Arguments(CheckoutArguments):
        metadata = graphene.List(graphene.NonNull(MetadataInput))
        payment_data = graphene.JSONString()
        redirect_url = graphene.String()
        store_source = graphene.Boolean(
            default_value=False,
            deprecation_reason="Use checkoutPaymentCreate for this action.",
        )

    class Meta:
        description = (
            "Completes the checkout: validates it, takes the payment the chosen gateway holds "
            "(cash on delivery is placed unpaid), allocates stock and creates the order."
        )

    @classmethod
    def perform_mutation(
        cls,
        _root,
        info,
        id=None,
        token=None,
        checkout_id=None,
        metadata=None,
        payment_data=None,
        redirect_url=None,
        store_source=False,
    ):
        from backend.checkout.complete_checkout import (
            complete_checkout,
            order_for_completed_checkout,
        )

        pk = checkout_pk(id, token, checkout_id)
        checkout = _checkout_queryset().filter(pk=pk).first()
        if checkout is None:
            # Called again after success (a retried request): answer with the order.
            order = order_for_completed_checkout(pk)
            if order is not None:
                return CheckoutComplete(order=order, confirmation_needed=False, errors=[])
            raise _error(
                "id",
                _("Couldn't resolve to a node: %(id)s") % {"id": id or checkout_id or token},
                CheckoutErrorCode.NOT_FOUND,
            )
        if not can_access_checkout(info.context.user, checkout):
            raise PermissionDenied()
        if redirect_url:
            checkout.redirect_url = redirect_url
            checkout.save(update_fields=["redirect_url"])
        order = complete_checkout(
            checkout, user=current_user(info), metadata=metadata_from_input(metadata)
        )
        # The buyer who just placed it sees their details; a retry later gets them masked.
        return CheckoutComplete(
            order=open_with_token(info, order), confirmation_needed=False, errors=[]
        )
