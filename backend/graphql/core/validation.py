"""Limits against abusive queries: maximum depth and an estimated cost.

Cost counts every selected field once per item its parent list may hold: a connection field
multiplies its subtree by its `first`/`last` (or the page limit when absent).
"""

from django.conf import settings
from graphene.validation import depth_limit_validator
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, ValidationRule
from graphql.language import IntValueNode, VariableNode

from backend.graphql.core.errors import QueryCostError


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


class QueryCostRule(ValidationRule):
    variables: dict = {}

    def enter_operation_definition(self, node, *_args):
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if definition.kind == "fragment_definition"
        }
        variables = self.variables
        cost = self._selection_cost(node.selection_set, fragments, variables, set())
        limit = settings.GRAPHQL_MAX_COMPLEXITY
        if cost > limit:
            self.report_error(
                QueryCostError(
                    f"The query exceeds the maximum cost of {limit} (estimated cost: {cost})."
                )
            )

    def _selection_cost(self, selection_set, fragments, variables, seen) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                multiplier = (
                    _int_argument(selection, "first", variables)
                    or _int_argument(selection, "last", variables)
                    or (settings.GRAPHQL_PAGINATION_LIMIT if _is_paginated(selection) else 1)
                )
                children = self._selection_cost(selection.selection_set, fragments, variables, seen)
                total += 1 + multiplier * children
            elif isinstance(selection, InlineFragmentNode):
                total += self._selection_cost(selection.selection_set, fragments, variables, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen or name not in fragments:
                    continue
                total += self._selection_cost(
                    fragments[name].selection_set, fragments, variables, seen | {name}
                )
        return total


def _is_paginated(node: FieldNode) -> bool:
    return any(arg.name.value in ("first", "last") for arg in node.arguments or ())


def validation_rules(variables: dict | None = None):
    """The rules for one request; `variables` give the real page sizes to the cost estimate."""
    cost_rule = type("QueryCostRule", (QueryCostRule,), {"variables": variables or {}})
    return [depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH), cost_rule]
