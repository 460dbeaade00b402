"""Order types with Saleor's names: Order, OrderLine, Fulfillment, FulfillmentLine, OrderEvent,
OrderDiscount, OrderError.

Whoever has an order's `id` reads the order, with the buyer's email and addresses masked unless
they placed it, manage orders or opened it with its token (backend.order.access). `user` is
shown to its owner and staff, `events` to order managers only."""

import graphene

from backend.account.permissions import AccountPermissions, has_one_of_permissions
from backend.core.anonymize import obfuscate_address, obfuscate_email
from backend.core.ids import global_id
from backend.core.money import from_minor_units
from backend.graphql.account.dataloaders import AddressByIdLoader
from backend.graphql.channel.types import Channel
from backend.graphql.core.connection import CountableConnection
from backend.graphql.core.dataloaders import then
from backend.graphql.core.enums import (
    FulfillmentStatus,
    LanguageCodeEnum,
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderDiscountType,
    OrderStatus,
    PaymentChargeStatusEnum,
)
from backend.graphql.core.errors import PermissionDenied, error_type
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.types import (
    Image,
    Money,
    ObjectWithMetadata,
    TaxedMoney,
    loader_resolver,
    money_resolver,
)
from backend.graphql.order import dataloaders as loaders
from backend.graphql.product.dataloaders import (
    ChannelByIdLoader,
    MediaByProductIdLoader,
    MediaByVariantIdLoader,
    ProductVariantByIdLoader,
)
from backend.graphql.product.types import (
    ChannelContext,
    ProductVariant,
    first_image_thumbnail,
    thumbnail_args,
)
from backend.graphql.warehouse.dataloaders import WarehouseByIdLoader
from backend.order import error_codes, models
from backend.order.access import can_see_customer_details, is_order_owner
from backend.order.permissions import OrderPermissions
from backend.order.producer_orders import lines_shown_to, member_scope
from backend.shipping.models import ShippingMethodChannelListing


def enum_name(value: str) -> str:
    """Model choice value -> GraphQL enum name (`partially fulfilled` -> PARTIALLY_FULFILLED)."""
    return value.replace(" ", "_").upper()


def can_manage_orders(info) -> bool:
    return has_one_of_permissions(info.context.user, [OrderPermissions.MANAGE_ORDERS])


def requester_member_scope(info):
    """The requester's producer scope when they reach orders as a producer's member (once per
    request; backend.order.producer_orders.member_scope)."""
    if not hasattr(info.context, "order_member_scope"):
        info.context.order_member_scope = member_scope(info.context.user)
    return info.context.order_member_scope


def _event_parameter(key: str):
    """A resolver of an event detail kept in the event's `parameters`."""

    def resolve(root: models.OrderEvent, _info):
        return root.parameters.get(key)

    return resolve


def _blank_as_null(field: str):
    """A resolver of the root's text `field`, null when it is empty."""

    def resolve(root, _info):
        return getattr(root, field) or None

    return resolve


def is_owner(info, order: models.Order) -> bool:
    return is_order_owner(info.context.user, order)


def open_with_token(info, order: models.Order | None) -> models.Order | None:
    """Record that the requester holds `order`'s token (orderByToken, the checkout that placed
    it), so this request shows the order's customer details in full."""
    if order is not None:
        tokens = getattr(info.context, "order_tokens", None)
        if tokens is None:
            tokens = info.context.order_tokens = {}
        tokens[order.pk] = order.token
    return order


def sees_customer_details(info, order: models.Order) -> bool:
    token = getattr(info.context, "order_tokens", {}).get(order.pk)
    return can_see_customer_details(info.context.user, order, token)


def _customer_address(field: str):
    """A resolver of the order's address `field`, masked for those who may not see it."""

    def resolve(root: models.Order, info):
        address_id = getattr(root, field)
        if not address_id:
            return None
        if sees_customer_details(info, root):
            return AddressByIdLoader(info.context).load(address_id)
        return then(AddressByIdLoader(info.context).load(address_id), obfuscate_address)

    return resolve


