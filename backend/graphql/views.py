"""The /graphql/ endpoint: JWT authentication, deferred (batched) execution, query limits and
Saleor's error format."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseNotAllowed
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphene_django.views import HttpError
from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
)

from backend.account.jwt import InvalidToken, get_user_from_access_token
from backend.graphql.core.dataloaders import release_request_state
from backend.graphql.core.documents import parse_and_validate
from backend.graphql.core.execution import ExecutionContext
from backend.graphql.core.uploads import parse_multipart_request
from backend.graphql.core.validation import limit_errors


def _user_from_request(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("bearer", "jwt") or not token:
        return AnonymousUser()
    try:
        return get_user_from_access_token(token.strip())
    except InvalidToken as error:
        request.graphql_auth_error = error
        return AnonymousUser()


class GraphQLView(BaseGraphQLView):
    execution_context_class = ExecutionContext

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        # The API authenticates by token only: the endpoint is CSRF-exempt, so a browser session
        # must never act through it.
        request.user = SimpleLazyObject(lambda: _user_from_request(request))
        # Messages in the client's language: its Accept-Language (or the shop's language
        # cookie), Vietnamese when it names none we speak.
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    def parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data":
            return parse_multipart_request(request)
        return super().parse_body(request)

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            return super().execute_graphql_request(
                request, data, query, variables, operation_name, show_graphiql
            )
        schema = self.schema.graphql_schema
        document, errors = parse_and_validate(schema, query)
        if errors:
            return ExecutionResult(data=None, errors=list(errors))
        operation = get_operation_ast(document, operation_name)
        if (
            request.method.lower() == "get"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"],
                    f"Can only perform a {operation.operation.value} operation from a POST "
                    "request.",
                )
            )
        variables = variables if isinstance(variables, dict) else None
        errors = limit_errors(schema, query, variables)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        try:
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                # None rather than an empty chain: no per-field middleware wrapping at all.
                middleware=self.get_middleware(request) or None,
                execution_context_class=self.execution_context_class,
            )
        except Exception as error:  # reported to the client as a top-level error
            return ExecutionResult(errors=[error])
        finally:
            release_request_state(request)

    @staticmethod
    def format_error(error):
        formatted = BaseGraphQLView.format_error(error)
        if isinstance(error, GraphQLError):
            extensions = dict(formatted.get("extensions") or {})
            original = getattr(error, "original_error", None)
            code = extensions.get("code")
            if code is None:
                code = type(original).__name__ if original is not None else "GraphQLError"
                extensions["code"] = code
            extensions.setdefault("exception", {"code": code})
            formatted["extensions"] = extensions
        return formatted
