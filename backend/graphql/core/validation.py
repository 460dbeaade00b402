"""Limits against abusive queries: maximum depth and an estimated cost, in one pass.

Cost counts every selected field once per item its parent list may hold: a connection field
multiplies its subtree by its `first`/`last` (or the page limit when absent). Fields that do work
beyond the rows they return cost that work too (`FIELD_WORK`, `SEARCH_WORK`), so a document
asking for a thousand facet counts or searches is refused before any of them runs. Depth counts
nested fields; introspection fields (`__schema`, `__type`, …) are not limited.

The answer depends only on the query text, the integer variables (page sizes) and the limits,
so it is worked out once per combination and cached, like parsing and spec validation.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
)
from graphql.language import IntValueNode, NullValueNode, ObjectValueNode, VariableNode

from backend.graphql.core.documents import parse_and_validate
from backend.graphql.core.errors import QueryCostError

# The work of a field beyond the rows it returns, in the unit of one returned field: the facets
# count every product matching their filter several ways (categories, stars, prices, stock).
FIELD_WORK = {"productFacets": 2_000}
# A search (`search:` or `filter: {search:}`) corrects its words and ranks every match.
SEARCH_WORK = 2_000
# Stands in the cache key for a variable holding a filter with a search.
_SEARCHING = "searching"


@dataclass
class _Measure:
    cost: int = 0
    depth: int = 0


def _int_argument(node: FieldNode, name: str, variables: dict):
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            raw = variables.get(value.name.value)
            return raw if isinstance(raw, int) else None
    return None


def _searches(node: FieldNode, variables: dict) -> bool:
    """Whether the field is given a search: a `search` argument that is not null, or a
    `filter` holding one (inline, or in a variable that `limit_errors` marked)."""
    for argument in node.arguments or ():
        value = argument.value
        if argument.name.value == "search" and not isinstance(value, NullValueNode):
            return True
        if argument.name.value != "filter":
            continue
        if isinstance(value, ObjectValueNode):
            if any(field.name.value == "search" for field in value.fields):
                return True
        elif isinstance(value, VariableNode) and variables.get(value.name.value) == _SEARCHING:
            return True
    return False


def _work(node: FieldNode, variables: dict) -> int:
    return FIELD_WORK.get(node.name.value, 0) + (SEARCH_WORK if _searches(node, variables) else 0)


def _is_paginated(node: FieldNode) -> bool:
    return any(arg.name.value in ("first", "last") for arg in node.arguments or ())


def _measure(selection_set, fragments: dict, variables: dict, seen_fragments) -> _Measure:
    total = _Measure()
    if selection_set is None:
        return total
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            multiplier = (
                _int_argument(selection, "first", variables)
                or _int_argument(selection, "last", variables)
                or (settings.GRAPHQL_PAGINATION_LIMIT if _is_paginated(selection) else 1)
            )
            inner = _measure(selection.selection_set, fragments, variables, seen_fragments)
            total.cost += 1 + _work(selection, variables) + multiplier * inner.cost
            total.depth = max(total.depth, 1 + inner.depth)
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = _measure(selection.selection_set, fragments, variables, seen_fragments)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen_fragments or name not in fragments:
                continue
            inner = _measure(
                fragments[name].selection_set, fragments, variables, seen_fragments | {name}
            )
        else:
            continue
        total.cost += inner.cost
        total.depth = max(total.depth, inner.depth)
    return total


def _operation_errors(operation, fragments: dict, variables: dict) -> list[GraphQLError]:
    measure = _measure(operation.selection_set, fragments, variables, frozenset())
    name = operation.name.value if operation.name else "anonymous"
    errors = []
    if measure.depth > settings.GRAPHQL_MAX_DEPTH:
        errors.append(
            GraphQLError(
                f"'{name}' exceeds maximum operation depth of {settings.GRAPHQL_MAX_DEPTH}.",
                [operation],
            )
        )
    limit = settings.GRAPHQL_MAX_COMPLEXITY
    if measure.cost > limit:
        errors.append(
            QueryCostError(
                f"The query exceeds the maximum cost of {limit} (estimated cost: {measure.cost})."
            )
        )
    return errors


def limit_errors(schema: GraphQLSchema, query: str, variables: dict | None) -> list[GraphQLError]:
    """Depth and cost errors of `query` (already parsed and valid) with these variables."""
    page_sizes = tuple(
        sorted(
            (name, value if type(value) is int else _SEARCHING)
            for name, value in (variables or {}).items()
            if type(value) is int or (isinstance(value, dict) and value.get("search"))
        )
    )
    limits = (
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_COMPLEXITY,
        settings.GRAPHQL_PAGINATION_LIMIT,
    )
    return list(_cached_limit_errors(schema, query, page_sizes, limits))


@lru_cache(maxsize=1024)
def _cached_limit_errors(schema, query, page_sizes, limits) -> tuple[GraphQLError, ...]:
    del limits  # part of the key only: the settings they come from are read below
    document, _errors = parse_and_validate(schema, query)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if definition.kind == "fragment_definition"
    }
    variables = dict(page_sizes)
    errors = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            errors += _operation_errors(definition, fragments, variables)
    return tuple(errors)
