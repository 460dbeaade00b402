"""Catalog queries: products, variants, categories and collections, as Saleor 3 answers them."""

import graphene
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from graphql import FieldNode, FragmentSpreadNode

from backend.channel.reference import channels
from backend.graphql.attribute.types import language_from_enum
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.errors import SaleorGraphQLError
from backend.graphql.core.ids import pk_from_global_id
from backend.graphql.product.dataloaders import ProductPriceRangeLoader
from backend.graphql.product.filters import (
    CategoryFilterInput,
    CategoryWhereInput,
    CollectionFilterInput,
    CollectionWhereInput,
    ProductFilterInput,
    ProductWhereInput,
    category_filter_q,
    category_where_q,
    collection_filter_q,
    collection_where_q,
    filter_listing_index,
    filter_products,
    require_one_filter,
)
from backend.graphql.product.mutations import ProductMutations  # noqa: F401
from backend.graphql.product.sorters import (
    CategorySortingInput,
    CollectionSortingInput,
    ProductOrder,
    ranks_best_first,
    sort_categories,
    sort_collections,
    sort_listing_index,
    sort_products,
)
from backend.graphql.product.types import (
    Category,
    CategoryCountableConnection,
    ChannelContext,
    Collection,
    CollectionCountableConnection,
    Product,
    ProductCountableConnection,
    ProductVariant,
    can_manage_products,
)
from backend.product import models
from backend.product.listing_index import listed_in, listing_index_enabled
from backend.product.reference import with_descendants
from backend.product.search import leading_matches, matching, search_text_for


def resolve_channel(info, slug: str | None):
    """The channel named by `slug`; without one, buyers get the default channel (the only one
    when there is just one) and staff see across channels (None)."""
    known = channels().by_slug
    if slug:
        channel = known.get(slug)
        if channel is None:
            raise SaleorGraphQLError(
                f"Channel with '{slug}' slug does not exist.", code="NOT_FOUND"
            )
        return channel
    if can_manage_products(info):
        return None
    channel = known.get(settings.DEFAULT_CHANNEL_SLUG)
    if channel is None and len(known) == 1:
        (channel,) = known.values()
    return channel


def visible_products(info, channel, listings_only: bool = False):
    """Products the requester may see in `channel`; buyers browsing lists also lose products
    hidden from listings."""
    user = info.context.user
    if not can_manage_products(info) and listings_only:
        if channel is None:
            return models.Product.objects.none()
        return models.Product.objects.visible_in_listings(channel)
    return models.Product.objects.visible_to_user(user, channel)


def _in_context(connection, channel):
    for edge in connection.edges:
        edge.node = ChannelContext(edge.node, channel)
    return connection


# `totalCount` of buyers' product lists stops here: counting every match of a broad filter
# or a short search word costs a pass over thousands of rows, and a shop shows "1,000+" anyway.
PRODUCT_LIST_COUNT_LIMIT = 1000


def listing_index_rows(info, channel, *, category=None, collection=None, condition=None):
    """The listing index rows of the products `visible_products(info, channel,
    listings_only=True)` gives, narrowed like `resolve_product_list` narrows them; None when
    the index does not apply (staff, who also see unlisted products; no channel; a database
    without the index)."""
    if channel is None or can_manage_products(info) or not listing_index_enabled():
        return None
    entries = listed_in(channel)
    if condition is not None:
        products = models.Product.objects.filter(condition)
        entries = entries.filter(product_id__in=products.values("pk"))
    if category is not None:
        entries = entries.filter(category_id__in=with_descendants([category.pk]))
    if collection is not None:
        entries = entries.filter(
            product_id__in=models.CollectionProduct.objects.filter(
                collection_id=collection.pk
            ).values("product_id")
        )
    return entries


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


def _products_of(info):
    """`load_nodes` for index rows: the products they point at, in the rows' order, without
    the large columns the query does not ask for. The rows' prices answer `pricing`."""

    def load(entries) -> list:
        products = models.Product.objects.defer(*_unread_columns(info)).in_bulk(
            [entry.product_id for entry in entries]
        )
        prices = ProductPriceRangeLoader(info.context)
        for entry in entries:
            prices.prime((entry.product_id, entry.channel_id), (entry.price, entry.max_price))
        return [products.get(entry.product_id) for entry in entries]

    return load


