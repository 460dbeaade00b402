"""`Warehouse` (also a pick-up point, public as Saleor's collection points are) and `Stock`:
the view of stock per warehouse, read from the warehouse domain, for staff (every stock) and
for a producer's members (the stock of their own variants in their own warehouses)."""

import graphene

from backend.account.models import Address as AddressModel
from backend.account.permissions import ProductPermissions, has_one_of_permissions
from backend.graphql.core.connection import CountableConnection, connection_args, paginate
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.dataloaders import then
from backend.graphql.core.errors import PermissionDenied
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.permissions import require_permission_or_membership
from backend.graphql.core.types import ObjectWithMetadata
from backend.graphql.product.dataloaders import ProductVariantByIdLoader
from backend.graphql.warehouse import dataloaders as loaders
from backend.ocop.access import ProducerScope
from backend.order.permissions import OrderPermissions
from backend.warehouse import models

# Who may read stock quantities (Saleor: MANAGE_PRODUCTS or MANAGE_ORDERS).
STOCK_PERMISSIONS = (ProductPermissions.MANAGE_PRODUCTS, OrderPermissions.MANAGE_ORDERS)
STOCK_PERMISSIONS_NOTE = (
    "Requires one of the following permissions: MANAGE_PRODUCTS, MANAGE_ORDERS; a producer's "
    "members see the stock of their own products in their own warehouses."
)


def stock_scope(info) -> ProducerScope | None:
    """None for staff who read every stock; a producer member's scope (their warehouses and
    products); PermissionDenied for anyone else."""
    if has_one_of_permissions(info.context.user, STOCK_PERMISSIONS):
        return None
    return require_permission_or_membership(
        info, ProductPermissions.MANAGE_PRODUCTS, STOCK_PERMISSIONS
    )


def stock_denied() -> PermissionDenied:
    """What a member reading another producer's stock gets: what a buyer gets."""
    return PermissionDenied(permissions=STOCK_PERMISSIONS)


def stocks_in_own_warehouses(info, scope: ProducerScope, stocks):
    """The rows of `stocks` kept in warehouses `scope` covers (warehouses read in a batch)."""
    stocks = list(stocks)
    warehouses = loaders.WarehouseByIdLoader(info.context).load_many(
        [stock.warehouse_id for stock in stocks]
    )
    return then(
        warehouses,
        lambda found: [
            stock
            for stock, warehouse in zip(stocks, found, strict=True)
            if warehouse is not None and scope.covers(warehouse.producer_id)
        ],
    )


def _stock_value(root: models.Stock, info, value):
    """`value()` for staff and for members whose warehouse keeps the stock."""
    scope = stock_scope(info)
    if scope is None:
        return value()

    def checked(warehouse):
        if warehouse is None or not scope.covers(warehouse.producer_id):
            raise stock_denied()
        return value()

    return then(loaders.WarehouseByIdLoader(info.context).load(root.warehouse_id), checked)


class WarehouseClickAndCollectOptionEnum(graphene.Enum):
    DISABLED = "DISABLED"
    LOCAL = "LOCAL"
    ALL = "ALL"


def warehouse_address(warehouse: models.Warehouse) -> AddressModel:
    """The warehouse's address in the Address shape (not stored as an address row)."""
    return AddressModel(
        company_name=warehouse.name,
        street_address_1=warehouse.street_address,
        city=warehouse.ward,
        country="VN",
        country_area=warehouse.province.name if warehouse.province_id else "",
        phone=warehouse.phone,
    )


class Warehouse(graphene.ObjectType):
    id = graphene.ID(required=True, description="The ID of the warehouse.")
    name = graphene.String(required=True, description="Warehouse name.")
    slug = graphene.String(required=True, description="Warehouse slug.")
    email = graphene.String(required=True, description="Warehouse email.")
    is_private = graphene.Boolean(
        required=True, description="Determine if the warehouse is private."
    )
    company_name = graphene.String(
        required=True,
        description="Warehouse company name.",
        deprecation_reason="Use `Address.companyName` instead.",
    )
    address = graphene.Field(
        "backend.graphql.account.types.Address",
        required=True,
        description="Address of the warehouse.",
    )
    click_and_collect_option = graphene.Field(
        WarehouseClickAndCollectOptionEnum,
        required=True,
        description="Click and collect options: local, all or disabled.",
    )
    stocks = graphene.Field(
        lambda: StockCountableConnection,
        **connection_args(),
        description=f"Stocks that belong to this warehouse.\n\n{STOCK_PERMISSIONS_NOTE}",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents warehouse; an OCOP showroom offers pick-up (click and collect)."

    resolve_id = staticmethod(global_id_resolver("Warehouse"))

    @staticmethod
    def resolve_company_name(root: models.Warehouse, _info):
        return root.name

    @staticmethod
    def resolve_address(root: models.Warehouse, _info):
        return warehouse_address(root)

    @staticmethod
    def resolve_click_and_collect_option(root: models.Warehouse, _info):
        return root.click_and_collect_option.upper()

    @staticmethod
    def resolve_stocks(root: models.Warehouse, info, **paging):
        stocks = models.Stock.objects.filter(warehouse=root)
        scope = stock_scope(info)
        if scope is not None:
            if not scope.covers(root.producer_id):
                raise stock_denied()
            stocks = scope.filter(stocks, "product_variant__product__producer_id")
        return paginate(
            stocks,
            StockCountableConnection,
            sort_fields=["pk"],
            field_name="stocks",
            **paging,
        )


class WarehouseCountableConnection(CountableConnection):
    class Meta:
        node = Warehouse
        strict_types = True


class Stock(graphene.ObjectType):
    id = graphene.ID(required=True, description="The ID of stock.")
    warehouse = graphene.Field(
        Warehouse, required=True, description="The warehouse associated with the stock."
    )
    product_variant = graphene.Field(
        "backend.graphql.product.types.variants.ProductVariant",
        required=True,
        description="Information about the product variant.",
    )
    quantity = graphene.Int(
        required=True,
        description="Quantity of a product in the warehouse's possession, including the "
        f"allocated stock that is waiting for shipment.\n\n{STOCK_PERMISSIONS_NOTE}",
    )
    quantity_allocated = graphene.Int(
        required=True, description=f"Quantity allocated for orders.\n\n{STOCK_PERMISSIONS_NOTE}"
    )
    quantity_reserved = graphene.Int(
        required=True,
        description=f"Quantity reserved for checkouts.\n\n{STOCK_PERMISSIONS_NOTE}",
    )

    class Meta:
        description = "Represents stock."

    resolve_id = staticmethod(global_id_resolver("Stock"))

    @staticmethod
    def resolve_warehouse(root: models.Stock, info):
        return loaders.WarehouseByIdLoader(info.context).load(root.warehouse_id)

    @staticmethod
    def resolve_product_variant(root: models.Stock, info):
        return then(
            ProductVariantByIdLoader(info.context).load(root.product_variant_id),
            lambda variant: ChannelContext(variant, None),
        )

    @staticmethod
    def resolve_quantity(root: models.Stock, info):
        return _stock_value(root, info, lambda: root.quantity)

    @staticmethod
    def resolve_quantity_allocated(root: models.Stock, info):
        return _stock_value(root, info, lambda: root.quantity_allocated)

    @staticmethod
    def resolve_quantity_reserved(root: models.Stock, info):
        return _stock_value(
            root,
            info,
            lambda: loaders.QuantityReservedByStockIdLoader(info.context).load(root.pk),
        )


class StockCountableConnection(CountableConnection):
    class Meta:
        node = Stock
        strict_types = True
