"""Relay connections with Saleor's names and keyset (cursor) pagination.

Cursors encode the values of the sort keys of a row (the last key is always the primary key), so
paging is stable under every sort order and costs one indexed query whatever the page number.
"""

import base64
import datetime
import decimal
import json
import uuid
from functools import reduce

import graphene
from django.conf import settings
from django.db.models import Count, Q, QuerySet, Window

from backend.graphql.core.errors import SaleorGraphQLError


class CountableConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(
        description="A total count of items in the collection. A list with a counting limit "
        "(buyers' product lists count up to 1,000) stops there, and `totalCountExact` is false."
    )
    total_count_exact = graphene.Boolean(
        required=True,
        description="False when `totalCount` stopped at the list's counting limit: at least "
        "that many items match.",
    )

    @staticmethod
    def resolve_total_count(root, _info):
        return _counted(root)[0]

    @staticmethod
    def resolve_total_count_exact(root, _info):
        return _counted(root)[1]


def _counted(connection) -> tuple[int, bool]:
    """(count, exact) for a connection, counted once: with `count_limit`, no further than one
    row past the limit, which is what makes counting a large list cheap."""
    if not hasattr(connection, "counted"):
        limit = getattr(connection, "count_limit", None)
        if limit is None:
            connection.counted = (connection.count_queryset.count(), True)
        else:
            connection.counted = _limited(connection.count_queryset[: limit + 1].count(), limit)
    return connection.counted


def _limited(found: int, limit: int | None) -> tuple[int, bool]:
    """The same answer on every page: a first page that counted all its rows still stops at
    the limit."""
    if limit is None or found <= limit:
        return found, True
    return limit, False


def connection_args(**extra):
    """Arguments of a paginated field, in Saleor's order: the field's own, then paging."""
    return {
        **extra,
        "before": graphene.String(
            description="Return the elements in the list that come before the specified cursor."
        ),
        "after": graphene.String(
            description="Return the elements in the list that come after the specified cursor."
        ),
        "first": graphene.Int(description="Retrieve the first n elements from the list."),
        "last": graphene.Int(description="Retrieve the last n elements from the list."),
    }


def _encode_cursor(values: list) -> str:
    return base64.b64encode(json.dumps(values, default=_json_default).encode()).decode()


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"Cannot encode {type(value)} in a cursor")


