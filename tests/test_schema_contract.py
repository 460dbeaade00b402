"""Our schema must be a superset of the API contract (what Saleor's storefront uses).

`find_breaking_changes(contract, ours)` lists everything the storefront would trip on. The
checkout / order / payment part is built separately, so its breaks are allowed here by an explicit
list; every other break (catalog, content, account) fails the test and is printed.
"""

import re
from pathlib import Path

import pytest
from graphql import (
    BreakingChangeType,
    build_schema,
    find_breaking_changes,
    get_named_type,
    is_input_object_type,
    is_interface_type,
    is_object_type,
    is_scalar_type,
    is_union_type,
)

CONTRACT_PATH = (
    Path(__file__).resolve().parents[1].parent / "shared/reference/saleor-storefront.graphql"
)

# Types of the checkout, order and payment part of the contract.
CHECKOUT_ORDER_PAYMENT_TYPES = frozenset(
    {
        # checkout
        "Checkout",
        "CheckoutAddPromoCode",
        "CheckoutAddressValidationRules",
        "CheckoutAuthorizeStatusEnum",
        "CheckoutBillingAddressUpdate",
        "CheckoutChargeStatusEnum",
        "CheckoutComplete",
        "CheckoutCreate",
        "CheckoutCreateInput",
        "CheckoutCustomerAttach",
        "CheckoutCustomerDetach",
        "CheckoutDeliveryMethodUpdate",
        "CheckoutEmailUpdate",
        "CheckoutError",
        "CheckoutErrorCode",
        "CheckoutLine",
        "CheckoutLineDelete",
        "CheckoutLineInput",
        "CheckoutLineUpdateInput",
        "CheckoutLinesAdd",
        "CheckoutLinesDelete",
        "CheckoutLinesUpdate",
        "CheckoutProblem",
        "CheckoutProblemDeliveryMethodInvalid",
        "CheckoutProblemDeliveryMethodStale",
        "CheckoutRemovePromoCode",
        "CheckoutShippingAddressUpdate",
        "CheckoutValidationRules",
        "UUID",
        # delivery
        "Delivery",
        "DeliveryMethod",
        "DeliveryOptionsCalculate",
        "DeliveryOptionsCalculateError",
        "DeliveryOptionsCalculateErrorCode",
        "ShippingMethod",
        # discounts
        "GiftCard",
        "Voucher",
        # orders (and `User.orders(where:)`)
        "Order",
        "OrderAuthorizeStatusEnum",
        "OrderAuthorizeStatusEnumFilterInput",
        "OrderChargeStatusEnum",
        "OrderChargeStatusEnumFilterInput",
        "OrderCountableConnection",
        "OrderCountableEdge",
        "OrderDiscount",
        "OrderDiscountType",
        "OrderLine",
        "OrderStatus",
        "OrderStatusEnumFilterInput",
        "Fulfillment",
        "FulfillmentLine",
        "FulfillmentStatus",
        "CustomerOrderWhereInput",
        "AddressFilterInput",
        "CountryCodeEnumFilterInput",
        "IntFilterInput",
        "InvoiceFilterInput",
        "PriceFilterInput",
        "UUIDFilterInput",
        # payments (Transactions API)
        "GatewayConfigLine",
        "PaymentChargeStatusEnum",
        "PaymentGateway",
        "PaymentGatewayConfig",
        "PaymentGatewayConfigError",
        "PaymentGatewayConfigErrorCode",
        "PaymentGatewayInitialize",
        "PaymentGatewayInitializeError",
        "PaymentGatewayInitializeErrorCode",
        "PaymentGatewayToInitialize",
        "TransactionActionEnum",
        "TransactionEvent",
        "TransactionEventTypeEnum",
        "TransactionFlowStrategyEnum",
        "TransactionInitialize",
        "TransactionInitializeError",
        "TransactionInitializeErrorCode",
        "TransactionItem",
        "TransactionProcess",
        "TransactionProcessError",
        "TransactionProcessErrorCode",
        "JSON",
        # updateMetadata (the storefront calls it on checkouts)
        "UpdateMetadata",
        "MetadataError",
        "MetadataErrorCode",
    }
)

# Root and other fields that lead into that part.
CHECKOUT_ORDER_PAYMENT_FIELDS = frozenset(
    {
        ("Query", "checkout"),
        ("Query", "order"),
        ("User", "orders"),
        ("Mutation", "checkoutAddPromoCode"),
        ("Mutation", "checkoutBillingAddressUpdate"),
        ("Mutation", "checkoutComplete"),
        ("Mutation", "checkoutCreate"),
        ("Mutation", "checkoutCustomerAttach"),
        ("Mutation", "checkoutCustomerDetach"),
        ("Mutation", "checkoutDeliveryMethodUpdate"),
        ("Mutation", "checkoutEmailUpdate"),
        ("Mutation", "checkoutLineDelete"),
        ("Mutation", "checkoutLinesAdd"),
        ("Mutation", "checkoutLinesDelete"),
        ("Mutation", "checkoutLinesUpdate"),
        ("Mutation", "checkoutRemovePromoCode"),
        ("Mutation", "checkoutShippingAddressUpdate"),
        ("Mutation", "deliveryOptionsCalculate"),
        ("Mutation", "paymentGatewayInitialize"),
        ("Mutation", "transactionInitialize"),
        ("Mutation", "transactionProcess"),
        ("Mutation", "updateMetadata"),
    }
)

