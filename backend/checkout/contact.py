"""A checkout's contact email and addresses, the same for the shop's checkout form and the API's
checkoutCreate / checkoutEmailUpdate / checkout…AddressUpdate.

Functions raise ValidationError with Saleor's CheckoutErrorCode values; an address error carries
`params["address_type"]` ("SHIPPING" or "BILLING"), which the API returns as
`CheckoutError.addressType`. They run inside the caller's transaction."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from backend.account.addresses import ADDRESS_FIELDS, clean_address
from backend.account.models import Address
from backend.checkout.calculations import is_shipping_required
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.fetch import checkout_info
from backend.checkout.models import Checkout
from backend.checkout.validation import with_params

SHIPPING = "SHIPPING"
BILLING = "BILLING"


def clean_email(email: str | None) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Enter a valid email address."), code=CheckoutErrorCode.INVALID.value
                )
            }
        ) from error
    return email


def set_email(checkout: Checkout, email: str | None) -> None:
    checkout.email = clean_email(email)
    checkout.save(update_fields=["email", "last_change"])


def clean_checkout_address(data: dict, rules: dict | None, address_type: str) -> dict:
    """Validated address fields (and the `metadata` of `data`, if any). `rules`
    (CheckoutAddressValidationRules) may switch off the required-fields or format checks, as
    Saleor allows for a partial address that only serves to estimate shipping."""
    rules = rules or {}
    check_required = rules.get("check_required_fields", True) is not False
    check_format = rules.get("check_fields_format", True) is not False
    try:
        fields = clean_address(data)
    except ValidationError as error:
        kept = {
            name: [
                with_params(err.messages[0], err.code, {"address_type": address_type})
                for err in errors
                if (err.code == "required" and check_required)
                or (err.code != "required" and check_format)
            ]
            for name, errors in error.error_dict.items()
        }
        kept = {name: errors for name, errors in kept.items() if errors}
        if kept:
            raise ValidationError(kept) from error
        fields = clean_address(data, skip_validation=True)
    if data.get("metadata"):
        fields["metadata"] = data["metadata"]
    return fields


def save_address(current: Address | None, fields: dict) -> Address:
    """Store the address on the checkout's own row (orders later keep that row)."""
    fields = dict(fields)
    metadata = fields.pop("metadata", None)
    if current is None:
        address = Address(**fields)
    else:
        address = current
        for name, value in fields.items():
            setattr(address, name, value)
    if metadata:
        address.metadata = {**address.metadata, **metadata}
    address.save()
    return address


def copy_address(address: Address) -> Address:
    """A row of the checkout's own, so changing it never touches the buyer's address book."""
    return Address.objects.create(**{field: getattr(address, field) for field in ADDRESS_FIELDS})


def set_shipping_address(
    checkout: Checkout, data: dict, *, rules: dict | None = None, save_address_to_user=True
) -> None:
    """Refused (SHIPPING_NOT_REQUIRED) when the checkout has lines and none needs shipping.
    The checkout's country follows the address. `save_address_to_user`: keep a copy in the
    signed-in buyer's address book when the order is placed."""
    info = checkout_info(checkout)
    if info.lines and not is_shipping_required(info):
        raise ValidationError(
            {
                "shipping_address": ValidationError(
                    _("This checkout doesn't need shipping."),
                    code=CheckoutErrorCode.SHIPPING_NOT_REQUIRED.value,
                )
            }
        )
    fields = clean_checkout_address(data, rules, SHIPPING)
    checkout.shipping_address = save_address(checkout.shipping_address, fields)
    checkout.save_shipping_address = save_address_to_user
    checkout.country = checkout.shipping_address.country
    checkout.save(
        update_fields=["shipping_address", "save_shipping_address", "country", "last_change"]
    )


def set_billing_address(
    checkout: Checkout, data: dict, *, rules: dict | None = None, save_address_to_user=True
) -> None:
    fields = clean_checkout_address(data, rules, BILLING)
    checkout.billing_address = save_address(checkout.billing_address, fields)
    checkout.save_billing_address = save_address_to_user
    checkout.save(update_fields=["billing_address", "save_billing_address", "last_change"])
