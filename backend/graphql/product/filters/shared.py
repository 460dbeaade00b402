"""What the catalogue's filter inputs share: global IDs as primary keys, `filter` and `where`
given together refused (as Saleor does), metadata, IDs and names of categories and collections."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from backend.core.ids import pks_from_global_ids
from backend.graphql.attribute.filters import metadata_q
from backend.graphql.core.errors import SaleorGraphQLError

PREORDER_DEPRECATION = (
    "Preorder is deprecated and will be removed. Model pre-sales with regular stock instead: "
    "create the planned quantity in a warehouse, or set `trackInventory` to false to sell "
    "without a stock limit."
)


def pks(values, type_name: str, field: str) -> tuple[int, ...]:
    try:
        return tuple(pks_from_global_ids(values, type_name, field))
    except ValidationError as error:
        raise SaleorGraphQLError(error.messages[0]) from error


def global_id_filter(value, type_name: str, field: str) -> tuple[int, ...] | None:
    """A `GlobalIDFilterInput` (`eq` or `oneOf`) as primary keys; None without either."""
    if not value:
        return None
    if value.get("eq") is not None:
        return pks([value["eq"]], type_name, field)
    if value.get("one_of") is not None:
        return pks(value["one_of"], type_name, field)
    return None


def require_one_filter(filter, where):
    """Saleor rejects `filter` and `where` given together."""
    if filter and where:
        raise SaleorGraphQLError("Only one filtering argument (filter or where) can be specified.")


def metadata_where_q(where, type_name: str, nested_q) -> Q:
    if not where:
        return Q()
    q = metadata_q(where.get("metadata"))
    if where.get("ids") is not None:
        q &= Q(pk__in=pks(where["ids"], type_name, "ids"))
    for nested in where.get("AND") or []:
        q &= nested_q(nested)
    if where.get("OR"):
        any_of = Q(pk__in=[])
        for nested in where["OR"]:
            any_of |= nested_q(nested)
        q &= any_of
    return q


def named_filter_q(values, type_name: str) -> Q:
    if not values:
        return Q()
    q = metadata_q(values.get("metadata"))
    if values.get("ids") is not None:
        q &= Q(pk__in=pks(values["ids"], type_name, "ids"))
    if values.get("slugs") is not None:
        q &= Q(slug__in=values["slugs"])
    search = values.get("search")
    if search:
        q &= Q(name__icontains=search) | Q(slug__icontains=search)
    return q