# Where a break description names its type and field ("Type.field ...", "A required arg x on
# Type.field ...", "VALUE was removed from enum type Type.").
_DESCRIPTION_PATTERNS = [
    re.compile(
        r"^A required (?:arg|field) \w+ on (?:input type )?(?P<type>\w+)(?:\.(?P<field>\w+))?"
    ),
    re.compile(r"^\w+ was removed from (?:enum|union) type (?P<type>\w+)"),
    re.compile(r"^(?P<type>\w+)(?:\.(?P<field>\w+))?"),
]


def _owner(description: str) -> tuple[str, str | None]:
    for pattern in _DESCRIPTION_PATTERNS:
        match = pattern.match(description)
        if match:
            return match.group("type"), match.groupdict().get("field")
    raise AssertionError(f"Unrecognised breaking change: {description}")


def is_allowed_break(description: str) -> bool:
    type_name, field_name = _owner(description)
    return (
        type_name in CHECKOUT_ORDER_PAYMENT_TYPES
        or (type_name, field_name) in CHECKOUT_ORDER_PAYMENT_FIELDS
    )


def _is_scalar_implementation_change(change, contract, ours) -> bool:
    """graphene's scalars are GraphQLScalarType subclasses, which graphql-core reports as a
    change of kind although both sides are the same kind of scalar."""
    if change.type != BreakingChangeType.TYPE_CHANGED_KIND:
        return False
    name, _ = _owner(change.description)
    return is_scalar_type(contract.get_type(name)) and is_scalar_type(ours.get_type(name))


@pytest.fixture(scope="module")
def contract():
    if not CONTRACT_PATH.exists():
        pytest.skip(f"The API contract is not available at {CONTRACT_PATH}")
    return build_schema(CONTRACT_PATH.read_text())


def test_schema_is_a_superset_of_the_contract_outside_checkout(contract):
    from backend.graphql.api import schema

    ours = schema.graphql_schema
    remaining = [
        change.description
        for change in find_breaking_changes(contract, ours)
        if not is_allowed_break(change.description)
        and not _is_scalar_implementation_change(change, contract, ours)
    ]
    assert not remaining, "Breaking changes against the storefront contract:\n" + "\n".join(
        remaining
    )


def _types_reachable_outside_allowed_fields(schema) -> set[str]:
    """Named types the catalog, content and account part of the contract reaches."""
    seen: set[str] = set()
    pending = [schema.query_type, schema.mutation_type]
    while pending:
        named = get_named_type(pending.pop())
        if named is None or named.name in seen:
            continue
        seen.add(named.name)
        if is_object_type(named) or is_interface_type(named):
            for field_name, field in named.fields.items():
                if (named.name, field_name) in CHECKOUT_ORDER_PAYMENT_FIELDS:
                    continue
                pending.append(field.type)
                pending.extend(arg.type for arg in field.args.values())
            pending.extend(named.interfaces)
            if is_interface_type(named):
                pending.extend(schema.get_implementations(named).objects)
        elif is_union_type(named):
            pending.extend(named.types)
        elif is_input_object_type(named):
            pending.extend(field.type for field in named.fields.values())
    return seen - {"Query", "Mutation"}


def test_allow_list_holds_no_catalog_content_or_account_type(contract):
    shared = CHECKOUT_ORDER_PAYMENT_TYPES & _types_reachable_outside_allowed_fields(contract)
    assert not shared, f"Allowed types that the rest of the contract uses: {sorted(shared)}"
    catalog_types = {"Product", "Category", "Collection", "Page", "Menu", "User", "OrderDirection"}
    assert catalog_types.isdisjoint(CHECKOUT_ORDER_PAYMENT_TYPES)


def test_allow_list_names_only_contract_types_and_fields(contract):
    assert CHECKOUT_ORDER_PAYMENT_TYPES <= set(contract.type_map)
    for type_name, field_name in CHECKOUT_ORDER_PAYMENT_FIELDS:
        assert field_name in contract.get_type(type_name).fields, f"{type_name}.{field_name}"


@pytest.mark.parametrize(
    ("description", "allowed"),
    [
        ("Checkout was removed.", True),
        ("Mutation.checkoutCreate was removed.", True),
        ("User.orders was removed.", True),
        ("A required arg token on Query.checkout was added.", True),
        ("Product was removed.", False),
        ("Query.products was removed.", False),
        ("ASC was removed from enum type OrderDirection.", False),
        ("A required field slug on input type PageWhereInput was added.", False),
        ("Page.content changed type from JSONString to String.", False),
    ],
)
def test_break_classification(description, allowed):
    assert is_allowed_break(description) is allowed
