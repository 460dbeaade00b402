"""Batch loaders for the catalog. Keys that depend on a channel are (object id, channel id)."""

from django.db.models import F, Max, Min

from backend.channel.reference import channels
from backend.graphql.core.dataloaders import (
    ByIdLoader,
    ByPairLoader,
    DataLoader,
    InMemoryLoader,
    TranslationLoader,
    group_by,
)
from backend.product.models import (
    CategoryTranslation,
    Collection,
    CollectionChannelListing,
    CollectionTranslation,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    ProductVariantTranslation,
)
from backend.product.reference import category_tree
from backend.warehouse.availability import available_per_channel


class ChannelByIdLoader(InMemoryLoader):
    def mapping(self):
        return channels().by_id


class ChannelBySlugLoader(InMemoryLoader):
    def mapping(self):
        return channels().by_slug


class CategoryByIdLoader(InMemoryLoader):
    def mapping(self):
        return category_tree().by_id


class CollectionByIdLoader(ByIdLoader):
    model = Collection


class ProductByIdLoader(ByIdLoader):
    model = Product


class ProductTypeByIdLoader(ByIdLoader):
    model = ProductType


class ProductVariantByIdLoader(ByIdLoader):
    model = ProductVariant


class ChildrenByCategoryIdLoader(InMemoryLoader):
    missing = ()

    def mapping(self):
        return category_tree().children


class VariantsByProductIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(
            ProductVariant.objects.filter(product_id__in=keys), lambda v: v.product_id
        )
        return [grouped.get(key, []) for key in keys]


class MediaByProductIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(ProductMedia.objects.filter(product_id__in=keys), lambda m: m.product_id)
        return [grouped.get(key, []) for key in keys]


class MediaByVariantIdLoader(DataLoader):
    def batch_load(self, keys):
        links = ProductMedia.variants.through.objects.filter(
            productvariant_id__in=keys
        ).select_related("productmedia")
        grouped = group_by(links, lambda link: link.productvariant_id)
        return [
            sorted(
                (link.productmedia for link in grouped.get(key, [])),
                key=lambda media: (media.sort_order, media.pk),
            )
            for key in keys
        ]


class _ByObjectAndChannelLoader(ByPairLoader):
    """One row per (object id, channel id) key."""

    pair_field = "channel_id"


class ProductChannelListingLoader(_ByObjectAndChannelLoader):
    model = ProductChannelListing
    object_field = "product"


class VariantChannelListingLoader(_ByObjectAndChannelLoader):
    model = ProductVariantChannelListing
    object_field = "variant"


class CollectionChannelListingLoader(_ByObjectAndChannelLoader):
    model = CollectionChannelListing
    object_field = "collection"


class VariantChannelListingsByProductLoader(DataLoader):
    """All variant listings of a product in a channel, keyed by (product id, channel id)."""

    def batch_load(self, keys):
        rows = ProductVariantChannelListing.objects.filter(
            variant__product_id__in={product_id for product_id, _ in keys},
            channel_id__in={channel_id for _, channel_id in keys},
        ).annotate(product_id=F("variant__product_id"))
        grouped = group_by(rows, lambda row: (row.product_id, row.channel_id))
        return [grouped.get(key, []) for key in keys]


class ProductPriceRangeLoader(DataLoader):
    """(cheapest, dearest) variant price of a product in a channel, in minor units, keyed by
    (product id, channel id): None when the product has no listing in the channel, (None, None)
    when none of its variants is priced there. Lists read from the listing index prime it with
    the index row's prices, which are these same two figures."""

    def batch_load(self, keys):
        product_ids = {product_id for product_id, _ in keys}
        channel_ids = {channel_id for _, channel_id in keys}
        listed = set(
            ProductChannelListing.objects.filter(
                product_id__in=product_ids, channel_id__in=channel_ids
            ).values_list("product_id", "channel_id")
        )
        prices = {
            (product_id, channel_id): (low, high)
            for product_id, channel_id, low, high in ProductVariantChannelListing.objects.filter(
                variant__product_id__in=product_ids,
                channel_id__in=channel_ids,
                price_amount__isnull=False,
            )
            .values_list("variant__product_id", "channel_id")
            .annotate(low=Min("price_amount"), high=Max("price_amount"))
            .order_by()
        }
        return [prices.get(key, (None, None)) if key in listed else None for key in keys]


class QuantityAvailableLoader(DataLoader):
    """Units of a variant that can ship in a channel, keyed by (variant id, channel id): the
    warehouse domain's availability rule."""

    def batch_load(self, keys):
        totals = available_per_channel(
            {variant_id for variant_id, _ in keys}, {channel_id for _, channel_id in keys}
        )
        return [totals.get(key, 0) for key in keys]


class ProductTranslationLoader(TranslationLoader):
    model = ProductTranslation
    object_field = "product"


class ProductVariantTranslationLoader(TranslationLoader):
    model = ProductVariantTranslation
    object_field = "product_variant"


class CategoryTranslationLoader(TranslationLoader):
    model = CategoryTranslation
    object_field = "category"


class CollectionTranslationLoader(TranslationLoader):
    model = CollectionTranslation
    object_field = "collection"


class CollectionsByProductIdLoader(DataLoader):
    def batch_load(self, keys):
        links = Collection.products.through.objects.filter(product_id__in=keys).select_related(
            "collection"
        )
        grouped = group_by(links, lambda link: link.product_id)
        return [[link.collection for link in grouped.get(key, [])] for key in keys]
