"""Checkout types with Saleor's names. Prices, delivery options and problems are computed from one
CheckoutInfo per checkout (lines, variants, products and listings in three queries), so a
checkout with many lines costs a fixed number of queries."""

from dataclasses import dataclass

import graphene
from django.db.models import Min

from backend.checkout import calculations
from backend.checkout.access import can_see_checkout_customer
from backend.checkout.fetch import CheckoutLineInfo, checkout_info
from backend.checkout.models import Checkout as CheckoutModel
from backend.checkout.problems import InsufficientStock, line_problems
from backend.core.ids import global_id
from backend.graphql.account.dataloaders import AddressByIdLoader
from backend.graphql.account.types import MetadataInput
from backend.graphql.channel.types import Channel
from backend.graphql.core.enums import (
    AddressTypeEnum,
    CheckoutAuthorizeStatusEnum,
    CheckoutChargeStatusEnum,
    CheckoutErrorCode,
    LanguageCodeEnum,
)
from backend.graphql.core.errors import error_type
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.scalars import PositiveDecimal
from backend.graphql.core.types import Money, ObjectWithMetadata, TaxedMoney, loader_resolver
from backend.graphql.discount.types import GiftCard, Voucher
from backend.graphql.product.types import ChannelContext
from backend.graphql.shipping.types import (
    Delivery,
    DeliveryMethod,
    ShippingMethod,
    ShippingMethodData,
)
from backend.graphql.warehouse.types import Warehouse

CheckoutError = error_type(
    "CheckoutError",
    CheckoutErrorCode,
    {
        "variants": graphene.List(
            graphene.NonNull(graphene.ID),
            description="List of varint IDs which causes the error.",
        ),
        "lines": graphene.List(
            graphene.NonNull(graphene.ID),
            description="List of line Ids which cause the error.",
        ),
        "address_type": graphene.Field(
            AddressTypeEnum, description="A type of address that causes the error."
        ),
    },
)


# --- Lines ------------------------------------------------------------------------------------


@dataclass
class LineRoot:
    info: CheckoutLineInfo
    checkout: CheckoutModel

    @property
    def metadata(self):
        return self.info.line.metadata

    @property
    def private_metadata(self):
        return self.info.line.private_metadata


def _money(checkout, amount):
    return Money.from_minor(amount, checkout.currency)


def _taxed(checkout, amount):
    return TaxedMoney.from_minor(amount, checkout.currency)


def _line_price(field: str, money_type):
    """A resolver of a line's computed price `field` as `money_type` (Money or TaxedMoney)."""

    def resolve(root: LineRoot, _info):
        return money_type.from_minor(getattr(root.info, field), root.checkout.currency)

    return resolve


class CheckoutLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant = graphene.Field("backend.graphql.product.types.ProductVariant", required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(Money, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(Money, required=True)
    requires_shipping = graphene.Boolean(required=True)
    is_gift = graphene.Boolean()

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents an item in the checkout."

    resolve_unit_price = _line_price("unit_price", TaxedMoney)
    resolve_undiscounted_unit_price = _line_price("unit_price", Money)
    resolve_total_price = _line_price("total_price", TaxedMoney)
    resolve_undiscounted_total_price = _line_price("total_price", Money)

    @staticmethod
    def resolve_id(root: LineRoot, _info):
        return global_id("CheckoutLine", root.info.line.pk)

    @staticmethod
    def resolve_variant(root: LineRoot, _info):
        return ChannelContext(root.info.variant, root.checkout.channel)

    @staticmethod
    def resolve_quantity(root: LineRoot, _info):
        return root.info.line.quantity

    @staticmethod
    def resolve_requires_shipping(root: LineRoot, _info):
        return root.info.is_shipping_required

    @staticmethod
    def resolve_is_gift(_root, _info):
        return False


# --- Problems ---------------------------------------------------------------------------------


class CheckoutProblemDeliveryMethodStale(graphene.ObjectType):
    delivery = graphene.Field(Delivery, required=True)


class CheckoutProblemDeliveryMethodInvalid(graphene.ObjectType):
    delivery = graphene.Field(Delivery, required=True)

    class Meta:
        description = (
            "The chosen shipping method no longer fits the checkout (address, weight or order "
            "value changed); choose another one."
        )


class CheckoutLineProblemInsufficientStock(graphene.ObjectType):
    available_quantity = graphene.Int(description="Available quantity of a variant.")
    line = graphene.Field(CheckoutLine, required=True, description="The line that has a problem.")
    variant = graphene.Field(
        "backend.graphql.product.types.ProductVariant",
        required=True,
        description="The variant short of stock.",
    )

    class Meta:
        description = "Fewer units of the line's variant are in stock than the line asks for."

    @staticmethod
    def resolve_variant(root, _info):
        return ChannelContext(root.line.info.variant, root.line.checkout.channel)


class CheckoutLineProblemVariantNotAvailable(graphene.ObjectType):
    line = graphene.Field(CheckoutLine, required=True, description="The line that has a problem.")

    class Meta:
        description = "The line's variant is no longer sold in the checkout's channel."


class CheckoutProblem(graphene.Union):
    class Meta:
        types = (
            CheckoutProblemDeliveryMethodStale,
            CheckoutProblemDeliveryMethodInvalid,
            CheckoutLineProblemInsufficientStock,
            CheckoutLineProblemVariantNotAvailable,
        )


def _line_problem_object(problem, checkout):
    line = LineRoot(problem.line_info, checkout)
    if isinstance(problem, InsufficientStock):
        return CheckoutLineProblemInsufficientStock(
            available_quantity=problem.available_quantity, line=line
        )
    return CheckoutLineProblemVariantNotAvailable(line=line)


# --- Checkout ---------------------------------------------------------------------------------


def shipping_options(checkout) -> list[ShippingMethodData]:
    from backend.shipping.services import applicable_shipping_methods

    cached = getattr(checkout, "shipping_options", None)
    if cached is None:
        cached = [
            ShippingMethodData(method, listing)
            for method, listing in applicable_shipping_methods(checkout_info(checkout))
        ]
        checkout.shipping_options = cached
    return cached


def _chosen_shipping(checkout) -> ShippingMethodData | None:
    """The chosen shipping method, marked inactive when it no longer fits the checkout."""
    if checkout.shipping_method_id is None or checkout.collection_point_id is not None:
        return None
    for option in shipping_options(checkout):
        if option.method.pk == checkout.shipping_method_id:
            return option
    listing = checkout_info(checkout).shipping_method_listing
    return ShippingMethodData(checkout.shipping_method, listing, active=False)


def _total(checkout) -> int:
    return calculations.checkout_total(checkout_info(checkout))


class Checkout(graphene.ObjectType):
    id = graphene.ID(required=True)
    token = graphene.UUID(required=True, description="The checkout's token.")
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    last_change = graphene.DateTime(required=True)
    user = graphene.Field("backend.graphql.account.types.User")
    channel = graphene.Field(Channel, required=True)
    billing_address = graphene.Field("backend.graphql.account.types.Address")
    shipping_address = graphene.Field("backend.graphql.account.types.Address")
    customer_note = graphene.String(required=True)
    discount = graphene.Field(Money)
    discount_name = graphene.String()
    translated_discount_name = graphene.String()
    voucher_code = graphene.String()
    voucher = graphene.Field(Voucher)
    available_payment_gateways = graphene.List(
        graphene.NonNull("backend.graphql.payment.types.PaymentGateway"),
        required=True,
        description="List of available payment gateways.",
        deprecation_reason=(
            "The legacy Payments API is deprecated and will be removed. Use the Transactions "
            "API instead."
        ),
    )
    email = graphene.String()
    gift_cards = graphene.List(graphene.NonNull(GiftCard), required=True)
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True, description="The number of items purchased.")
    stock_reservation_expires = graphene.DateTime(
        description="Until when the stock of the lines is held for this checkout."
    )
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    shipping_method = graphene.Field(
        ShippingMethod, deprecation_reason="Use `deliveryMethod` instead."
    )
    shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethod),
        required=True,
        description="Shipping methods that can be used with this checkout.",
    )
    available_shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethod),
        required=True,
        deprecation_reason="Use `shippingMethods` instead.",
    )
    available_collection_points = graphene.List(
        graphene.NonNull(Warehouse),
        required=True,
        description="Pick-up points (OCOP showrooms) holding every line in stock.",
    )
    delivery_method = graphene.Field(DeliveryMethod)
    delivery = graphene.Field(Delivery)
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    total_balance = graphene.Field(Money, required=True)
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    transactions = graphene.List(graphene.NonNull("backend.graphql.payment.types.TransactionItem"))
    display_gross_prices = graphene.Boolean(required=True)
    authorize_status = graphene.Field(CheckoutAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(CheckoutChargeStatusEnum, required=True)
    problems = graphene.List(graphene.NonNull(CheckoutProblem))

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Checkout object."

    resolve_billing_address = loader_resolver(AddressByIdLoader, "billing_address_id")
    resolve_shipping_address = loader_resolver(AddressByIdLoader, "shipping_address_id")

    resolve_id = staticmethod(global_id_resolver("Checkout"))

    @staticmethod
    def resolve_token(root: CheckoutModel, _info):
        return root.pk

    @staticmethod
    def resolve_created(root: CheckoutModel, _info):
        return root.created_at

    @staticmethod
    def resolve_updated_at(root: CheckoutModel, _info):
        return root.last_change

    @staticmethod
    def resolve_user(root: CheckoutModel, info):
        if can_see_checkout_customer(info.context.user, root):
            return root.user
        return None

    @staticmethod
    def resolve_discount(root: CheckoutModel, _info):
        return _money(root, calculations.checkout_discount(checkout_info(root)))

    @staticmethod
    def resolve_voucher(root: CheckoutModel, _info):
        return calculations.voucher_for_checkout(checkout_info(root))

    @staticmethod
    def resolve_discount_name(root: CheckoutModel, _info):
        voucher = calculations.voucher_for_checkout(checkout_info(root))
        return (voucher.name or voucher.code) if voucher else None

    resolve_translated_discount_name = resolve_discount_name

    @staticmethod
    def resolve_available_payment_gateways(root: CheckoutModel, _info):
        from backend.payment.gateways import list_payment_gateways

        return list_payment_gateways(root.channel)

    @staticmethod
    def resolve_gift_cards(_root, _info):
        return []

    @staticmethod
    def resolve_is_shipping_required(root: CheckoutModel, _info):
        return calculations.is_shipping_required(checkout_info(root))

    @staticmethod
    def resolve_quantity(root: CheckoutModel, _info):
        return checkout_info(root).quantity

    @staticmethod
    def resolve_stock_reservation_expires(root: CheckoutModel, _info):
        from backend.warehouse.models import Reservation

        return Reservation.objects.filter(checkout_line__checkout=root).aggregate(
            until=Min("reserved_until")
        )["until"]

    @staticmethod
    def resolve_lines(root: CheckoutModel, _info):
        return [LineRoot(line, root) for line in checkout_info(root).lines]

    @staticmethod
    def resolve_shipping_price(root: CheckoutModel, _info):
        return _taxed(root, calculations.checkout_shipping_price(checkout_info(root)))

    @staticmethod
    def resolve_shipping_method(root: CheckoutModel, _info):
        return _chosen_shipping(root)

    @staticmethod
    def resolve_shipping_methods(root: CheckoutModel, _info):
        return shipping_options(root)

    resolve_available_shipping_methods = resolve_shipping_methods

    @staticmethod
    def resolve_available_collection_points(root: CheckoutModel, _info):
        from backend.shipping.services import collection_points

        return collection_points(checkout_info(root))

    @staticmethod
    def resolve_delivery_method(root: CheckoutModel, _info):
        if root.collection_point_id is not None:
            return root.collection_point
        return _chosen_shipping(root)

    resolve_delivery = resolve_shipping_method

    @staticmethod
    def resolve_subtotal_price(root: CheckoutModel, _info):
        return _taxed(root, calculations.checkout_subtotal(checkout_info(root)))

    @staticmethod
    def resolve_total_price(root: CheckoutModel, _info):
        return _taxed(root, _total(root))

    @staticmethod
    def resolve_total_balance(root: CheckoutModel, _info):
        from django.db.models import Sum

        charged = root.payment_transactions.aggregate(total=Sum("amount_charged"))["total"]
        return _money(root, (charged or 0) - _total(root))

    @staticmethod
    def resolve_language_code(root: CheckoutModel, _info):
        return root.language_code.replace("-", "_").upper()

    @staticmethod
    def resolve_transactions(root: CheckoutModel, _info):
        return list(root.payment_transactions.order_by("created_at", "pk"))

    @staticmethod
    def resolve_display_gross_prices(_root, _info):
        return True

    @staticmethod
    def resolve_authorize_status(root: CheckoutModel, _info):
        from backend.payment.services import checkout_authorize_status

        return str(checkout_authorize_status(root, _total(root))).upper()

    @staticmethod
    def resolve_charge_status(root: CheckoutModel, _info):
        from backend.payment.services import checkout_charge_status

        return str(checkout_charge_status(root, _total(root))).upper()

    @staticmethod
    def resolve_problems(root: CheckoutModel, _info):
        problems = [
            _line_problem_object(problem, root) for problem in line_problems(checkout_info(root))
        ]
        chosen = _chosen_shipping(root)
        if chosen is not None and not chosen.active:
            problems.append(CheckoutProblemDeliveryMethodInvalid(delivery=chosen))
        return problems


# --- Inputs -----------------------------------------------------------------------------------


class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True, description="The number of items purchased.")
    variant_id = graphene.ID(required=True, description="ID of the product variant.")
    price = PositiveDecimal(description="Custom price of the item (apps only).")
    price_override_reason = graphene.String()
    force_new_line = graphene.Boolean(
        default_value=False,
        description="Add the line as a new one even when the variant is in the checkout already.",
    )
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutLineUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID(deprecation_reason="Use `lineId` instead.")
    quantity = graphene.Int(description="The number of items; 0 removes the line.")
    price = PositiveDecimal(description="Custom price of the item (apps only).")
    price_override_reason = graphene.String()
    line_id = graphene.ID(description="ID of the line.")
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutAddressValidationRules(graphene.InputObjectType):
    check_required_fields = graphene.Boolean(default_value=True)
    check_fields_format = graphene.Boolean(default_value=True)
    enable_fields_normalization = graphene.Boolean(default_value=True)


class CheckoutValidationRules(graphene.InputObjectType):
    shipping_address = graphene.Field(CheckoutAddressValidationRules)
    billing_address = graphene.Field(CheckoutAddressValidationRules)


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String(description="Slug of a channel in which to create a checkout.")
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
    email = graphene.String(description="The customer's email address.")
    save_shipping_address = graphene.Boolean()
    shipping_address = graphene.Field("backend.graphql.account.types.AddressInput")
    save_billing_address = graphene.Boolean()
    billing_address = graphene.Field("backend.graphql.account.types.AddressInput")
    language_code = graphene.Field(LanguageCodeEnum)
    validation_rules = graphene.Field(CheckoutValidationRules)
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    private_metadata = graphene.List(graphene.NonNull(MetadataInput))
