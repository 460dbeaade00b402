"""Our schema must be a superset of the API contract (what Saleor's storefront uses).

`find_breaking_changes(contract, ours)` lists everything the storefront would trip on — catalog,
content, account, checkout, orders and payments alike. Nothing may be missing or typed differently.
"""

import re

import pytest
from graphql import BreakingChangeType, find_breaking_changes, is_scalar_type

from tests.contract import contract_file, contract_schema

_TYPE_NAME = re.compile(r"^(?P<type>\w+) changed from")


def _is_scalar_implementation_change(change, contract, ours) -> bool:
    """graphene's scalars are GraphQLScalarType subclasses, which graphql-core reports as a
    change of kind although both sides are the same kind of scalar."""
    if change.type != BreakingChangeType.TYPE_CHANGED_KIND:
        return False
    name = _TYPE_NAME.match(change.description).group("type")
    return is_scalar_type(contract.get_type(name)) and is_scalar_type(ours.get_type(name))


@pytest.fixture(scope="module")
def contract():
    return contract_schema()


def test_schema_is_a_superset_of_the_contract(contract):
    from backend.graphql.api import schema

    ours = schema.graphql_schema
    breaks = [
        change.description
        for change in find_breaking_changes(contract, ours)
        if not _is_scalar_implementation_change(change, contract, ours)
    ]
    assert not breaks, "Breaking changes against the storefront contract:\n" + "\n".join(breaks)


def test_every_storefront_operation_root_field_exists(contract):
    """Each of the storefront's 67 operations calls root fields our schema has."""
    from backend.graphql.api import schema

    operations = contract_file("saleor-storefront-operations.tsv").read_text()
    ours = schema.graphql_schema
    for row in operations.splitlines():
        if row.startswith("#") or not row.strip():
            continue
        name, kind, root_fields = row.split("\t")[:3]
        root = ours.query_type if kind == "query" else ours.mutation_type
        for field in root_fields.split(","):
            field_name = field.split(":")[-1].strip()
            assert field_name in root.fields, f"{name}: {kind} {field_name}"
