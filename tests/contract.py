"""The API contract files of `../shared/reference/` (next to the repository; `CONTRACT_DIR`
overrides where a checkout lives elsewhere), and the schema clients build from our live
introspection."""

import os
from pathlib import Path

import pytest
from django.test import Client
from graphql import GraphQLSchema, build_client_schema, build_schema, get_introspection_query

REPO_ROOT = Path(__file__).resolve().parents[1]
CONTRACT_DIR = Path(os.environ.get("CONTRACT_DIR", REPO_ROOT.parent / "shared/reference"))


def contract_file(name: str) -> Path:
    path = CONTRACT_DIR / name
    if not path.exists():
        pytest.skip(f"The API contract file {name} is not available at {path}")
    return path


# The contract file leaves @deprecated to the schema builder, and graphql-core 3.2.14's built-in
# adds DIRECTIVE_DEFINITION, which Saleor's schema (and graphql-js 16, its clients) do not have.
SPEC_DEPRECATED_DIRECTIVE = (
    'directive @deprecated(reason: String = "No longer supported") '
    "on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE\n"
)


def contract_schema() -> GraphQLSchema:
    """The storefront contract as Saleor serves it."""
    return build_schema(
        SPEC_DEPRECATED_DIRECTIVE + contract_file("saleor-storefront.graphql").read_text()
    )


def live_introspection_schema():
    """What graphql-codegen sees: the default introspection query posted to /graphql/."""
    response = Client().post(
        "/graphql/", {"query": get_introspection_query()}, content_type="application/json"
    )
    result = response.json()
    assert "errors" not in result, result.get("errors")
    return build_client_schema(result["data"])