def _indexed_product_list(info, channel, filter, where, sort_by, search, paging, **scope):
    entries = listing_index_rows(info, channel, **scope)
    if entries is None:
        return None
    # Filters are resolved once (some read the catalogue: category trees, attribute values);
    # the search, as typed or as its correction (the same on every page), only narrows them.
    filtered = filter_listing_index(entries, channel, filter, where)
    search = search_text_for(filtered, search) if search else search
    connection = _leading_matches_page(info, filtered, filter, sort_by, search, paging)
    if connection is not None:
        return connection
    entries = matching(filtered, search)
    sorted_result = sort_listing_index(entries, sort_by, search)
    if sorted_result is None:
        return None
    sorted_entries, sort_fields, descending = sorted_result
    return _page_of_entries(
        info,
        sorted_entries,
        sort_fields,
        descending,
        count_queryset=entries,
        # Ranking reads every match anyway, so counting them all in the same pass is free.
        total_field="matches" if "search_rank" in sort_fields else None,
        **paging,
    )


def _leading_matches_page(info, filtered, filter, sort_by, search, paging):
    """A page of a broad search (best first, paging forward) answered from its top tier alone
    — names starting with the query, found and ranked from an index — when that tier holds
    more matches than a list counts and the whole page, and the next row, come from it; None
    otherwise. Ranking every match of a short, common word reads thousands of rows."""
    backwards = paging.get("last") or paging.get("before")
    if not ranks_best_first(sort_by) or (filter or {}).get("search") or backwards:
        return None
    leading = leading_matches(filtered, search)
    if leading is None:
        return None
    if leading[: PRODUCT_LIST_COUNT_LIMIT + 1].count() <= PRODUCT_LIST_COUNT_LIMIT:
        return None
    connection = _page_of_entries(
        info,
        leading,
        ["search_rank", "slug"],
        True,
        count_queryset=leading,
        total=(PRODUCT_LIST_COUNT_LIMIT, False),  # at least the tier's rows match
        **paging,
    )
    return connection if connection.page_info.has_next_page else None


def _page_of_entries(info, sorted_entries, sort_fields, descending, **options):
    """`paginate` for listing index rows: reads the sort keys and prices of a page's rows,
    then the products they point at."""
    columns = [field for field in sort_fields if field != "search_rank"]
    return paginate(
        sorted_entries.only("product_id", "channel_id", "price", "max_price", *columns),
        ProductCountableConnection,
        sort_fields=sort_fields,
        descending=descending,
        field_name="products",
        key="product_id",
        load_nodes=_products_of(info),
        count_limit=PRODUCT_LIST_COUNT_LIMIT,
        **options,
    )


def resolve_product_list(
    info,
    channel_slug,
    *,
    filter=None,
    where=None,
    sort_by=None,
    search=None,
    category=None,
    collection=None,
    condition: Q | None = None,
    **paging,
):
    """`products`, and the products of a category, a collection or any other `condition`
    (a province's, a producer's). Buyers' lists are read from the listing index when there is
    one; the catalogue query answers the rest."""
    channel = resolve_channel(info, channel_slug)
    if search and not sort_by:
        sort_by = {"field": "RANK", "direction": "DESC"}
    connection = _indexed_product_list(
        info,
        channel,
        filter,
        where,
        sort_by,
        search,
        paging,
        category=category,
        collection=collection,
        condition=condition,
    )
    if connection is None:
        connection = _catalogue_product_list(
            info, channel, filter, where, sort_by, search, category, collection, condition, paging
        )
    return _in_context(connection, channel)


def _catalogue_product_list(
    info, channel, filter, where, sort_by, search, category, collection, condition, paging
):
    queryset = visible_products(info, channel, listings_only=True)
    if condition is not None:
        queryset = queryset.filter(condition)
    if category is not None:
        queryset = queryset.filter(category_id__in=with_descendants([category.pk]))
    if collection is not None:
        queryset = queryset.filter(
            Exists(
                models.CollectionProduct.objects.filter(
                    product_id=OuterRef("pk"), collection_id=collection.pk
                )
            )
        )
    queryset = filter_products(queryset, channel, filter, where, search)
    return _paginate_sorted(
        sort_products(queryset, sort_by, channel, search, collection),
        queryset,
        ProductCountableConnection,
        "products",
        paging,
    )


