"""The /graphql/ endpoint: JWT authentication, deferred (batched) execution, query limits and
Saleor's error format."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphql import GraphQLError

from backend.account.jwt import InvalidToken, get_user_from_access_token
from backend.graphql.core.execution import ExecutionContext
from backend.graphql.core.validation import validation_rules


def _user_from_request(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("bearer", "jwt") or not token:
        return getattr(request, "_session_user", None) or AnonymousUser()
    try:
        return get_user_from_access_token(token.strip())
    except InvalidToken as error:
        request.graphql_auth_error = str(error)
        return AnonymousUser()


class GraphQLView(BaseGraphQLView):
    execution_context_class = ExecutionContext

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validation_rules", validation_rules())
        super().__init__(*args, **kwargs)

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        # A token in the Authorization header wins over the browser session; without a token
        # the API is anonymous for cross-site safety unless the session belongs to staff.
        session_user = getattr(request, "user", None)
        request._session_user = session_user if getattr(session_user, "is_staff", False) else None
        request.user = SimpleLazyObject(lambda: _user_from_request(request))
        return super().dispatch(request, *args, **kwargs)

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
