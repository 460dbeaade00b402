"""File uploads over GraphQL: the `Upload` scalar and the GraphQL multipart request spec
(https://github.com/jaydenseric/graphql-multipart-request-spec), as Saleor supports them.

A multipart request carries `operations` (the JSON body of an ordinary request, or a list of
them for a batch), `map` (file part name → list of variable paths such as
`variables.image` or `0.variables.image`) and the file parts. As in Saleor, each mapped variable
receives the file part's *name*; mutations take the file from `info.context.FILES` with
`get_uploaded_file`, so variables stay plain JSON.
"""

import json

import graphene
from django.http import HttpResponseBadRequest
from graphene_django.views import HttpError


class Upload(graphene.types.Scalar):
    """Variables of this type must be set to null in mutations. They will be replaced with a
    filename from a following multipart part containing a binary file. See:
    https://github.com/jaydenseric/graphql-multipart-request-spec."""

    @staticmethod
    def serialize(value):
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return node.value if hasattr(node, "value") else None

    @staticmethod
    def parse_value(value):
        return value


def _bad_request(message: str) -> HttpError:
    return HttpError(HttpResponseBadRequest(message))


def _load_json(request, key: str):
    raw = request.POST.get(key)
    if raw is None:
        raise _bad_request(f"Multipart request is missing the '{key}' field.")
    try:
        return json.loads(raw)
    except ValueError:
        raise _bad_request(f"Multipart '{key}' field is not valid JSON.") from None


def _place(operations, path: str, value) -> None:
    *parents, last = path.split(".")
    target = operations
    try:
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        elif isinstance(target, dict):
            target[last] = value
        else:
            raise TypeError
    except (KeyError, IndexError, ValueError, TypeError):
        raise _bad_request(f"Multipart map path '{path}' does not match the operations.") from None


def parse_multipart_request(request):
    """The operations of a multipart GraphQL request with each mapped variable set to its file
    part's name. Requests without `operations` (plain form posts) are returned as they came."""
    if "operations" not in request.POST:
        return request.POST
    operations = _load_json(request, "operations")
    files_map = _load_json(request, "map")
    if not isinstance(operations, dict | list) or not isinstance(files_map, dict):
        raise _bad_request("Multipart 'operations' or 'map' has the wrong shape.")
    for part_name, paths in files_map.items():
        if part_name not in request.FILES:
            raise _bad_request(f"Multipart file part '{part_name}' is missing.")
        if not isinstance(paths, list):
            raise _bad_request("Multipart 'map' values must be lists of paths.")
        for path in paths:
            _place(operations, str(path), part_name)
    return operations


def get_uploaded_file(info, value):
    """The uploaded file an `Upload` argument names, or None."""
    if not value:
        return None
    return info.context.FILES.get(value)
