"""`products(filter: …, where: …)`: Saleor's product filter inputs, with the OCOP fields, read
into the catalogue query's `ProductFilter`. Prices stay in the channel currency's major unit;
the catalogue compares them with the stored minor units."""

import graphene

from backend.core.filters import Match
from backend.graphql.attribute.filters import (
    AttributeInput,
    DateTimeFilterInput,
    DateTimeRangeInput,
    DecimalFilterInput,
    GlobalIDFilterInput,
    IntRangeInput,
    MetadataFilter,
    StringFilterInput,
    attribute_filter,
    filter_match,
    range_match,
    string_match,
)
from backend.graphql.core.enums import StockAvailability
from backend.graphql.ocop.filters import OcopProductFilterFields
from backend.graphql.product.filters.shared import (
    PREORDER_DEPRECATION,
    global_id_filter,
    pks,
    require_one_filter,
)
from backend.product.catalogue.filters import ProductFilter, StockFilter


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float()
    lte = graphene.Float()


class ProductStockFilterInput(graphene.InputObjectType):
    warehouse_ids = graphene.List(graphene.NonNull(graphene.ID))
    quantity = graphene.Field(IntRangeInput)


class ProductFilterInput(OcopProductFilterFields, graphene.InputObjectType):
    is_published = graphene.Boolean()
    collections = graphene.List(graphene.NonNull(graphene.ID))
    categories = graphene.List(graphene.NonNull(graphene.ID))
    has_category = graphene.Boolean()
    attributes = graphene.List(graphene.NonNull(AttributeInput))
    stock_availability = graphene.Field(StockAvailability)
    stocks = graphene.Field(ProductStockFilterInput)
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    published_from = graphene.DateTime()
    is_available = graphene.Boolean()
    available_from = graphene.DateTime()
    is_visible_in_listing = graphene.Boolean()
    price = graphene.Field(PriceRangeInput)
    minimal_price = graphene.Field(PriceRangeInput)
    updated_at = graphene.Field(DateTimeRangeInput)
    product_types = graphene.List(graphene.NonNull(graphene.ID))
    gift_card = graphene.Boolean()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    has_preordered_variants = graphene.Boolean(deprecation_reason=PREORDER_DEPRECATION)
    slugs = graphene.List(graphene.NonNull(graphene.String))
    channel = graphene.String(deprecation_reason="Use root-level channel argument instead.")


class ProductWhereInput(OcopProductFilterFields, graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    name = graphene.Field(StringFilterInput)
    slug = graphene.Field(StringFilterInput)
    product_type = graphene.Field(GlobalIDFilterInput)
    category = graphene.Field(GlobalIDFilterInput)
    collection = graphene.Field(GlobalIDFilterInput)
    is_available = graphene.Boolean()
    is_published = graphene.Boolean()
    is_visible_in_listing = graphene.Boolean()
    published_from = graphene.DateTime()
    available_from = graphene.DateTime()
    has_category = graphene.Boolean()
    price = graphene.Field(DecimalFilterInput)
    minimal_price = graphene.Field(DecimalFilterInput)
    attributes = graphene.List(graphene.NonNull(AttributeInput))
    stock_availability = graphene.Field(StockAvailability)
    stocks = graphene.Field(ProductStockFilterInput)
    gift_card = graphene.Boolean()
    has_preordered_variants = graphene.Boolean(deprecation_reason=PREORDER_DEPRECATION)
    updated_at = graphene.Field(DateTimeFilterInput)
    AND = graphene.List(graphene.NonNull(lambda: ProductWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: ProductWhereInput))


def _stock_filter(stocks) -> StockFilter | None:
    if not stocks:
        return None
    warehouses = stocks.get("warehouse_ids")
    return StockFilter(
        warehouse_ids=pks(warehouses, "Warehouse", "warehouseIds") if warehouses else None,
        quantity=range_match(stocks.get("quantity")),
    )


def _in_stock(availability) -> bool | None:
    if availability is None:
        return None
    return getattr(availability, "value", availability) == StockAvailability.IN_STOCK.value


def _tuple(values) -> tuple | None:
    return None if values is None else tuple(values)


def _common(values) -> dict:
    """The fields `filter` and `where` share."""
    return {
        "ids": None if values.get("ids") is None else pks(values["ids"], "Product", "ids"),
        "is_published": values.get("is_published"),
        "is_visible_in_listing": values.get("is_visible_in_listing"),
        "published_from": values.get("published_from"),
        "available_from": values.get("available_from"),
        "is_available": values.get("is_available"),
        "metadata": tuple(
            (item["key"], item.get("value")) for item in values.get("metadata") or ()
        ),
        "has_category": values.get("has_category"),
        "gift_card": values.get("gift_card"),
        "has_preordered_variants": values.get("has_preordered_variants"),
        "attributes": tuple(map(attribute_filter, values.get("attributes") or ())),
        "in_stock": _in_stock(values.get("stock_availability")),
        "stocks": _stock_filter(values.get("stocks")),
        "provinces": _tuple(values.get("provinces")),
        "producers": None
        if values.get("producers") is None
        else pks(values["producers"], "Producer", "producers"),
        "producer_types": _tuple(values.get("producer_types")),
        "ocop_certified": values.get("ocop_certified"),
        "ocop_stars": _tuple(values.get("ocop_stars")),
        "min_ocop_stars": values.get("min_ocop_stars"),
    }


def _ids(values, field: str, type_name: str, name: str) -> tuple[int, ...] | None:
    return None if values.get(field) is None else pks(values[field], type_name, name)


def _from_filter(product_filter) -> ProductFilter:
    """The deprecated `filter: ProductFilterInput`."""
    slugs = product_filter.get("slugs")
    return ProductFilter(
        **_common(product_filter),
        search=product_filter.get("search"),
        category_trees=_ids(product_filter, "categories", "Category", "categories"),
        collections=_ids(product_filter, "collections", "Collection", "collections"),
        product_types=_ids(product_filter, "product_types", "ProductType", "productTypes"),
        slugs=None if slugs is None else Match(one_of=tuple(slugs)),
        updated_at=range_match(product_filter.get("updated_at")),
        price=range_match(product_filter.get("price")),
        minimal_price=range_match(product_filter.get("minimal_price")),
    )


def _from_where(where) -> ProductFilter:
    """`where: ProductWhereInput`: fields AND-ed, with nested `AND` / `OR` lists."""
    return ProductFilter(
        **_common(where),
        names=string_match(where.get("name")),
        slugs=string_match(where.get("slug")),
        categories=global_id_filter(where.get("category"), "Category", "category"),
        collections=global_id_filter(where.get("collection"), "Collection", "collection"),
        product_types=global_id_filter(where.get("product_type"), "ProductType", "productType"),
        updated_at=filter_match(where.get("updated_at")),
        price=filter_match(where.get("price")),
        minimal_price=filter_match(where.get("minimal_price")),
        all_of=tuple(map(_from_where, where.get("AND") or ())),
        any_of=tuple(map(_from_where, where.get("OR") or ())),
    )


def product_filter(product_filter=None, where=None) -> ProductFilter:
    """The catalogue query's filter for a product list's `filter` or `where` (not both)."""
    require_one_filter(product_filter, where)
    if product_filter:
        return _from_filter(product_filter)
    if where:
        return _from_where(where)
    return ProductFilter()
