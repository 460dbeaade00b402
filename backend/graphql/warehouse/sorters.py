"""`warehouses(sortBy: WarehouseSortingInput)`."""

import graphene

from backend.graphql.core.enums import OrderDirection


class WarehouseSortField(graphene.Enum):
    NAME = "NAME"


class WarehouseSortingInput(graphene.InputObjectType):
    direction = graphene.Field(
        OrderDirection,
        required=True,
        description="Specifies the direction in which to sort warehouses.",
    )
    field = graphene.Field(
        WarehouseSortField, required=True, description="Sort warehouses by the selected field."
    )


def warehouse_sort(sort_by) -> tuple[list[str], bool]:
    """(sort fields, descending) of a `WarehouseSortingInput`; by name when none is given."""
    direction = sort_by.get("direction") if sort_by else None
    return ["name"], getattr(direction, "value", direction) == OrderDirection.DESC.value
