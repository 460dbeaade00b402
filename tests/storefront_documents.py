"""Stand-ins for Saleor's storefront operations, built from the contract.

We may not commit the storefront's own documents. The contract lists, for every object type,
exactly the fields the storefront selects, and the operations file each operation's variables
and root fields; from both this builds, per operation, a document declaring its variables,
calling its root fields and selecting the contract's fields (a fragment per union or interface
member), with each variable passed where the storefront passes it: an argument of its name
(at the root or deeper), else the root argument of its type, else a field of its name in a root
input argument.
"""

from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationType,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_type_sub_type_of,
    parse,
    type_from_ast,
)

MAX_DEPTH = 10


@dataclass
class Operation:
    name: str
    kind: str
    root_fields: list[tuple[str, str]]  # (alias, field)
    variables: str  # "$id: ID!, $first: Int = 20"


def read_operations(tsv: str) -> list[Operation]:
    operations = []
    for row in tsv.splitlines():
        if row.startswith("#") or not row.strip():
            continue
        name, kind, root_fields, _source, *rest = row.split("\t")
        fields = []
        for item in root_fields.split(","):
            alias, _, field = item.strip().rpartition(":")
            fields.append((alias or field, field))
        operations.append(Operation(name, kind, fields, rest[0].strip() if rest else ""))
    return operations


class DocumentBuilder:
    """Builds one operation's document from the contract (to validate against our schema)."""

    def __init__(self, contract: GraphQLSchema, operation: Operation):
        self.contract = contract
        self.operation = operation
        self.variables = self._variable_types()
        self.used_deeper: set[str] = set()

    def _variable_types(self) -> dict:
        if not self.operation.variables:
            return {}
        definitions = parse(f"query Q({self.operation.variables}) {{ __typename }}")
        found = {}
        for definition in definitions.definitions[0].variable_definitions:
            var_type = type_from_ast(self.contract, definition.type)
            if definition.default_value is not None and var_type is not None:
                var_type = GraphQLNonNull(var_type)
            found[definition.variable.name.value] = var_type
        return found

    def _fits(self, name: str, location_type) -> bool:
        var_type = self.variables.get(name)
        return var_type is not None and is_type_sub_type_of(self.contract, var_type, location_type)

    def document(self) -> str:
        root_type = self.contract.get_root_type(self._operation_type())
        selections = []
        for alias, field_name in self.operation.root_fields:
            field = root_type.fields[field_name]
            selection = self._selection_set(field.type, MAX_DEPTH, ())
            arguments = self._root_arguments(field)
            head = field_name if alias == field_name else f"{alias}: {field_name}"
            selections.append(f"{head}{arguments}{selection}")
        declared = f"({self.operation.variables})" if self.operation.variables else ""
        return (
            f"{self.operation.kind} {self.operation.name}{declared} {{\n"
            + "\n".join(selections)
            + "\n}"
        )

    def _operation_type(self):
        return OperationType.QUERY if self.operation.kind == "query" else OperationType.MUTATION

    def _root_arguments(self, field) -> str:
        values = {}
        placed = set(self.used_deeper)
        for name, arg in field.args.items():
            if self._fits(name, arg.type):
                values[name] = f"${name}"
                placed.add(name)
        for var_name in self.variables:
            if var_name in placed:
                continue
            matching = [
                name
                for name, arg in field.args.items()
                if name not in values and self._fits(var_name, arg.type)
            ]
            if len(matching) == 1:
                values[matching[0]] = f"${var_name}"
                placed.add(var_name)
        for name, arg in field.args.items():
            input_type = get_named_type(arg.type)
            if name in values or not isinstance(input_type, GraphQLInputObjectType):
                continue
            inner = self._input_fields_from_variables(input_type, placed)
            if inner:
                values[name] = self._object_literal(input_type, inner)
        for name, arg in field.args.items():
            if name not in values and isinstance(arg.type, GraphQLNonNull):
                values[name] = self._literal(arg.type)
        return self._format_arguments(values)

    def _input_fields_from_variables(self, input_type: GraphQLInputObjectType, placed) -> dict:
        """Fields of a root input argument taken from variables: by name, else by type
        (`sortBy: {field: $sortBy, direction: $sortDirection}`)."""
        inner = {
            name: f"${name}"
            for name, input_field in input_type.fields.items()
            if name not in placed and self._fits(name, input_field.type)
        }
        for var_name in self.variables:
            if var_name in placed or var_name in inner:
                continue
            matching = [
                name
                for name, input_field in input_type.fields.items()
                if name not in inner and self._fits(var_name, input_field.type)
            ]
            if len(matching) == 1:
                inner[matching[0]] = f"${var_name}"
        placed.update(value[1:] for value in inner.values())
        return inner

    @staticmethod
    def _format_arguments(values: dict) -> str:
        if not values:
            return ""
        return "(" + ", ".join(f"{name}: {value}" for name, value in values.items()) + ")"

    def _object_literal(self, input_type: GraphQLInputObjectType, given: dict) -> str:
        values = dict(given)
        for name, input_field in input_type.fields.items():
            if name not in values and isinstance(input_field.type, GraphQLNonNull):
                values[name] = self._literal(input_field.type)
        return "{" + ", ".join(f"{name}: {value}" for name, value in values.items()) + "}"

    def _literal(self, type_) -> str:
        """A value of a required argument the storefront passes as a constant."""
        if isinstance(type_, GraphQLNonNull):
            return self._literal(type_.of_type)
        if isinstance(type_, GraphQLList):
            return "[]"
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            return self._object_literal(type_, {})
        return {"Int": "1", "Float": "1", "Boolean": "true"}.get(type_.name, '"x"')

    def _nested_arguments(self, field) -> str:
        values = {}
        for name, arg in field.args.items():
            if self._fits(name, arg.type):
                values[name] = f"${name}"
                self.used_deeper.add(name)
            elif isinstance(arg.type, GraphQLNonNull):
                values[name] = self._literal(arg.type)
        return self._format_arguments(values)

    def _selection_set(self, type_, depth: int, path: tuple) -> str:
        named = get_named_type(type_)
        if is_leaf_type(named):
            return ""
        if is_abstract_type(named):
            # Members' fields are aliased per member: same names may have different types.
            fragments = [
                f"... on {member.name} {{ __typename "
                + " ".join(self._fields(member, depth, path, alias=f"{member.name}_"))
                + " }"
                for member in self.contract.get_possible_types(named)
            ]
            return " { __typename " + " ".join(fragments) + " }"
        return " { " + " ".join(["__typename", *self._fields(named, depth, path)]) + " }"

    def _fields(
        self, object_type: GraphQLObjectType, depth: int, path: tuple, alias: str = ""
    ) -> list[str]:
        selected = []
        for name, field in object_type.fields.items():
            child = get_named_type(field.type)
            if not is_leaf_type(child) and (depth <= 1 or child.name in path):
                continue
            arguments = self._nested_arguments(field)
            inner = self._selection_set(field.type, depth - 1, (*path, object_type.name))
            head = f"{alias}{name}: {name}" if alias else name
            selected.append(f"{head}{arguments}{inner}")
        return selected
