"""The contract as clients see it: our live introspection, read with graphql-core's default
introspection query (as graphql-codegen sends it), against Saleor's storefront contract.

A printed-schema superset is not enough: default introspection hides deprecated arguments and
input fields, TypeScript reads unions and enums whole, and codegen validates the storefront's
documents against what introspection lists.
"""

import pytest
from graphql import (
    BreakingChangeType,
    DangerousChangeType,
    GraphQLEnumType,
    GraphQLUnionType,
    find_breaking_changes,
    find_dangerous_changes,
    parse,
    validate,
)

from tests.contract import contract_file, contract_schema, live_introspection_schema
from tests.storefront_documents import DocumentBuilder, read_operations

# The contract keeps only the union members the storefront selects; Saleor 3.23 has these.
SALEOR_UNION_MEMBERS = {
    "CheckoutProblem": {
        "CheckoutProblemDeliveryMethodStale",
        "CheckoutProblemDeliveryMethodInvalid",
        "CheckoutLineProblemInsufficientStock",
        "CheckoutLineProblemVariantNotAvailable",
    },
    "DeliveryMethod": {"ShippingMethod", "Warehouse"},
}


@pytest.fixture(scope="module")
def contract():
    return contract_schema()


@pytest.fixture(scope="module")
def live(django_db_blocker):
    with django_db_blocker.unblock():
        return live_introspection_schema()


def test_live_introspection_is_a_superset_of_the_contract(contract, live):
    breaks = [change.description for change in find_breaking_changes(contract, live)]
    assert not breaks, "What the storefront's codegen trips on:\n" + "\n".join(breaks)


def test_live_introspection_keeps_the_contracts_argument_defaults(contract, live):
    changed = [
        change.description
        for change in find_dangerous_changes(contract, live)
        if change.type == DangerousChangeType.ARG_DEFAULT_VALUE_CHANGE
    ]
    assert not changed, "\n".join(changed)


@pytest.mark.parametrize(
    ("type_name", "field_name", "argument"),
    [
        ("Category", "products", "filter"),
        ("Collection", "products", "filter"),
        ("Query", "products", "filter"),
        ("Mutation", "checkoutAddPromoCode", "checkoutId"),
        ("Mutation", "checkoutRemovePromoCode", "checkoutId"),
    ],
)
def test_default_introspection_lists_deprecated_arguments(live, type_name, field_name, argument):
    """Deprecated, but still sent by the storefront: listed, with the reason in the text."""
    listed = live.get_type(type_name).fields[field_name].args
    assert argument in listed
    assert "DEPRECATED" in listed[argument].description


def test_default_introspection_lists_deprecated_input_fields(live):
    assert "channel" in live.get_type("ProductFilterInput").fields


def test_unions_and_enums_are_whole(contract, live):
    """Every member of each union and enum of the contract (and of Saleor's full unions)."""
    missing = []
    for name, contract_type in contract.type_map.items():
        if name.startswith("__"):
            continue
        ours = live.get_type(name)
        if isinstance(contract_type, GraphQLUnionType):
            expected = {member.name for member in contract_type.types}
            expected |= SALEOR_UNION_MEMBERS.get(name, set())
            missing += [f"{name}.{m}" for m in expected - {t.name for t in ours.types}]
        elif isinstance(contract_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v in set(contract_type.values) - set(ours.values)]
    assert not missing, missing
    assert not [
        c
        for c in find_breaking_changes(contract, live)
        if c.type
        in (BreakingChangeType.TYPE_REMOVED_FROM_UNION, BreakingChangeType.VALUE_REMOVED_FROM_ENUM)
    ]


def _operations():
    return read_operations(contract_file("saleor-storefront-operations.tsv").read_text())


def test_every_storefront_operation_validates_against_live_introspection(contract, live):
    """Each of the storefront's operations, rebuilt from the contract with its variables, is a
    valid document for the schema codegen builds from our introspection."""
    operations = _operations()
    failures = {}
    for operation in operations:
        document = DocumentBuilder(contract, operation).document()
        errors = validate(live, parse(document))
        if errors:
            failures[operation.name] = [error.message for error in errors]
    assert len(operations) == 67
    assert not failures, failures


def test_listing_documents_pass_the_deprecated_filter(contract, live):
    for name in ("ProductListByCategory", "ProductListByCollection", "ProductListPaginated"):
        document = _document_of_operation_named(name)
        assert "filter: $filter" in document
        assert not validate(live, parse(document))


def test_checkout_document_selects_every_checkout_problem(contract, live):
    document = _document_of_operation_named("checkout")
    errors = validate(live, parse(document))
    assert not errors
    for member in SALEOR_UNION_MEMBERS["CheckoutProblem"]:
        assert member in {t.name for t in live.get_type("CheckoutProblem").types}


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["VN", "DE"])
def test_address_rules_name_address_input_fields(api_client, live, country):
    """The storefront renders `allowedFields` as AddressInput fields by name ("name" stands for
    first and last name); a required field it does not render would block the buyer."""
    document = _document_of_operation_named("addressValidationRules")
    rules = api_client.execute(document, {"countryCode": country})["data"]
    rules = rules["addressValidationRules"]
    input_fields = set(live.get_type("AddressInput").fields) | {"name"}
    assert set(rules["allowedFields"]) <= input_fields
    assert {"streetAddress1", "city"} <= set(rules["requiredFields"])
    assert set(rules["requiredFields"]) <= set(rules["allowedFields"])


def _document_of_operation_named(name):
    contract = contract_schema()
    (operation,) = [op for op in _operations() if op.name == name]
    return DocumentBuilder(contract, operation).document()


# Directive locations of the GraphQL spec (October 2021), all that graphql-js 16 can parse.
SPEC_2021_DIRECTIVE_LOCATIONS = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
}  # fmt: skip


def test_introspected_directives_stay_in_locations_graphql_js_parses(live):
    """The storefront's checkout codegen prints the introspected schema and parses it again with
    graphql-js 16: one unknown location ("Unexpected Name DIRECTIVE_DEFINITION") fails it."""
    locations = {
        directive.name: {location.name for location in directive.locations}
        for directive in live.directives
    }
    assert all(names <= SPEC_2021_DIRECTIVE_LOCATIONS for names in locations.values()), locations
    assert locations["deprecated"] == {
        "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE",
    }  # fmt: skip