def _decode_cursor(cursor: str, size: int) -> list:
    try:
        values = json.loads(base64.b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise SaleorGraphQLError(f"Received cursor ({cursor}) is invalid.") from exc
    if not isinstance(values, list) or len(values) != size:
        raise SaleorGraphQLError(f"Received cursor ({cursor}) is invalid.")
    return values


def _validate_page_args(first, last, after, before, field_name: str):
    limit = settings.GRAPHQL_PAGINATION_LIMIT
    if first is None and last is None:
        raise SaleorGraphQLError(
            f"You must provide a `first` or `last` value to properly paginate the "
            f"`{field_name}` connection."
        )
    if first is not None and last is not None:
        raise SaleorGraphQLError(
            f"Including a `first` and `last` value to paginate the `{field_name}` connection "
            "is not supported."
        )
    for name, value in (("first", first), ("last", last)):
        if value is None:
            continue
        if value < 0:
            raise SaleorGraphQLError(f"Argument `{name}` must be a non-negative integer.")
        if value > limit:
            raise SaleorGraphQLError(
                f"Requesting {value} records on the `{field_name}` connection exceeds the "
                f"`{name}` limit of {limit} records."
            )
    if after and before:
        raise SaleorGraphQLError("Using `after` and `before` together is not supported.")


def _seek_filter(sort_fields: list[str], values: list, forward: bool) -> Q:
    """Rows strictly after (`forward`) or before the row whose sort values are `values`."""
    lookup = "gt" if forward else "lt"
    conditions = []
    for index, field in enumerate(sort_fields):
        equal = {sort_fields[i]: values[i] for i in range(index)}
        conditions.append(Q(**equal, **{f"{field}__{lookup}": values[index]}))
    return reduce(lambda a, b: a | b, conditions)


def paginate(
    queryset: QuerySet,
    connection_type,
    *,
    sort_fields: list[str],
    descending: bool = False,
    first=None,
    last=None,
    after=None,
    before=None,
    field_name: str = "",
    count_queryset: QuerySet | None = None,
    key: str = "pk",
    load_nodes=None,
    count_limit: int | None = None,
    total_field: str | None = None,
    total: tuple[int, bool] | None = None,
    **_unused,
):
    """Slice `queryset` into a connection, ordered by `sort_fields` (none may be NULL) and
    `key` (unique). `load_nodes(rows)` turns the page's rows into its nodes, in order (None for
    a row whose node is gone), when the rows only point at them. `totalCount` stops at
    `count_limit` when one is given; `total_field` names an annotation of the rows holding the
    number of rows matching (a window count), which gives it without a query of its own on a
    first page (on later pages the rows no longer see the ones before the cursor). `total`:
    (count, exact) when the caller knows it already. A first page that holds the whole list
    is its own count."""
    _validate_page_args(first, last, after, before, field_name)
    if sort_fields[-1] != key:
        sort_fields = [*sort_fields, key]
    cursor = after or before
    backwards = last is not None
    limit = first if first is not None else last
    # Walking backwards means reading in the opposite order and reversing the page.
    reverse_read = descending != backwards
    ordering = [f"-{f}" if reverse_read else f for f in sort_fields]
    rows_qs = queryset.order_by(*ordering)
    if cursor:
        values = _decode_cursor(cursor, len(sort_fields))
        forward = (after is not None) != descending
        rows_qs = rows_qs.filter(_seek_filter(sort_fields, values, forward))
    elif total_field is not None and limit:
        rows_qs = rows_qs.annotate(**{total_field: Window(Count("*"))})
    rows = list(rows_qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    edge_type = connection_type.Edge
    nodes = load_nodes(rows) if load_nodes is not None else rows
    edges = [
        edge_type(node=node, cursor=_encode_cursor([_value(row, f) for f in sort_fields]))
        for row, node in zip(rows, nodes, strict=True)
        if node is not None
    ]
    page_info = graphene.relay.PageInfo(
        has_next_page=has_more if not backwards else bool(before),
        has_previous_page=has_more if backwards else bool(after),
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.count_queryset = count_queryset if count_queryset is not None else queryset
    connection.count_limit = count_limit
    if total is not None:
        connection.counted = total
    elif not cursor and not has_more:  # the whole list is on this page: no count query
        connection.counted = _limited(len(rows), count_limit)
    elif total_field is not None and limit and not cursor:
        connection.counted = _limited(getattr(rows[0], total_field) if rows else 0, count_limit)
    return connection


def _value(row, field: str):
    if field == "pk":
        return row.pk
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


def paginate_list(
    items: list,
    connection_type,
    *,
    first=None,
    last=None,
    after=None,
    before=None,
    field_name: str = "",
    **_unused,
):
    """Paginate an in-memory list (already loaded by a dataloader) by position."""
    _validate_page_args(first, last, after, before, field_name)
    start, end = 0, len(items)
    if after:
        start = _decode_cursor(after, 1)[0] + 1
    if before:
        end = _decode_cursor(before, 1)[0]
    if first is not None:
        window = range(start, min(end, start + first))
    else:
        window = range(max(start, end - last), end)
    edges = [
        connection_type.Edge(node=items[i], cursor=_encode_cursor([i]))
        for i in window
        if 0 <= i < len(items)
    ]
    page_info = graphene.relay.PageInfo(
        has_next_page=bool(window) and window[-1] + 1 < end,
        has_previous_page=bool(window) and window[0] > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.count_queryset = _ListCount(items)
    return connection


class _ListCount:
    def __init__(self, items):
        self._items = items

    def count(self):
        return len(self._items)
