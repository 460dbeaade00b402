"""Catalog filtering: the deprecated `filter` inputs and the newer `where` inputs, as Saleor
accepts them, turned into querysets. Prices in filters are in the channel currency's major
unit (đồng for VND) and compared with the integer minor units stored."""

import math
from decimal import Decimal

import graphene
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.attribute.models import AttributeValue
from backend.attribute.reference import choice_value_ids
from backend.core.money import currency_exponent
from backend.graphql.attribute.filters import (
    AssignedAttributeWhereInput,
    AttributeInput,
    DateTimeFilterInput,
    DateTimeRangeInput,
    DecimalFilterInput,
    GlobalIDFilterInput,
    IntRangeInput,
    MetadataFilter,
    StringFilterInput,
    attribute_exists,
    metadata_q,
    product_attributes_q,
    range_q,
    string_filter_q,
)
from backend.graphql.attribute.filters import _value_conditions as attribute_value_conditions
from backend.graphql.core.enums import StockAvailability
from backend.graphql.core.errors import SaleorGraphQLError
from backend.graphql.core.ids import pks_from_global_ids
from backend.graphql.ocop.filters import (
    OCOP_FILTER_FIELDS,
    OcopProductFilterFields,
    ocop_listing_index_q,
    ocop_product_q,
)
from backend.product.models import (
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.reference import with_descendants
from backend.product.search import narrow_to_search, search_products
from backend.warehouse.availability import product_in_stock_q
from backend.warehouse.models import Stock


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float()
    lte = graphene.Float()


class ProductStockFilterInput(graphene.InputObjectType):
    warehouse_ids = graphene.List(graphene.NonNull(graphene.ID))
    quantity = graphene.Field(IntRangeInput)


_PREORDER_DEPRECATION = (
    "Preorder is deprecated and will be removed. Model pre-sales with regular stock instead: "
    "create the planned quantity in a warehouse, or set `trackInventory` to false to sell "
    "without a stock limit."
)


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
    has_preordered_variants = graphene.Boolean(deprecation_reason=_PREORDER_DEPRECATION)
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
    has_preordered_variants = graphene.Boolean(deprecation_reason=_PREORDER_DEPRECATION)
    updated_at = graphene.Field(DateTimeFilterInput)
    AND = graphene.List(graphene.NonNull(lambda: ProductWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: ProductWhereInput))


class ProductVariantFilterInput(graphene.InputObjectType):
    search = graphene.String()
    sku = graphene.List(graphene.NonNull(graphene.String))
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    is_preorder = graphene.Boolean(deprecation_reason=_PREORDER_DEPRECATION)
    updated_at = graphene.Field(DateTimeRangeInput)


class ProductVariantWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    sku = graphene.Field(StringFilterInput)
    updated_at = graphene.Field(DateTimeRangeInput)
    attributes = graphene.List(graphene.NonNull(AssignedAttributeWhereInput))
    AND = graphene.List(graphene.NonNull(lambda: ProductVariantWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: ProductVariantWhereInput))


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    updated_at = graphene.Field(DateTimeRangeInput)


class CategoryWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    AND = graphene.List(graphene.NonNull(lambda: CategoryWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: CategoryWhereInput))


class CollectionPublished(graphene.Enum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class CollectionFilterInput(graphene.InputObjectType):
    published = graphene.Field(CollectionPublished)
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    channel = graphene.String(deprecation_reason="Use root-level channel argument instead.")


class CollectionWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    AND = graphene.List(graphene.NonNull(lambda: CollectionWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: CollectionWhereInput))


# --- helpers ----------------------------------------------------------------------------------


def pks(values, type_name: str, field: str) -> list[int]:
    try:
        return pks_from_global_ids(values, type_name, field)
    except ValidationError as error:
        raise SaleorGraphQLError(error.messages[0]) from error


def _global_id_filter(value, type_name: str, field: str) -> list[int] | None:
    if not value:
        return None
    if value.get("eq") is not None:
        return pks([value["eq"]], type_name, field)
    if value.get("one_of") is not None:
        return pks(value["one_of"], type_name, field)
    return None


def to_minor(amount, currency: str, rounding) -> int:
    """A major-unit bound as minor units; `rounding` (ceil/floor) keeps the bound inclusive."""
    scaled = Decimal(str(amount)).scaleb(currency_exponent(currency))
    return int(rounding(scaled))


def _channel_listing(channel, **conditions):
    listings = ProductChannelListing.objects.filter(product_id=OuterRef("pk"), **conditions)
    if channel is not None:
        listings = listings.filter(channel=channel)
    return Exists(listings)


def _variant_prices(channel, price_q: Q):
    listings = ProductVariantChannelListing.objects.filter(
        price_q, variant__product_id=OuterRef("pk"), price_amount__isnull=False
    )
    if channel is not None:
        listings = listings.filter(channel=channel)
    return Exists(listings)


def _currency(channel) -> str:
    from django.conf import settings

    return channel.currency_code if channel is not None else settings.DEFAULT_CURRENCY


def _price_range_q(field: str, bounds, currency: str) -> Q:
    q = Q()
    if bounds.get("gte") is not None:
        q &= Q(**{f"{field}__gte": to_minor(bounds["gte"], currency, math.ceil)})
    if bounds.get("lte") is not None:
        q &= Q(**{f"{field}__lte": to_minor(bounds["lte"], currency, math.floor)})
    return q


def _decimal_filter_q(field: str, value, currency: str) -> Q:
    if value.get("eq") is not None:
        return Q(**{field: to_minor(value["eq"], currency, math.floor)})
    if value.get("one_of") is not None:
        return Q(**{f"{field}__in": [to_minor(v, currency, math.floor) for v in value["one_of"]]})
    return _price_range_q(field, value.get("range") or {}, currency)


def _price_q(channel, price_filter, decimal_input: bool) -> Q:
    if not price_filter:
        return Q()
    currency = _currency(channel)
    if decimal_input:
        condition = _decimal_filter_q("price_amount", price_filter, currency)
    else:
        condition = _price_range_q("price_amount", price_filter, currency)
    return Q(_variant_prices(channel, condition))


def _minimal_price_q(channel, price_filter, decimal_input: bool) -> Q:
    if not price_filter:
        return Q()
    currency = _currency(channel)
    if decimal_input:
        condition = _decimal_filter_q("discounted_price_amount", price_filter, currency)
    else:
        condition = _price_range_q("discounted_price_amount", price_filter, currency)
    listings = ProductChannelListing.objects.filter(condition, product_id=OuterRef("pk"))
    if channel is not None:
        listings = listings.filter(channel=channel)
    return Q(Exists(listings))


def _stock_availability_q(channel, availability) -> Q:
    if availability is None:
        return Q()
    in_stock = product_in_stock_q(channel)
    value = getattr(availability, "value", availability)
    return in_stock if value == StockAvailability.IN_STOCK.value else ~in_stock


def _stocks_q(stock_filter) -> Q:
    if not stock_filter:
        return Q()
    stocks = Stock.objects.filter(product_variant__product_id=OuterRef("pk"))
    if stock_filter.get("warehouse_ids"):
        stocks = stocks.filter(
            warehouse_id__in=pks(stock_filter["warehouse_ids"], "Warehouse", "warehouseIds")
        )
    stocks = stocks.filter(range_q("quantity", stock_filter.get("quantity")))
    return Q(Exists(stocks))


def _listing_flags_q(channel, values) -> Q:
    """Per-channel listing conditions shared by `filter` and `where`."""
    now = timezone.now()
    q = Q()
    if values.get("is_published") is not None:
        published = Q(_channel_listing(channel, is_published=True))
        q &= published if values["is_published"] else ~published
    if values.get("is_visible_in_listing") is not None:
        q &= Q(_channel_listing(channel, visible_in_listings=values["is_visible_in_listing"]))
    if values.get("published_from") is not None:
        q &= Q(_channel_listing(channel, published_at__lte=values["published_from"]))
    if values.get("available_from") is not None:
        q &= Q(_channel_listing(channel, available_for_purchase_at__lte=values["available_from"]))
    if values.get("is_available") is not None:
        available = Q(_channel_listing(channel, available_for_purchase_at__lte=now))
        q &= available if values["is_available"] else ~available
    return q


def _common_q(channel, values) -> Q:
    q = _listing_flags_q(channel, values)
    q &= metadata_q(values.get("metadata"))
    if values.get("ids") is not None:
        q &= Q(pk__in=pks(values["ids"], "Product", "ids"))
    if values.get("has_category") is not None:
        q &= Q(category__isnull=not values["has_category"])
    if values.get("gift_card") is not None:
        gift_card = Q(product_type__kind="gift_card")
        q &= gift_card if values["gift_card"] else ~gift_card
    if values.get("has_preordered_variants"):
        q &= Q(pk__in=[])  # no variant is sold on preorder
    q &= product_attributes_q(values.get("attributes"))
    q &= _stock_availability_q(channel, values.get("stock_availability"))
    q &= _stocks_q(values.get("stocks"))
    q &= ocop_product_q(values)
    return q


def product_filter_q(channel, product_filter) -> Q:
    """The deprecated `filter: ProductFilterInput`, but its `search` (`filter_products` does
    that one: see `narrow_to_search`)."""
    if not product_filter:
        return Q()
    q = _common_q(channel, product_filter)
    if product_filter.get("categories") is not None:
        ids = pks(product_filter["categories"], "Category", "categories")
        q &= Q(category_id__in=with_descendants(ids))
    if product_filter.get("collections") is not None:
        ids = pks(product_filter["collections"], "Collection", "collections")
        q &= Q(
            Exists(
                CollectionProduct.objects.filter(product_id=OuterRef("pk"), collection_id__in=ids)
            )
        )
    if product_filter.get("product_types") is not None:
        q &= Q(
            product_type_id__in=pks(product_filter["product_types"], "ProductType", "productTypes")
        )
    if product_filter.get("slugs") is not None:
        q &= Q(slug__in=product_filter["slugs"])
    q &= range_q("updated_at", product_filter.get("updated_at"))
    q &= _price_q(channel, product_filter.get("price"), decimal_input=False)
    q &= _minimal_price_q(channel, product_filter.get("minimal_price"), decimal_input=False)
    return q


def product_where_q(channel, where) -> Q:
    """`where: ProductWhereInput`: fields AND-ed, with nested `AND` / `OR` lists."""
    if not where:
        return Q()
    q = _common_q(channel, where)
    q &= string_filter_q("name", where.get("name")) & string_filter_q("slug", where.get("slug"))
    categories = _global_id_filter(where.get("category"), "Category", "category")
    if categories is not None:
        q &= Q(category_id__in=categories)
    collections = _global_id_filter(where.get("collection"), "Collection", "collection")
    if collections is not None:
        q &= Q(
            Exists(
                CollectionProduct.objects.filter(
                    product_id=OuterRef("pk"), collection_id__in=collections
                )
            )
        )
    product_types = _global_id_filter(where.get("product_type"), "ProductType", "productType")
    if product_types is not None:
        q &= Q(product_type_id__in=product_types)
    updated_at = where.get("updated_at")
    if updated_at:
        q &= _datetime_filter_q("updated_at", updated_at)
    q &= _price_q(channel, where.get("price"), decimal_input=True)
    q &= _minimal_price_q(channel, where.get("minimal_price"), decimal_input=True)
    for nested in where.get("AND") or []:
        q &= product_where_q(channel, nested)
    if where.get("OR"):
        any_of = Q(pk__in=[])
        for nested in where["OR"]:
            any_of |= product_where_q(channel, nested)
        q &= any_of
    return q


def _datetime_filter_q(field: str, value) -> Q:
    if value.get("eq") is not None:
        return Q(**{field: value["eq"]})
    if value.get("one_of") is not None:
        return Q(**{f"{field}__in": value["one_of"]})
    return range_q(field, value.get("range"))


def require_one_filter(filter, where):
    """Saleor rejects `filter` and `where` given together."""
    if filter and where:
        raise SaleorGraphQLError("Only one filtering argument (filter or where) can be specified.")


def filter_products(queryset, channel, product_filter=None, where=None, search=None):
    require_one_filter(product_filter, where)
    q = product_filter_q(channel, product_filter) & product_where_q(channel, where)
    queryset = narrow_to_search(queryset.filter(q), (product_filter or {}).get("search"))
    return search_products(queryset, search) if search else queryset


# --- the same filters on the listing index ----------------------------------------------------
# Buyers' lists read `ProductListingIndex` (backend/product/listing_index.py). Each input field the
# index holds a column for becomes a condition on that column; any other field keeps its catalogue
# condition, applied as `product_id IN (matching products)`. Both give the same rows.


def _strip_prefix(q: Q, prefix: str) -> Q | None:
    """`q` with `prefix` removed from every lookup; None when a lookup lacks it."""
    children = []
    for child in q.children:
        if isinstance(child, Q):
            child = _strip_prefix(child, prefix)
            if child is None:
                return None
        elif isinstance(child, tuple) and child[0].startswith(prefix):
            child = (child[0].removeprefix(prefix), child[1])
        else:
            return None
        children.append(child)
    return Q(*children, _connector=q.connector, _negated=q.negated)


def _attribute_index_q(attribute_inputs) -> Q | None:
    """Every input matched by a value of the product or of a variant (the row's
    `attribute_values`); None when an input compares values as numbers."""
    q = Q()
    for attribute_input in attribute_inputs or []:
        value_ids = _choice_value_ids(attribute_input)
        if value_ids is None:
            conditions = _strip_prefix(attribute_value_conditions(attribute_input), "value__")
            if conditions is None:
                return None
            value_ids = list(AttributeValue.objects.filter(conditions).values_list("pk", flat=True))
        q &= Q(attribute_values__overlap=value_ids) if value_ids else Q(pk__in=[])
    return q


def _choice_value_ids(attribute_input) -> list[int] | None:
    """The value ids of the common input `{slug, values}` on a choice attribute (from the
    process's copy); None for any other input."""
    other = any(
        value is not None for key, value in attribute_input.items() if key not in ("slug", "values")
    )
    if other or not attribute_input.get("slug") or not attribute_input.get("values"):
        return None
    return choice_value_ids(attribute_input["slug"], attribute_input["values"])


def _listed_flag_q(value) -> Q:
    """Every index row is published and shown in listings."""
    return Q() if value else Q(pk__in=[])


def _common_index_q(channel, values) -> dict:
    """{input field: condition on the index} for the fields `filter` and `where` share."""
    conditions = {
        "ids": lambda ids: Q(product_id__in=pks(ids, "Product", "ids")),
        "has_category": lambda has: Q(category__isnull=not has),
        "is_published": _listed_flag_q,
        "is_visible_in_listing": _listed_flag_q,
        "attributes": _attribute_index_q,
        "stock_availability": lambda availability: Q(
            in_stock=getattr(availability, "value", availability)
            == StockAvailability.IN_STOCK.value
        ),
    }
    found = {
        field: condition(values[field])
        for field, condition in conditions.items()
        if values.get(field) is not None
    }
    ocop = {field: values[field] for field in OCOP_FILTER_FIELDS if values.get(field) is not None}
    if ocop:
        found["ocop"] = ocop_listing_index_q(ocop)
    return found


def _filter_index_q(channel, product_filter) -> dict:
    conditions = {
        "categories": lambda ids: Q(
            category_id__in=with_descendants(pks(ids, "Category", "categories"))
        ),
        "product_types": lambda ids: Q(product_type_id__in=pks(ids, "ProductType", "productTypes")),
        "slugs": lambda slugs: Q(slug__in=slugs),
        "minimal_price": lambda bounds: _price_range_q("price", bounds, _currency(channel)),
    }
    found = {
        field: condition(product_filter[field])
        for field, condition in conditions.items()
        if product_filter.get(field) is not None
    }
    return {**_common_index_q(channel, product_filter), **found}


def _ids_q(field: str, ids) -> Q:
    return Q() if ids is None else Q(**{f"{field}__in": ids})


def _where_index_q(channel, where) -> dict:
    conditions = {
        "category": lambda value: _ids_q(
            "category_id", _global_id_filter(value, "Category", "category")
        ),
        "product_type": lambda value: _ids_q(
            "product_type_id", _global_id_filter(value, "ProductType", "productType")
        ),
        "name": lambda value: string_filter_q("name", value),
        "slug": lambda value: string_filter_q("slug", value),
        "minimal_price": lambda value: _decimal_filter_q("price", value, _currency(channel)),
    }
    found = {
        field: condition(where[field])
        for field, condition in conditions.items()
        if where.get(field) is not None
    }
    return {**_common_index_q(channel, where), **found}


def _split(values, indexed: dict) -> tuple[Q, dict]:
    """(the index conditions, the input without the fields they answer)."""
    q = Q()
    answered = set()
    for field, condition in indexed.items():
        if condition is None:  # an input the index cannot answer stays a catalogue condition
            continue
        q &= condition
        answered |= set(OCOP_FILTER_FIELDS) if field == "ocop" else {field}
    rest = {field: value for field, value in values.items() if field not in answered}
    return q, rest


def filter_listing_index(entries, channel, product_filter=None, where=None, search=None):
    """`filter_products` for listing index rows (buyers' lists in `channel`); `search` only
    narrows them (`sort_listing_index` ranks)."""
    require_one_filter(product_filter, where)
    q, residual = Q(), Q()
    if product_filter:
        indexed, rest = _split(product_filter, _filter_index_q(channel, product_filter))
        q &= indexed
        residual &= product_filter_q(channel, rest)
    if where:
        indexed, rest = _split(where, _where_index_q(channel, where))
        q &= indexed
        residual &= product_where_q(channel, rest)
    if residual:
        entries = entries.filter(product_id__in=Product.objects.filter(residual).values("pk"))
    entries = entries.filter(q)
    for text in ((product_filter or {}).get("search"), search):
        entries = narrow_to_search(entries, text)
    return entries


# --- variants, categories, collections --------------------------------------------------------


def variant_filter_q(variant_filter) -> Q:
    if not variant_filter:
        return Q()
    q = metadata_q(variant_filter.get("metadata"))
    q &= range_q("updated_at", variant_filter.get("updated_at"))
    if variant_filter.get("sku") is not None:
        q &= Q(sku__in=variant_filter["sku"])
    search = variant_filter.get("search")
    if search:
        q &= Q(name__icontains=search) | Q(sku__icontains=search)
    return q


def variant_where_q(where) -> Q:
    if not where:
        return Q()
    q = metadata_q(where.get("metadata")) & string_filter_q("sku", where.get("sku"))
    q &= range_q("updated_at", where.get("updated_at"))
    if where.get("ids") is not None:
        q &= Q(pk__in=pks(where["ids"], "ProductVariant", "ids"))
    for attribute_input in where.get("attributes") or []:
        q &= Q(attribute_exists("variant", attribute_input))
    for nested in where.get("AND") or []:
        q &= variant_where_q(nested)
    if where.get("OR"):
        any_of = Q(pk__in=[])
        for nested in where["OR"]:
            any_of |= variant_where_q(nested)
        q &= any_of
    return q


def filter_variants(variants, variant_filter, where, sort_by):
    """Narrow already loaded (ChannelContext-wrapped) variants; one query only when filtering."""
    require_one_filter(variant_filter, where)
    if variant_filter or where:
        q = variant_filter_q(variant_filter) & variant_where_q(where)
        matching = set(
            ProductVariant.objects.filter(q, pk__in=[v.node.pk for v in variants]).values_list(
                "pk", flat=True
            )
        )
        variants = [v for v in variants if v.node.pk in matching]
    if sort_by:
        descending = getattr(sort_by["direction"], "value", sort_by["direction"]) == "DESC"
        variants = sorted(
            variants, key=lambda v: (v.node.updated_at, v.node.pk), reverse=descending
        )
    return variants


def _metadata_where_q(where, type_name: str, nested_q) -> Q:
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


def category_where_q(where) -> Q:
    return _metadata_where_q(where, "Category", category_where_q)


def collection_where_q(where) -> Q:
    return _metadata_where_q(where, "Collection", collection_where_q)


def _named_filter_q(values, type_name: str) -> Q:
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


def category_filter_q(category_filter) -> Q:
    if not category_filter:
        return Q()
    return _named_filter_q(category_filter, "Category") & range_q(
        "updated_at", category_filter.get("updated_at")
    )


def collection_filter_q(collection_filter, channel) -> Q:
    if not collection_filter:
        return Q()
    q = _named_filter_q(collection_filter, "Collection")
    published = collection_filter.get("published")
    if published is not None:
        from backend.product.models import CollectionChannelListing

        listings = CollectionChannelListing.objects.filter(
            collection_id=OuterRef("pk"), is_published=True
        )
        if channel is not None:
            listings = listings.filter(channel=channel)
        is_published = Q(Exists(listings))
        value = getattr(published, "value", published)
        q &= is_published if value == CollectionPublished.PUBLISHED.value else ~is_published
    return q
