"""Queries of warehouses: `warehouse(id)` and `warehouses(filter, sortBy, …)`, for staff (every
warehouse) and a producer's members (their own producers' warehouses; another's is unknown)."""

import graphene

from backend.account.permissions import ProductPermissions, has_one_of_permissions
from backend.core.ids import pk_from_global_id
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.core.permissions import require_permission_or_membership
from backend.graphql.warehouse.filters import WarehouseFilterInput, warehouse_filter_q
from backend.graphql.warehouse.sorters import WarehouseSortingInput, warehouse_sort
from backend.graphql.warehouse.types import Warehouse, WarehouseCountableConnection
from backend.order.permissions import OrderPermissions
from backend.shipping.permissions import ShippingPermissions
from backend.warehouse import models

WAREHOUSE_PERMISSIONS = (
    ProductPermissions.MANAGE_PRODUCTS,
    OrderPermissions.MANAGE_ORDERS,
    ShippingPermissions.MANAGE_SHIPPING,
)
_PERMISSIONS_NOTE = (
    "Requires one of the following permissions: MANAGE_PRODUCTS, MANAGE_ORDERS, MANAGE_SHIPPING; "
    "a producer's members see their own producers' warehouses."
)


def visible_warehouses(info):
    """Every warehouse for staff, a member's own producers' ones; PermissionDenied for others."""
    warehouses = models.Warehouse.objects.all()
    if has_one_of_permissions(info.context.user, WAREHOUSE_PERMISSIONS):
        return warehouses
    scope = require_permission_or_membership(
        info, ProductPermissions.MANAGE_PRODUCTS, WAREHOUSE_PERMISSIONS
    )
    return scope.filter(warehouses)


class WarehouseQueries(graphene.ObjectType):
    warehouse = graphene.Field(
        Warehouse,
        id=graphene.Argument(graphene.ID, description="ID of a warehouse."),
        description=f"Look up a warehouse by ID.\n\n{_PERMISSIONS_NOTE}",
    )
    warehouses = graphene.Field(
        WarehouseCountableConnection,
        **connection_args(
            filter=graphene.Argument(WarehouseFilterInput),
            sort_by=graphene.Argument(WarehouseSortingInput),
        ),
        description=f"List of warehouses.\n\n{_PERMISSIONS_NOTE}",
    )

    @staticmethod
    def resolve_warehouse(_root, info, id=None):
        warehouses = visible_warehouses(info)
        pk = pk_from_global_id(id, "Warehouse")
        if pk is None:
            return None
        return warehouses.select_related("province").filter(pk=pk).first()

    @staticmethod
    def resolve_warehouses(_root, info, filter=None, sort_by=None, **paging):
        queryset = visible_warehouses(info).filter(warehouse_filter_q(filter))
        sort_fields, descending = warehouse_sort(sort_by)
        return paginate(
            queryset.select_related("province"),
            WarehouseCountableConnection,
            sort_fields=sort_fields,
            descending=descending,
            field_name="warehouses",
            count_queryset=queryset,
            **paging,
        )
