"""Base64 global IDs (`Product:12`), as Saleor and Relay use them: the public ids of the API,
which webhook payloads, error params and the shop's forms carry too."""

import binascii
import uuid

from django.core.exceptions import ValidationError
from graphql_relay import from_global_id, to_global_id


def global_id(type_name: str, pk) -> str:
    return to_global_id(type_name, str(pk))


def resolve_global_id(value: str, only_type: str | None = None) -> tuple[str, str] | None:
    """Return (type, pk) or None when `value` is not a valid global ID (of `only_type`)."""
    try:
        type_name, pk = from_global_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
    if not type_name or not pk or (only_type and type_name != only_type):
        return None
    if not pk.isdigit():
        return None
    return type_name, pk


def pk_from_global_id(value: str | None, only_type: str) -> int | None:
    """The primary key in `value`, or None when it is not a valid `only_type` ID."""
    if not value:
        return None
    resolved = resolve_global_id(value, only_type)
    return int(resolved[1]) if resolved else None


def pks_from_global_ids(values, only_type: str, field: str) -> list[int]:
    """Primary keys of a list of IDs; a ValidationError names `field` when one is invalid."""
    pks = []
    for value in values or []:
        pk = pk_from_global_id(value, only_type)
        if pk is None:
            raise ValidationError(
                {field: ValidationError(f"Couldn't resolve id: {value}.", code="graphql_error")}
            )
        pks.append(pk)
    return pks


def uuid_from_global_id(value: str | None, only_type: str) -> uuid.UUID | None:
    """The UUID primary key in `value` (checkouts, orders, transactions), or None when `value`
    is not a valid `only_type` ID."""
    if not value:
        return None
    try:
        type_name, pk = from_global_id(value)
        if type_name != only_type:
            return None
        return uuid.UUID(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
