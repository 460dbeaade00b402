"""Parsed and spec-validated documents, cached by query text.

Storefronts send the same few operations over and over; parsing and the GraphQL specification's
validation depend only on the text (the schema is fixed per process), so each is done once.
The per-request limits (depth, cost from the request's variables) are checked separately.
"""

from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate


@lru_cache(maxsize=1024)
def parse_and_validate(
    schema: GraphQLSchema, query: str
) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    return document, tuple(validate(schema, document))