def _one_lookup(**arguments):
    given = [name for name, value in arguments.items() if value]
    if len(given) != 1:
        names = ", ".join(f"'{name}'" for name in arguments)
        raise SaleorGraphQLError(f"Exactly one of arguments is required: {names}.")


def _by_translated_slug(translation_model, owner: str, slug, language_code):
    """IDs of objects whose translation into `language_code` has `slug` (or their own slug)."""
    translated = translation_model.objects.filter(
        slug=slug, language_code=language_from_enum(language_code)
    ).values(f"{owner}_id")
    return Q(slug=slug) | Q(pk__in=translated)


def _by_id_or_slug(queryset, type_name: str, translation_model, owner: str, id, slug, language):
    """`queryset` narrowed to the object `id` or `slug` names (with `language`, a slug of its
    translation also matches); None when `id` is not a readable `type_name` ID."""
    if id:
        pk = pk_from_global_id(id, type_name)
        return queryset.filter(pk=pk) if pk is not None else None
    if language:
        return queryset.filter(_by_translated_slug(translation_model, owner, slug, language))
    return queryset.filter(slug=slug)


def _first_in_context(queryset, channel):
    instance = queryset.first() if queryset is not None else None
    return ChannelContext(instance, channel) if instance else None


def _paginate_sorted(sorted_result, queryset, connection_type, field_name: str, paging: dict):
    """A page of `sort_*()`'s result; the total count comes from the unsorted `queryset`."""
    sorted_queryset, sort_fields, descending = sorted_result
    return paginate(
        sorted_queryset,
        connection_type,
        sort_fields=sort_fields,
        descending=descending,
        field_name=field_name,
        count_queryset=queryset,
        **paging,
    )


