"""How the schema declares deprecated arguments and input fields: in the description, as Saleor
does, never as `isDeprecated`.

Introspection hides deprecated arguments and input fields unless a client asks with
`includeDeprecated: true`, and most (graphql-codegen among them) do not, so they would reject
documents still sending `filter` or `checkoutId`. Deprecated output fields and enum values keep
their `@deprecated`: default introspection lists those anyway.
"""

from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema


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
    return schema
