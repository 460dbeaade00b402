"""Opening a checkout, the same for the shop's first "add to cart" and the API's checkoutCreate.

Defaults, whoever calls: the channel's currency; the country of the shipping address, else the
channel's default country; the signed-in buyer's email and a copy of their default shipping and
billing addresses when none are given; every address kept in the buyer's address book when the
order is placed; the shop's language (settings.LANGUAGE_CODE). What differs is passed explicitly:
the API names the channel and the language in its input, the shop passes its own channel
(settings.DEFAULT_CHANNEL_SLUG) and the language the buyer reads the shop in."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.channel.models import Channel
from backend.checkout.contact import (
    BILLING,
    SHIPPING,
    clean_checkout_address,
    clean_email,
    copy_address,
    save_address,
)
from backend.checkout.error_codes import CheckoutErrorCode
from backend.checkout.lines import LineInput, validate_line_inputs, write_new_lines
from backend.checkout.models import Checkout


def _channel_error(message: str, code: CheckoutErrorCode) -> ValidationError:
    return ValidationError({"channel": ValidationError(message, code=code.value)})


def _refuse_inactive(channel: Channel) -> None:
    if not channel.is_active:
        raise _channel_error(
            _("Channel with '%(slug)s' is inactive.") % {"slug": channel.slug},
            CheckoutErrorCode.CHANNEL_INACTIVE,
        )


def checkout_channel(slug: str | None) -> Channel:
    """The active channel named `slug`; without a slug, the only channel there is."""
    if not slug:
        channels = list(Channel.objects.all()[:2])
        if len(channels) != 1:
            raise _channel_error(
                _("You need to provide channel slug."), CheckoutErrorCode.MISSING_CHANNEL_SLUG
            )
        channel = channels[0]
    else:
        channel = Channel.objects.filter(slug=slug).first()
        if channel is None:
            raise _channel_error(
                _("Channel with '%(slug)s' slug does not exist.") % {"slug": slug},
                CheckoutErrorCode.NOT_FOUND,
            )
    _refuse_inactive(channel)
    return channel


def create_checkout(
    channel: Channel,
    *,
    user=None,
    lines: list[LineInput] = (),
    email: str | None = None,
    shipping_address: dict | None = None,
    billing_address: dict | None = None,
    validation_rules: dict | None = None,
    save_shipping_address: bool = True,
    save_billing_address: bool = True,
    language_code: str | None = None,
    metadata: dict | None = None,
    private_metadata: dict | None = None,
) -> Checkout:
    """A new checkout of `user` (None for a guest) in `channel`, with `lines` added and their
    stock held. Addresses are raw address data (see contact.clean_checkout_address);
    `validation_rules` is Saleor's {"shipping_address": rules, "billing_address": rules}.
    Checked in Saleor's order: channel, lines, email, addresses."""
    _refuse_inactive(channel)
    validate_line_inputs(lines)
    email = clean_email(email) if email else (user.email if user else None)
    rules = validation_rules or {}
    addresses = {}
    for kind, data, address_type in (
        ("shipping", shipping_address, SHIPPING),
        ("billing", billing_address, BILLING),
    ):
        if data:
            fields = clean_checkout_address(data, rules.get(f"{kind}_address"), address_type)
            addresses[kind] = save_address(None, fields)
        elif user is not None:
            default = getattr(user, f"default_{kind}_address")
            if default is not None:
                addresses[kind] = copy_address(default)
    shipping = addresses.get("shipping")
    country = channel.default_country or settings.DEFAULT_COUNTRY
    checkout = Checkout.objects.create(
        channel=channel,
        currency=channel.currency_code,
        country=shipping.country if shipping else country,
        user=user,
        email=email,
        shipping_address=shipping,
        billing_address=addresses.get("billing"),
        save_shipping_address=save_shipping_address,
        save_billing_address=save_billing_address,
        language_code=language_code or settings.LANGUAGE_CODE,
        metadata=metadata or {},
        private_metadata=private_metadata or {},
    )
    if lines:
        write_new_lines(checkout, lines, user=user)
    return checkout
