"""Catalog queries: products, variants, categories and collections, as Saleor 3 answers them.
Product lists are the catalogue query's (see resolvers.py)."""

import graphene
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.core.ids import pk_from_global_id
from backend.graphql.attribute.types import language_from_enum
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.errors import SaleorGraphQLError
from backend.graphql.product.filters.category import (
    CategoryFilterInput,
    CategoryWhereInput,
    category_filter_q,
    category_where_q,
)
from backend.graphql.product.filters.collection import (
    CollectionFilterInput,
    CollectionWhereInput,
    collection_filter_q,
    collection_where_q,
)
from backend.graphql.product.filters.product import ProductFilterInput, ProductWhereInput
from backend.graphql.product.filters.shared import require_one_filter
from backend.graphql.product.mutations import ProductMutations  # noqa: F401
from backend.graphql.product.resolvers import (
    can_manage_products,
    member_producer_ids,
    resolve_channel,
    resolve_products,
    visible_products,
)
from backend.graphql.product.sorters import (
    CategorySortingInput,
    CollectionSortingInput,
    ProductOrder,
    sort_categories,
    sort_collections,
)
from backend.graphql.product.types import (
    Category,
    CategoryCountableConnection,
    Collection,
    CollectionCountableConnection,
    Product,
    ProductCountableConnection,
    ProductVariant,
)
from backend.product import models


def _in_context(connection, channel):
    for edge in connection.edges:
        edge.node = ChannelContext(edge.node, channel)
    return connection


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
        return resolve_products(info, ProductCountableConnection, channel, **args)

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
            # Buyers see variants priced in the channel; members also their own unpriced ones.
            priced = models.ProductVariantChannelListing.objects.filter(
                variant_id=OuterRef("pk"), channel=channel, price_amount__isnull=False
            )
            variants = variants.filter(
                Q(Exists(priced)) | Q(product__producer_id__in=sorted(member_producer_ids(info)))
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