# Saleor's OrderErrorCode values that the order mutations raise (backend.order.error_codes).
OrderErrorCode = graphene.Enum(
    "OrderErrorCode", [(code.name, code.name) for code in error_codes.OrderErrorCode]
)


OrderError = error_type(
    "OrderError",
    OrderErrorCode,
    {
        "warehouse": graphene.ID(description="Warehouse ID which causes the error."),
        "order_lines": graphene.List(
            graphene.NonNull(graphene.ID), description="Order lines that cause the error."
        ),
        "variants": graphene.List(
            graphene.NonNull(graphene.ID), description="Product variants that cause the error."
        ),
    },
)


class OrderSourceEnum(graphene.Enum):
    """Where an order came from (an OCOP Market addition)."""

    STOREFRONT = "storefront"
    LIVESTREAM = "livestream"
    MARKETPLACE = "marketplace"


class OrderEventsEnum(graphene.Enum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    PACKED = "packed"
    PAYMENT_CAPTURED = "captured"
    ORDER_MARKED_AS_PAID = "marked_as_paid"
    FULFILLMENT_FULFILLED_ITEMS = "fulfilled_items"
    CANCELED = "canceled"
    EMAIL_SENT = "email_sent"
    NOTE_ADDED = "note_added"
    TRANSACTION_EVENT = "transaction_event"


class OrderEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    date = graphene.DateTime(required=True, description="Date when event happened.")
    type = graphene.Field(OrderEventsEnum, description="Order event type.")
    user = graphene.Field(
        "backend.graphql.account.types.User", description="User who performed the action."
    )
    message = graphene.String(description="Content of the event.")
    email = graphene.String(description="Email of the customer.")
    email_type = graphene.String(description="Type of an email sent to the customer.")
    amount = graphene.Float(description="Amount of money.")
    quantity = graphene.Int(description="Number of items.")
    composed_id = graphene.String(description="Composed ID of the Fulfillment.")
    transaction_reference = graphene.String(description="The transaction reference.")

    class Meta:
        description = "History log of the order."

    resolve_user = loader_resolver(loaders.UserByIdLoader, "user_id")
    resolve_message = _event_parameter("message")
    resolve_email = _event_parameter("email")
    resolve_email_type = _event_parameter("email_type")
    resolve_quantity = _event_parameter("quantity")
    resolve_composed_id = _event_parameter("composed_id")
    resolve_transaction_reference = _event_parameter("transaction_reference")

    resolve_id = staticmethod(global_id_resolver("OrderEvent"))

    @staticmethod
    def resolve_type(root: models.OrderEvent, _info):
        return root.type

    @staticmethod
    def resolve_amount(root: models.OrderEvent, _info):
        """Amounts are stored in minor units with their currency."""
        amount, currency = root.parameters.get("amount"), root.parameters.get("currency")
        if amount is None or currency is None:
            return None
        return float(from_minor_units(amount, currency))


class OrderLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    product_variant_id = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    quantity_to_fulfill = graphene.Int(required=True)
    thumbnail = graphene.Field(Image, **thumbnail_args())
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    variant = graphene.Field(
        ProductVariant,
        description="A purchased product variant; null when it was deleted since.",
    )

    class Meta:
        description = "Represents order line of particular order."

    resolve_unit_price = money_resolver("unit_price_amount", TaxedMoney)
    resolve_undiscounted_unit_price = money_resolver("undiscounted_unit_price_amount", TaxedMoney)
    resolve_total_price = money_resolver("total_price_amount", TaxedMoney)

    resolve_id = staticmethod(global_id_resolver("OrderLine"))

    @staticmethod
    def resolve_product_variant_id(root: models.OrderLine, _info):
        return global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_quantity_to_fulfill(root: models.OrderLine, _info):
        return root.quantity_unfulfilled

    @staticmethod
    def resolve_variant(root: models.OrderLine, info):
        if not root.variant_id:
            return None
        variant = ProductVariantByIdLoader(info.context).load(root.variant_id)
        channel = ChannelByIdLoader(info.context).load(root.order_channel_id)
        return then(
            variant,
            lambda variant: then(
                channel,
                lambda channel: ChannelContext(variant, channel) if variant else None,
            ),
        )

    @staticmethod
    def resolve_thumbnail(root: models.OrderLine, info, size=None, format=None):
        """The variant's first image, else its product's first image."""
        if not root.variant_id:
            return None

        def to_image(media):
            return first_image_thumbnail(info, media, size, format)

        def from_variant(variant):
            if variant is None:
                return None

            def pick(variant_media):
                if image := to_image(variant_media):
                    return image
                return then(MediaByProductIdLoader(info.context).load(variant.product_id), to_image)

            return then(MediaByVariantIdLoader(info.context).load(variant.pk), pick)

        return then(ProductVariantByIdLoader(info.context).load(root.variant_id), from_variant)


FulfillmentCarrierEnum = graphene.Enum(
    "FulfillmentCarrierEnum",
    [(enum_name(value.replace("-", "_")), value) for value in models.Carrier.values],
    description="The delivery companies a parcel can be handed to (an OCOP Market addition).",
)


class FulfillmentLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    order_line = graphene.Field(OrderLine)

    class Meta:
        description = "Represents line of the fulfillment."

    resolve_id = staticmethod(global_id_resolver("FulfillmentLine"))

    @staticmethod
    def resolve_order_line(root: models.FulfillmentLine, info):
        return loaders.OrderLineByIdLoader(info.context).load(root.order_line_id)


class Fulfillment(graphene.ObjectType):
    id = graphene.ID(required=True)
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(FulfillmentStatus, required=True)
    tracking_number = graphene.String(required=True)
    carrier = graphene.Field(
        FulfillmentCarrierEnum, description="The delivery company (an OCOP Market addition)."
    )
    carrier_name = graphene.String(description="The delivery company's name.")
    created = graphene.DateTime(required=True)
    lines = graphene.List(graphene.NonNull(FulfillmentLine))
    status_display = graphene.String(description="User-friendly fulfillment status.")

    class Meta:
        description = "Represents order fulfillment."

    resolve_id = staticmethod(global_id_resolver("Fulfillment"))

    @staticmethod
    def resolve_status(root: models.Fulfillment, _info):
        return enum_name(root.status)

    @staticmethod
    def resolve_created(root: models.Fulfillment, _info):
        return root.created_at

    @staticmethod
    def resolve_carrier(root: models.Fulfillment, _info):
        return root.carrier or None

    @staticmethod
    def resolve_carrier_name(root: models.Fulfillment, _info):
        return str(root.get_carrier_display()) if root.carrier else None

    @staticmethod
    def resolve_lines(root: models.Fulfillment, info):
        return loaders.FulfillmentLinesByFulfillmentIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_status_display(root: models.Fulfillment, _info):
        return str(root.get_status_display())


class OrderDiscount(graphene.ObjectType):
    type = graphene.Field(OrderDiscountType, required=True)
    name = graphene.String()
    amount = graphene.Field(Money, required=True, deprecation_reason="Use `total` instead.")
    total = graphene.Field(Money, required=True, description="Returns amount of discount.")

    class Meta:
        description = "Contains all details related to the applied discount to the order."


# Model charge status -> Saleor's legacy PaymentChargeStatusEnum (`paymentStatus`).
PAYMENT_STATUS = {
    models.ChargeStatus.NONE: "NOT_CHARGED",
    models.ChargeStatus.PARTIAL: "PARTIALLY_CHARGED",
    models.ChargeStatus.FULL: "FULLY_CHARGED",
    models.ChargeStatus.OVERCHARGED: "FULLY_CHARGED",
}


class Order(graphene.ObjectType):
    id = graphene.ID(required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = graphene.Field(OrderStatus, required=True)
    billing_address = graphene.Field("backend.graphql.account.types.Address")
    shipping_address = graphene.Field("backend.graphql.account.types.Address")
    channel = graphene.Field(Channel, required=True)
    fulfillments = graphene.List(graphene.NonNull(Fulfillment), required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    number = graphene.String(required=True)
    is_paid = graphene.Boolean(required=True)
    payment_status = graphene.Field(PaymentChargeStatusEnum, required=True)
    payment_status_display = graphene.String(required=True)
    authorize_status = graphene.Field(OrderAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(OrderChargeStatusEnum, required=True)
    total = graphene.Field(TaxedMoney, required=True)
    undiscounted_total = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    subtotal = graphene.Field(TaxedMoney, required=True)
    status_display = graphene.String(required=True)
    total_captured = graphene.Field(
        Money, required=True, deprecation_reason="Use `totalCharged` instead."
    )
    total_charged = graphene.Field(Money, required=True)
    total_authorized = graphene.Field(Money, required=True)
    total_balance = graphene.Field(Money, required=True)
    user_email = graphene.String()
    user = graphene.Field("backend.graphql.account.types.User")
    voucher = graphene.Field("backend.graphql.discount.types.Voucher")
    delivery_method = graphene.Field(
        "backend.graphql.shipping.types.DeliveryMethod",
        description="The shipping method or the pick-up point (Warehouse) chosen at checkout.",
    )
    transactions = graphene.List(
        graphene.NonNull("backend.graphql.payment.types.TransactionItem"),
        required=True,
        description="Payment transactions of the order.",
    )
    discounts = graphene.List(graphene.NonNull(OrderDiscount), required=True)
    voucher_code = graphene.String()
    payment_gateway = graphene.String(
        description="The payment gateway chosen at checkout (e.g. `ocop.payments.cod`)."
    )
    customer_note = graphene.String(required=True)
    language_code_enum = graphene.Field(LanguageCodeEnum, required=True)
    checkout_id = graphene.ID()
    source = graphene.Field(
        OrderSourceEnum, required=True, description="Storefront, livestream or marketplace."
    )
    source_reference = graphene.String(required=True)
    events = graphene.List(
        graphene.NonNull(OrderEvent),
        required=True,
        description="List of events associated with the order. Requires MANAGE_ORDERS.",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents an order in the shop."

    resolve_billing_address = staticmethod(_customer_address("billing_address_id"))
    resolve_shipping_address = staticmethod(_customer_address("shipping_address_id"))
    resolve_total = money_resolver("total_amount", TaxedMoney)
    resolve_undiscounted_total = money_resolver("undiscounted_total_amount", TaxedMoney)
    resolve_shipping_price = money_resolver("shipping_price_amount", TaxedMoney)
    resolve_shipping_method_name = _blank_as_null("shipping_method_name")
    resolve_collection_point_name = _blank_as_null("collection_point_name")
    resolve_subtotal = money_resolver("subtotal_amount", TaxedMoney)
    resolve_total_captured = money_resolver("total_charged_amount")
    resolve_total_charged = money_resolver("total_charged_amount")
    resolve_total_authorized = money_resolver("total_authorized_amount")
    resolve_total_balance = money_resolver("total_balance_amount")
    resolve_voucher = loader_resolver(loaders.VoucherByIdLoader, "voucher_id")
    resolve_voucher_code = _blank_as_null("voucher_code")
    resolve_payment_gateway = _blank_as_null("payment_gateway")

    resolve_id = staticmethod(global_id_resolver("Order"))

    @staticmethod
    def resolve_created(root: models.Order, _info):
        return root.created_at

    @staticmethod
    def resolve_user_email(root: models.Order, info):
        if not root.user_email:
            return None
        if sees_customer_details(info, root):
            return root.user_email
        return obfuscate_email(root.user_email)

    @staticmethod
    def resolve_status(root: models.Order, _info):
        return enum_name(root.status)

    @staticmethod
    def resolve_status_display(root: models.Order, _info):
        return str(root.get_status_display())

    @staticmethod
    def resolve_channel(root: models.Order, info):
        return ChannelByIdLoader(info.context).load(root.channel_id)

    @staticmethod
    def resolve_fulfillments(root: models.Order, info):
        scope = None if is_owner(info, root) else requester_member_scope(info)
        if scope is None:
            return loaders.FulfillmentsByOrderIdLoader(info.context).load(root.pk)
        return loaders.ProducerFulfillmentsByOrderIdLoader(info.context, scope).load(root.pk)

    @staticmethod
    def resolve_lines(root: models.Order, info):
        lines = loaders.LinesByOrderIdLoader(info.context).load(root.pk)
        if is_owner(info, root):
            return lines
        scope = requester_member_scope(info)
        if scope is None:
            return lines
        return then(lines, lambda lines: lines_shown_to(info.context.user, root, lines, scope))

    @staticmethod
    def resolve_number(root: models.Order, _info):
        return str(root.number)

    @staticmethod
    def resolve_is_paid(root: models.Order, _info):
        return root.is_paid

    @staticmethod
    def resolve_payment_status(root: models.Order, _info):
        return PAYMENT_STATUS.get(root.charge_status, "NOT_CHARGED")

    @staticmethod
    def resolve_payment_status_display(root: models.Order, _info):
        return str(root.get_charge_status_display())

    @staticmethod
    def resolve_authorize_status(root: models.Order, _info):
        return enum_name(root.authorize_status)

    @staticmethod
    def resolve_charge_status(root: models.Order, _info):
        return enum_name(root.charge_status)

    @staticmethod
    def resolve_user(root: models.Order, info):
        if not root.user_id:
            return None
        if not (
            is_owner(info, root)
            or has_one_of_permissions(
                info.context.user,
                [OrderPermissions.MANAGE_ORDERS, AccountPermissions.MANAGE_USERS],
            )
        ):
            raise PermissionDenied(
                permissions=[OrderPermissions.MANAGE_ORDERS, AccountPermissions.MANAGE_USERS]
            )
        return loaders.UserByIdLoader(info.context).load(root.user_id)

    @staticmethod
    def resolve_delivery_method(root: models.Order, info):
        if root.collection_point_id:
            return WarehouseByIdLoader(info.context).load(root.collection_point_id)
        if not root.shipping_method_id:
            return None
        from backend.graphql.shipping.types import ShippingMethodData

        # The price shown is the one the buyer paid, kept on the order.
        paid = ShippingMethodChannelListing(
            price_amount=root.shipping_price_amount, currency=root.currency
        )
        return then(
            loaders.ShippingMethodByIdLoader(info.context).load(root.shipping_method_id),
            lambda method: ShippingMethodData(method, paid) if method else None,
        )

    @staticmethod
    def resolve_transactions(root: models.Order, info):
        from backend.graphql.payment.dataloaders import TransactionsByOrderIdLoader

        return TransactionsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_discounts(root: models.Order, _info):
        if not root.discount_amount:
            return []
        amount = Money.from_minor(root.discount_amount, root.currency)
        return [
            OrderDiscount(
                type=OrderDiscountType.VOUCHER,
                name=root.voucher_code or None,
                amount=amount,
                total=amount,
            )
        ]

    @staticmethod
    def resolve_language_code_enum(root: models.Order, _info):
        return root.language_code.replace("-", "_").upper()

    @staticmethod
    def resolve_checkout_id(root: models.Order, _info):
        return global_id("Checkout", root.checkout_token) if root.checkout_token else None

    @staticmethod
    def resolve_source(root: models.Order, _info):
        return root.source

    @staticmethod
    def resolve_events(root: models.Order, info):
        if not can_manage_orders(info):
            raise PermissionDenied(permissions=[OrderPermissions.MANAGE_ORDERS])
        return loaders.EventsByOrderIdLoader(info.context).load(root.pk)


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = Order
        strict_types = True
