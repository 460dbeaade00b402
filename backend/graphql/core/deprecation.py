"""How the schema declares deprecated arguments and input fields: in the description, as Saleor
does, never as `isDeprecated`.

Introspection hides deprecated arguments and input fields unless a client asks with
`includeDeprecated: true`, and most (graphql-codegen among them) do not, so they would reject
documents still sending `filter` or `checkoutId`. Deprecated output fields and enum values keep
their `@deprecated`: default introspection lists those anyway.
"""

from graphql import (
    DirectiveLocation,
    GraphQLDeprecatedDirective,
    GraphQLDirective,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

# `@deprecated` where the GraphQL spec (October 2021) and graphql-js 16 put it. graphql-core
# 3.2.14 adds DIRECTIVE_DEFINITION, a location graphql-js 16 cannot parse, so codegen tools that
# print the introspected schema and read it back fail on it.
DEPRECATED_DIRECTIVE = GraphQLDirective(
    name=GraphQLDeprecatedDirective.name,
    locations=[
        DirectiveLocation.FIELD_DEFINITION,
        DirectiveLocation.ARGUMENT_DEFINITION,
        DirectiveLocation.INPUT_FIELD_DEFINITION,
        DirectiveLocation.ENUM_VALUE,
    ],
    args=GraphQLDeprecatedDirective.args,
    description=GraphQLDeprecatedDirective.description,
)


def _describe_as_deprecated(element) -> None:
    reason = element.deprecation_reason
    if reason is None:
        return
    notice = f"DEPRECATED: {reason}" if reason else "DEPRECATED."
    element.description = f"{element.description} {notice}" if element.description else notice
    element.deprecation_reason = None


def declare_input_deprecation_in_descriptions(schema: GraphQLSchema) -> GraphQLSchema:
    """Move every argument's and input field's deprecation reason into its description."""
    for named_type in schema.type_map.values():
        if isinstance(named_type, GraphQLObjectType | GraphQLInterfaceType):
            for field in named_type.fields.values():
                for argument in field.args.values():
                    _describe_as_deprecated(argument)
        elif isinstance(named_type, GraphQLInputObjectType):
            for input_field in named_type.fields.values():
                _describe_as_deprecated(input_field)
    schema.directives = tuple(
        DEPRECATED_DIRECTIVE if directive.name == DEPRECATED_DIRECTIVE.name else directive
        for directive in schema.directives
    )
    return schema