class ProductQueries(graphene.ObjectType):
    product = graphene.Field(
        Product,
        id=graphene.ID(description="ID of the product."),
        slug=graphene.String(description="Slug of the product."),
        slug_language_code=graphene.Argument(LanguageCodeEnum),
        external_reference=graphene.String(),
        channel=graphene.String(description="Slug of a channel."),
        description="Look up a product by ID, slug or external reference.",
    )
    products = graphene.Field(
        ProductCountableConnection,
        **connection_args(
            filter=graphene.Argument(
                ProductFilterInput, deprecation_reason="Use `where` filter instead."
            ),
            where=graphene.Argument(ProductWhereInput),
            sort_by=graphene.Argument(ProductOrder),
            search=graphene.String(),
            channel=graphene.String(description="Slug of a channel."),
        ),
        description="List of the shop's products.",
    )
    product_variant = graphene.Field(
        ProductVariant,
        id=graphene.ID(),
        sku=graphene.String(),
        external_reference=graphene.String(),
        channel=graphene.String(),
        description="Look up a variant by ID, SKU or external reference.",
    )
    category = graphene.Field(
        Category,
        id=graphene.ID(),
        slug=graphene.String(),
        slug_language_code=graphene.Argument(LanguageCodeEnum),
        description="Look up a category by ID or slug.",
    )
    categories = graphene.Field(
        CategoryCountableConnection,
        **connection_args(
            filter=graphene.Argument(CategoryFilterInput),
            where=graphene.Argument(CategoryWhereInput),
            sort_by=graphene.Argument(CategorySortingInput),
            level=graphene.Int(description="Filter categories by the nesting level."),
        ),
        description="List of the shop's categories.",
    )
    collection = graphene.Field(
        Collection,
        id=graphene.ID(),
        slug=graphene.String(),
        slug_language_code=graphene.Argument(LanguageCodeEnum),
        channel=graphene.String(),
        description="Look up a collection by ID or slug.",
    )
    collections = graphene.Field(
        CollectionCountableConnection,
        **connection_args(
            filter=graphene.Argument(
                CollectionFilterInput, deprecation_reason="Use `where` filter instead."
            ),
            where=graphene.Argument(CollectionWhereInput),
            sort_by=graphene.Argument(CollectionSortingInput),
            search=graphene.String(),
            channel=graphene.String(),
        ),
        description="List of the shop's collections.",
    )

    @staticmethod
    def resolve_products(_root, info, channel=None, **args):
        return resolve_product_list(info, channel, **args)

    @staticmethod
    def resolve_product(
        _root,
        info,
        id=None,
        slug=None,
        slug_language_code=None,
        external_reference=None,
        channel=None,
    ):
        _one_lookup(id=id, slug=slug, external_reference=external_reference)
        channel = resolve_channel(info, channel)
        products = visible_products(info, channel)
        if external_reference:
            products = products.filter(external_reference=external_reference)
        else:
            products = _by_id_or_slug(
                products,
                "Product",
                models.ProductTranslation,
                "product",
                id,
                slug,
                slug_language_code,
            )
        return _first_in_context(products, channel)

    @staticmethod
    def resolve_product_variant(
        _root, info, id=None, sku=None, external_reference=None, channel=None
    ):
        _one_lookup(id=id, sku=sku, external_reference=external_reference)
        channel = resolve_channel(info, channel)
        variants = models.ProductVariant.objects.filter(product__in=visible_products(info, channel))
        if channel is not None and not can_manage_products(info):
            variants = variants.filter(
                channel_listings__channel=channel, channel_listings__price_amount__isnull=False
            )
        if id:
            pk = pk_from_global_id(id, "ProductVariant")
            if pk is None:
                return None
            variants = variants.filter(pk=pk)
        elif sku:
            variants = variants.filter(sku=sku)
        else:
            variants = variants.filter(external_reference=external_reference)
        variant = variants.first()
        return ChannelContext(variant, channel) if variant else None

    @staticmethod
    def resolve_category(_root, _info, id=None, slug=None, slug_language_code=None):
        _one_lookup(id=id, slug=slug)
        categories = _by_id_or_slug(
            models.Category.objects.all(),
            "Category",
            models.CategoryTranslation,
            "category",
            id,
            slug,
            slug_language_code,
        )
        return categories.first() if categories is not None else None

    @staticmethod
    def resolve_categories(
        _root, _info, filter=None, where=None, sort_by=None, level=None, **paging
    ):
        require_one_filter(filter, where)
        queryset = models.Category.objects.filter(
            category_filter_q(filter) & category_where_q(where)
        )
        if level is not None:
            queryset = queryset.filter(level=level)
        return _paginate_sorted(
            sort_categories(queryset, sort_by),
            queryset,
            CategoryCountableConnection,
            "categories",
            paging,
        )

    @staticmethod
    def _visible_collections(info, channel):
        collections = models.Collection.objects.all()
        if can_manage_products(info):
            if channel is None:
                return collections
            return collections.filter(channel_listings__channel=channel)
        if channel is None:
            return collections.none()
        from django.utils import timezone

        now = timezone.now()
        published = models.CollectionChannelListing.objects.filter(
            Q(published_at__lte=now) | Q(published_at__isnull=True),
            collection_id=OuterRef("pk"),
            channel=channel,
            is_published=True,
        )
        return collections.filter(Exists(published))

    @staticmethod
    def resolve_collection(_root, info, id=None, slug=None, slug_language_code=None, channel=None):
        _one_lookup(id=id, slug=slug)
        channel = resolve_channel(info, channel)
        collections = _by_id_or_slug(
            ProductQueries._visible_collections(info, channel),
            "Collection",
            models.CollectionTranslation,
            "collection",
            id,
            slug,
            slug_language_code,
        )
        return _first_in_context(collections, channel)

    @staticmethod
    def resolve_collections(
        _root, info, filter=None, where=None, sort_by=None, search=None, channel=None, **paging
    ):
        require_one_filter(filter, where)
        channel = resolve_channel(info, channel)
        queryset = ProductQueries._visible_collections(info, channel).filter(
            collection_filter_q(filter, channel) & collection_where_q(where)
        )
        if search:
            queryset = queryset.filter(Q(name__icontains=search) | Q(slug__icontains=search))
        connection = _paginate_sorted(
            sort_collections(queryset, sort_by, channel),
            queryset,
            CollectionCountableConnection,
            "collections",
            paging,
        )
        return _in_context(connection, channel)
