"""Product lists as Saleor answers them: the channel, filter, sort and search arguments read into
the catalogue query (backend/product/catalogue/), and its rows paged into a connection of
products seen in the channel. Listing index rows are paged by their own columns, then the
products they point at are read in one query."""

from django.conf import settings
from graphql import FieldNode, FragmentSpreadNode

from backend.account.permissions import ProductPermissions, has_one_of_permissions
from backend.channel.reference import channels
from backend.graphql.core.connection import paginate
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.errors import SaleorGraphQLError
from backend.graphql.core.permissions import producer_scope
from backend.graphql.product.dataloaders import ProductPriceRangeLoader
from backend.graphql.product.filters.product import product_filter
from backend.graphql.product.sorters import product_sort
from backend.ocop.access import ProducerScope
from backend.product.catalogue.filters import ProductFilter
from backend.product.catalogue.query import CatalogueError, CatalogueQuery
from backend.product.models import Product


def can_manage_products(info) -> bool:
    return has_one_of_permissions(info.context.user, [ProductPermissions.MANAGE_PRODUCTS])


def catalogue_scope(info) -> ProducerScope:
    """The producers whose hidden products the requester sees: every one for staff with
    MANAGE_PRODUCTS, a member's own producers, none for buyers."""
    return producer_scope(info, ProductPermissions.MANAGE_PRODUCTS)


def member_producer_ids(info) -> frozenset:
    """The producers a member (not staff) sees the hidden products of; empty for others."""
    scope = catalogue_scope(info)
    return frozenset() if scope.everything else scope.producer_ids


def sees_hidden_products_of(info, producer_id) -> bool:
    """Staff with MANAGE_PRODUCTS, or a member of the product's producer."""
    return catalogue_scope(info).covers(producer_id)


def resolve_channel(info, slug: str | None):
    """The channel named by `slug`; without one, buyers get the default channel (the only one
    when there is just one) and staff see across channels (None) — as do a producer's
    members, who then see their own producers' products."""
    known = channels().by_slug
    if slug:
        channel = known.get(slug)
        if channel is None:
            raise SaleorGraphQLError(
                f"Channel with '{slug}' slug does not exist.", code="NOT_FOUND"
            )
        return channel
    if catalogue_scope(info).can_act:
        return None
    channel = known.get(settings.DEFAULT_CHANNEL_SLUG)
    if channel is None and len(known) == 1:
        (channel,) = known.values()
    return channel


def visible_products(info, channel):
    """Products the requester may look up in `channel` (hidden from lists or not)."""
    return Product.objects.visible_to_user(info.context.user, channel, member_producer_ids(info))


def catalogue_query(
    info,
    channel,
    *,
    filter=None,
    where=None,
    sort_by=None,
    search=None,
    within: ProductFilter | None = None,
    collection=None,
) -> CatalogueQuery:
    """The catalogue query a product list's arguments ask for; `within` is the list's scope
    (a category's, a province's products) and `collection` the collection listed."""
    spec = product_filter(filter, where)
    sort = product_sort(sort_by, collection)
    try:
        return CatalogueQuery(
            channel,
            spec,
            sort,
            search,
            user=info.context.user,
            within=within,
            producer_ids=member_producer_ids(info),
        )
    except CatalogueError as error:
        raise SaleorGraphQLError(str(error)) from error


def resolve_products(
    info,
    connection_type,
    channel_slug,
    *,
    filter=None,
    where=None,
    sort_by=None,
    search=None,
    within=None,
    collection=None,
    **paging,
):
    """`products`, and the products of a category, a collection, a province or a producer
    (`within`): a page of `connection_type`."""
    channel = resolve_channel(info, channel_slug)
    query = catalogue_query(
        info,
        channel,
        filter=filter,
        where=where,
        sort_by=sort_by,
        search=search,
        within=within,
        collection=collection,
    )
    connection = _connection(info, query, connection_type, paging)
    for edge in connection.edges:
        edge.node = ChannelContext(edge.node, channel)
    return connection


def _connection(info, query: CatalogueQuery, connection_type, paging: dict):
    if not query.uses_index:
        ordered = query.sorted()
        return paginate(
            ordered.rows,
            connection_type,
            sort_fields=ordered.keys,
            descending=ordered.descending,
            field_name="products",
            count_queryset=query.matches,
            **paging,
        )
    if not (paging.get("last") or paging.get("before")):
        # A broad search's pages forward from its top tier, when they all come from it.
        leading = query.leading_tier()
        if leading is not None:
            connection = _page_of_entries(
                info,
                query,
                leading,
                connection_type,
                ["search_rank", "slug"],
                True,
                count_queryset=leading,
                total=(query.count_limit, False),  # at least the tier's rows match
                **paging,
            )
            if connection.page_info.has_next_page:
                return connection
    ordered = query.sorted()
    return _page_of_entries(
        info,
        query,
        ordered.rows,
        connection_type,
        ordered.keys,
        ordered.descending,
        count_queryset=query.matches,
        total_field="matches" if query.ranks_every_match else None,
        **paging,
    )


def _page_of_entries(info, query, entries, connection_type, sort_fields, descending, **options):
    """`paginate` for listing index rows: reads the sort keys and prices of a page's rows,
    then the products they point at."""
    columns = [field for field in sort_fields if field not in entries.query.annotations]
    return paginate(
        entries.only("product_id", "channel_id", "price", "max_price", *columns),
        connection_type,
        sort_fields=sort_fields,
        descending=descending,
        field_name="products",
        key="product_id",
        load_nodes=_products_of(info, query),
        count_limit=query.count_limit,
        **options,
    )


def _products_of(info, query: CatalogueQuery):
    """`load_nodes` for index rows: the products they point at, in the rows' order, without
    the large columns the query does not ask for. The rows' prices answer `pricing`."""

    def load(entries) -> list:
        products = query.products_of(entries, Product.objects.defer(*_unread_columns(info)))
        prices = ProductPriceRangeLoader(info.context)
        for entry in entries:
            prices.prime((entry.product_id, entry.channel_id), (entry.price, entry.max_price))
        return products

    return load


# Product columns only some fields read: (the columns, the fields that read them). The search
# columns are read by no field at all.
_LARGE_COLUMNS = (
    (("description",), {"description", "descriptionJson", "seoDescription", "translation"}),
    (("metadata",), {"metadata", "metafield", "metafields"}),
    (("private_metadata",), {"privateMetadata", "privateMetafield", "privateMetafields"}),
    (("description_plaintext", "search_document", "search_name"), set()),
)


def _selected_names(selection_set, fragments, seen=frozenset()) -> set[str]:
    """Every field name selected anywhere below `selection_set`, through fragments."""
    names = set()
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                names |= _selected_names(fragments[name].selection_set, fragments, seen | {name})
            continue
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        names |= _selected_names(selection.selection_set, fragments, seen)
    return names


def _unread_columns(info) -> list[str]:
    """Large product columns no field of this `products` query reads (left unloaded)."""
    names = set()
    for node in info.field_nodes:
        names |= _selected_names(node.selection_set, info.fragments)
    return [
        column for columns, readers in _LARGE_COLUMNS if not names & readers for column in columns
    ]
