"""Limits against abusive queries: maximum depth and an estimated cost, in one pass.

Cost counts every selected field once per item its parent list may hold: a connection field
multiplies its subtree by its `first`/`last` (or the page limit when absent). Depth counts nested
fields; introspection fields (`__schema`, `__type`, …) are not limited.
"""

from dataclasses import dataclass

from django.conf import settings
from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode, ValidationRule
from graphql.language import IntValueNode, VariableNode

from backend.graphql.core.errors import QueryCostError


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


def _is_paginated(node: FieldNode) -> bool:
    return any(arg.name.value in ("first", "last") for arg in node.arguments or ())


class QueryLimitsRule(ValidationRule):
    variables: dict = {}

    def enter_operation_definition(self, node, *_args):
        self.fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if definition.kind == "fragment_definition"
        }
        measure = self._measure(node.selection_set, frozenset())
        name = node.name.value if node.name else "anonymous"
        if measure.depth > settings.GRAPHQL_MAX_DEPTH:
            self.report_error(
                GraphQLError(
                    f"'{name}' exceeds maximum operation depth of {settings.GRAPHQL_MAX_DEPTH}.",
                    [node],
                )
            )
        limit = settings.GRAPHQL_MAX_COMPLEXITY
        if measure.cost > limit:
            self.report_error(
                QueryCostError(
                    f"The query exceeds the maximum cost of {limit} "
                    f"(estimated cost: {measure.cost})."
                )
            )

    def _measure(self, selection_set, seen_fragments) -> _Measure:
        total = _Measure()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                multiplier = (
                    _int_argument(selection, "first", self.variables)
                    or _int_argument(selection, "last", self.variables)
                    or (settings.GRAPHQL_PAGINATION_LIMIT if _is_paginated(selection) else 1)
                )
                inner = self._measure(selection.selection_set, seen_fragments)
                total.cost += 1 + multiplier * inner.cost
                total.depth = max(total.depth, 1 + inner.depth)
                continue
            if isinstance(selection, InlineFragmentNode):
                inner = self._measure(selection.selection_set, seen_fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen_fragments or name not in self.fragments:
                    continue
                inner = self._measure(self.fragments[name].selection_set, seen_fragments | {name})
            else:
                continue
            total.cost += inner.cost
            total.depth = max(total.depth, inner.depth)
        return total


def validation_rules(variables: dict | None = None):
    """The rules for one request; `variables` give the real page sizes to the cost estimate."""
    return [type("QueryLimitsRule", (QueryLimitsRule,), {"variables": variables or {}})]
