"""Top-level GraphQL errors with Saleor's codes and the `extensions` shape its clients read."""

import graphene
from graphql import GraphQLError


class SaleorGraphQLError(GraphQLError):
    """A top-level error whose `extensions` carry both `code` and `exception.code`."""

    code = "GraphQLError"

    def __init__(self, message, code=None, **kwargs):
        code = code or self.code
        super().__init__(message, extensions={"code": code, "exception": {"code": code}}, **kwargs)


class PermissionDenied(SaleorGraphQLError):
    code = "PermissionDenied"

    def __init__(self, message=None, permissions=None):
        if message is None:
            if permissions:
                names = ", ".join(p.name for p in permissions)
                message = f"You need one of the following permissions: {names}"
            else:
                message = "You do not have permission to perform this action"
        super().__init__(message)


class QueryCostError(SaleorGraphQLError):
    code = "QueryCostError"


class InvalidTokenError(SaleorGraphQLError):
    code = "InvalidTokenError"


def error_type(name: str, code_enum, extra_fields: dict | None = None):
    """Build a Saleor-style error type: `field`, `message`, `code` (+ extras)."""
    fields = {
        "field": graphene.String(
            description="Name of a field that caused the error. A value of `null` indicates that "
            "the error isn't associated with a particular field."
        ),
        "message": graphene.String(description="The error message."),
        "code": graphene.Field(code_enum, required=True, description="The error code."),
        **(extra_fields or {}),
    }
    return type(name, (graphene.ObjectType,), fields)
