"""Catalog types with Saleor's names: products, variants, media, product types, categories,
collections, their pricing and translations.

Products, variants and collections are resolved inside a `ChannelContext` (the object plus the
channel it is seen in), because prices, availability and visibility depend on the channel.
"""

from dataclasses import dataclass

import graphene
from django.conf import settings
from django.utils import timezone

from backend.account.permissions import ProductPermissions, has_one_of_permissions
from backend.graphql.attribute.dataloaders import (
    AttributeProductsByProductTypeIdLoader,
    AttributeValuesByProductIdLoader,
    AttributeValuesByVariantIdLoader,
    AttributeVariantsByProductTypeIdLoader,
)
from backend.graphql.attribute.types import (
    AssignedAttribute,
    Attribute,
    SelectedAttribute,
    assigned_attributes,
    load_translation,
    resolve_assigned_attributes,
    resolve_selected_attributes,
)
from backend.graphql.core.connection import CountableConnection, connection_args, paginate_list
from backend.graphql.core.dataloaders import gather, then
from backend.graphql.core.enums import (
    CountryCode,
    LanguageCodeEnum,
    MediaChoicesSortField,
    OrderDirection,
    ProductMediaType,
    ThumbnailFormatEnum,
    VariantAttributeScope,
)
from backend.graphql.core.ids import global_id, global_id_resolver
from backend.graphql.core.scalars import PositiveInt
from backend.graphql.core.types import (
    Image,
    LanguageDisplay,
    ObjectWithMetadata,
    TaxedMoney,
    TaxedMoneyRange,
    TranslationResolvers,
)
from backend.graphql.ocop import dataloaders as ocop_loaders
from backend.graphql.ocop.types import visible_producer
from backend.graphql.product import dataloaders as loaders
from backend.product import models
from backend.thumbnail.utils import thumbnail_url

# Prices are VAT-inclusive and the same everywhere in a channel, so `address` changes nothing.
ADDRESS_INPUT = "backend.graphql.account.types.AddressInput"


@dataclass
class ChannelContext:
    """An object seen in a channel (a Channel, or None when not channel-scoped)."""

    node: object
    channel: object

    def __getattr__(self, name):
        if name in ("node", "channel"):
            raise AttributeError(name)
        return getattr(self.node, name)


def unwrap(root) -> tuple[object, object]:
    if isinstance(root, ChannelContext):
        return root.node, root.channel
    return root, None


def can_manage_products(info) -> bool:
    return has_one_of_permissions(info.context.user, [ProductPermissions.MANAGE_PRODUCTS])


def _thumbnail_format(format) -> str | None:
    value = getattr(format, "value", format)
    return None if value in (None, "ORIGINAL") else str(value).lower()


def first_image_thumbnail(info, media, size=None, format=None) -> Image | None:
    """The thumbnail of the first image among `media` (videos skipped), or None."""
    image = next((m for m in media if m.type == "IMAGE" and m.image), None)
    if image is None:
        return None
    url = thumbnail_url(
        info.context, global_id("ProductMedia", image.pk), size, _thumbnail_format(format)
    )
    return Image(url=url, alt=image.alt)


def file_url(info, field_file) -> str:
    return info.context.build_absolute_uri(field_file.url)


def image_url(info, instance_global_id: str, field_file, size, format) -> str:
    """The original file when no size is asked, otherwise the thumbnail address."""
    if not size and _thumbnail_format(format) is None:
        return file_url(info, field_file)
    return thumbnail_url(info.context, instance_global_id, size, _thumbnail_format(format))


def thumbnail_args():
    return {
        "size": graphene.Int(description="Size of the image, rounded to the nearest we make."),
        "format": graphene.Argument(
            ThumbnailFormatEnum, default_value=ThumbnailFormatEnum.ORIGINAL.value
        ),
    }


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True, description="Weight unit (G).")
    value = graphene.Float(required=True)

    @staticmethod
    def from_grams(grams):
        return None if grams is None else Weight(unit="G", value=float(grams))


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)
    display_gross_prices = graphene.Boolean(required=True)


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)
    price_prior = graphene.Field(TaxedMoney)


class ProductMedia(graphene.ObjectType):
    id = graphene.ID(required=True)
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaType, required=True)
    oembed_data = graphene.JSONString(required=True)
    url = graphene.String(required=True, **thumbnail_args())
    product_id = graphene.ID()

    resolve_id = staticmethod(global_id_resolver("ProductMedia"))

    @staticmethod
    def resolve_type(root, _info):
        return ProductMediaType.get(root.type)

    @staticmethod
    def resolve_oembed_data(_root, _info):
        return {}

    @staticmethod
    def resolve_product_id(root, _info):
        return global_id("Product", root.product_id)

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        if root.type == models.ProductMediaType.VIDEO or not root.image:
            return root.external_url or ""
        return image_url(info, global_id("ProductMedia", root.pk), root.image, size, format)


def _media_sorted(media, sort_by):
    if sort_by:
        return sorted(media, key=lambda m: m.pk, reverse=sort_by.get("direction") == "DESC")
    return media


class MediaSortingInput(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True)
    field = graphene.Field(MediaChoicesSortField, required=True)


class ProductTypeKindEnum(graphene.Enum):
    NORMAL = "normal"
    GIFT_CARD = "gift_card"


class ProductType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    kind = graphene.Field(ProductTypeKindEnum, required=True)
    weight = graphene.Field(Weight)
    product_attributes = graphene.List(Attribute)
    variant_attributes = graphene.List(
        Attribute, variant_selection=graphene.Argument(VariantAttributeScope)
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)

    resolve_id = staticmethod(global_id_resolver("ProductType"))

    @staticmethod
    def resolve_weight(root, _info):
        return Weight.from_grams(root.weight_grams)

    @staticmethod
    def resolve_product_attributes(root, info):
        return then(
            AttributeProductsByProductTypeIdLoader(info.context).load(root.pk),
            lambda rows: [row.attribute for row in rows],
        )

    @staticmethod
    def resolve_variant_attributes(root, info, variant_selection=None):
        return then(
            AttributeVariantsByProductTypeIdLoader(info.context).load(root.pk),
            lambda rows: [row.attribute for row in _in_scope(rows, variant_selection)],
        )


def _in_scope(rows, scope):
    scope = getattr(scope, "value", scope)
    if scope == "VARIANT_SELECTION":
        return [row for row in rows if row.variant_selection]
    if scope == "NOT_VARIANT_SELECTION":
        return [row for row in rows if not row.variant_selection]
    return rows


# --- Translations -----------------------------------------------------------------------------


def _translation_type(
    name: str, with_slug_and_seo: bool, description_field: str | None, name_required=False
):
    fields = {
        "id": graphene.ID(required=True),
        "language": graphene.Field(LanguageDisplay, required=True),
        "name": graphene.String(required=name_required),
    }
    if with_slug_and_seo:
        fields["slug"] = graphene.String()
        fields["seo_title"] = graphene.String()
        fields["seo_description"] = graphene.String()
    if description_field:
        fields[description_field] = graphene.JSONString()
        fields[f"resolve_{description_field}"] = staticmethod(lambda root, _info: root.description)
    return type(name, (TranslationResolvers, graphene.ObjectType), fields)


ProductTranslation = _translation_type("ProductTranslation", True, "description")
CategoryTranslation = _translation_type("CategoryTranslation", True, "description")
CollectionTranslation = _translation_type("CollectionTranslation", True, "description")
ProductVariantTranslation = _translation_type(
    "ProductVariantTranslation", False, None, name_required=True
)


def _source_with(model, **relation):
    """Vietnamese "translation": the object's own text, as an unsaved translation row."""

    def build(instance):
        fields = {"name": instance.name}
        for field in ("slug", "seo_title", "seo_description", "description"):
            if hasattr(model, field) and hasattr(instance, field):
                fields[field] = getattr(instance, field)
        return model(**{key: instance for key in relation}, **fields)

    return build


def translation_field(type_):
    return graphene.Field(type_, language_code=graphene.Argument(LanguageCodeEnum, required=True))


# --- Product ----------------------------------------------------------------------------------


def _is_available_for_purchase(listing) -> bool:
    return bool(
        listing
        and listing.available_for_purchase_at is not None
        and listing.available_for_purchase_at <= timezone.now()
    )


def _is_published(listing) -> bool:
    return bool(
        listing
        and listing.is_published
        and (listing.published_at is None or listing.published_at <= timezone.now())
    )


def _sorted_by_type_order(values, attribute_rows):
    """Values ordered as the product type lists their attributes."""
    position = {row.attribute_id: index for index, row in enumerate(attribute_rows)}
    allowed = [value for value in values if value.attribute_id in position]
    return sorted(allowed, key=lambda value: position[value.attribute_id])


def _rows_with_values(rows, values, scope=None):
    """Promise of (type attribute rows in scope, the values ordered like those rows)."""

    def order(rows, values):
        in_scope = _in_scope(rows, scope)
        return in_scope, _sorted_by_type_order(values, in_scope)

    return then(rows, lambda rows: then(values, lambda values: order(rows, values)))


def _selected_attributes(info, rows_and_values):
    return then(
        rows_and_values,
        lambda result: resolve_selected_attributes(
            info, [row.attribute for row in result[0]], result[1]
        ),
    )


def _assigned_attributes(info, rows_and_values, limit):
    """The type's rows come with their attributes, in the values' order."""
    return then(
        rows_and_values,
        lambda result: assigned_attributes(
            info, result[1], [row.attribute for row in result[0]], limit
        ),
    )


class Product(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString(description="Description in EditorJS JSON.")
    product_type = graphene.Field(ProductType, required=True)
    slug = graphene.String(required=True)
    external_reference = graphene.String()
    category = graphene.Field(lambda: Category)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    weight = graphene.Field(Weight)
    default_variant = graphene.Field(lambda: ProductVariant)
    rating = graphene.Float()
    channel = graphene.String(description="Channel slug the product is seen in.")
    thumbnail = graphene.Field(Image, **thumbnail_args())
    pricing = graphene.Field(ProductPricingInfo, address=graphene.Argument(ADDRESS_INPUT))
    is_available = graphene.Boolean(
        address=graphene.Argument(ADDRESS_INPUT, deprecation_reason="Not used.")
    )
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute),
        required=True,
        deprecation_reason="Use the `assignedAttributes` field instead.",
    )
    assigned_attribute = graphene.Field(AssignedAttribute, slug=graphene.String(required=True))
    assigned_attributes = graphene.List(
        graphene.NonNull(AssignedAttribute),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
    )
    variants = graphene.List(
        graphene.NonNull(lambda: ProductVariant),
        deprecation_reason="Use the `productVariants` field instead.",
    )
    product_variants = graphene.Field(
        lambda: ProductVariantCountableConnection,
        **connection_args(
            filter=graphene.Argument(
                "backend.graphql.product.filters.ProductVariantFilterInput",
                deprecation_reason="Use `where` filter instead.",
            ),
            where=graphene.Argument("backend.graphql.product.filters.ProductVariantWhereInput"),
            sort_by=graphene.Argument("backend.graphql.product.sorters.ProductVariantSortingInput"),
        ),
    )
    media = graphene.List(
        graphene.NonNull(ProductMedia), sort_by=graphene.Argument(MediaSortingInput)
    )
    collections = graphene.List(graphene.NonNull(lambda: Collection))
    translation = translation_field(ProductTranslation)
    producer = graphene.Field(
        "backend.graphql.ocop.types.Producer", description="The OCOP producer making it."
    )
    province = graphene.Field(
        "backend.graphql.ocop.types.Province", description="The producer's province."
    )
    ocop_certification = graphene.Field(
        "backend.graphql.ocop.types.OcopCertification",
        description="The OCOP star badge: the best certification valid today, if any.",
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents an individual item for sale in the storefront."

    @staticmethod
    def resolve_producer(root, info):
        if root.producer_id is None:
            return None
        return then(
            ocop_loaders.ProducerByIdLoader(info.context).load(root.producer_id),
            lambda producer: visible_producer(info, producer),
        )

    @staticmethod
    def resolve_province(root, info):
        if root.producer_id is None:
            return None
        return then(
            ocop_loaders.ProducerByIdLoader(info.context).load(root.producer_id),
            lambda producer: ocop_loaders.ProvinceByIdLoader(info.context).load(
                producer.province_id
            ),
        )

    @staticmethod
    def resolve_ocop_certification(root, info):
        return ocop_loaders.BadgeByProductIdLoader(info.context).load(root.pk)

    resolve_id = staticmethod(global_id_resolver("Product"))

    @staticmethod
    def resolve_product_type(root, info):
        return loaders.ProductTypeByIdLoader(info.context).load(root.product_type_id)

    @staticmethod
    def resolve_category(root, info):
        if root.category_id is None:
            return None
        return loaders.CategoryByIdLoader(info.context).load(root.category_id)

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_weight(root, _info):
        return Weight.from_grams(root.weight_grams)

    @staticmethod
    def resolve_channel(root, _info):
        _, channel = unwrap(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        return then(
            loaders.MediaByProductIdLoader(info.context).load(root.pk),
            lambda media: first_image_thumbnail(info, media, size, format),
        )

    @staticmethod
    def resolve_media(root, info, sort_by=None):
        return then(
            loaders.MediaByProductIdLoader(info.context).load(root.pk),
            lambda media: _media_sorted(media, sort_by),
        )

    @staticmethod
    def _listing(root, info):
        product, channel = unwrap(root)
        if channel is None:
            return None
        return loaders.ProductChannelListingLoader(info.context).load((product.pk, channel.pk))

    @staticmethod
    def resolve_pricing(root, info, address=None):
        product, channel = unwrap(root)
        if channel is None:
            return None

        def build(prices):
            if prices is None:  # not listed in the channel
                return None
            low, high = prices
            price_range = (
                TaxedMoneyRange.from_minor(low, high, channel.currency_code)
                if low is not None
                else None
            )
            return ProductPricingInfo(
                on_sale=False,
                discount=None,
                price_range=price_range,
                price_range_undiscounted=price_range,
                display_gross_prices=True,
            )

        key = (product.pk, channel.pk)
        return then(loaders.ProductPriceRangeLoader(info.context).load(key), build)

    @staticmethod
    def resolve_is_available(root, info, address=None):
        return then(
            Product._listing(root, info),
            lambda listing: _is_published(listing) and _is_available_for_purchase(listing),
        )

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        return then(Product._listing(root, info), _is_available_for_purchase)

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        return then(
            Product._listing(root, info),
            lambda listing: listing.available_for_purchase_at if listing else None,
        )

    @staticmethod
    def _attribute_values(root, info):
        """(product-type attribute rows, the product's values in that order)."""
        return _rows_with_values(
            AttributeProductsByProductTypeIdLoader(info.context).load(root.product_type_id),
            AttributeValuesByProductIdLoader(info.context).load(root.pk),
        )

    @staticmethod
    def resolve_attributes(root, info):
        return _selected_attributes(info, Product._attribute_values(root, info))

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return _assigned_attributes(info, Product._attribute_values(root, info), limit)

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        def pick(result):
            rows, values = result
            ids = {row.attribute_id for row in rows if row.attribute.slug == slug}
            if not ids:
                return None
            chosen = [value for value in values if value.attribute_id in ids]
            return then(
                resolve_assigned_attributes(info, chosen, 1),
                lambda assigned: assigned[0] if assigned else None,
            )

        return then(Product._attribute_values(root, info), pick)

    @staticmethod
    def _visible_variants(root, info):
        product, channel = unwrap(root)
        variants = loaders.VariantsByProductIdLoader(info.context).load(product.pk)
        if can_manage_products(info) or channel is None:
            if channel is None and not can_manage_products(info):
                return []
            return then(variants, lambda items: [ChannelContext(v, channel) for v in items])

        def priced(results):
            items, listings = results
            priced_ids = {row.variant_id for row in listings if row.price_amount is not None}
            return [ChannelContext(v, channel) for v in items if v.pk in priced_ids]

        listings = loaders.VariantChannelListingsByProductLoader(info.context).load(
            (product.pk, channel.pk)
        )
        return then(gather([variants, listings]), priced)

    @staticmethod
    def resolve_variants(root, info):
        return Product._visible_variants(root, info)

    @staticmethod
    def resolve_default_variant(root, info):
        def pick(variants):
            default = next((v for v in variants if v.node.is_default), None)
            return default or (variants[0] if variants else None)

        return then(Product._visible_variants(root, info), pick)

    @staticmethod
    def resolve_product_variants(root, info, filter=None, where=None, sort_by=None, **paging):
        from backend.graphql.product.filters import filter_variants

        def page(variants):
            selected = filter_variants(variants, filter, where, sort_by)
            return paginate_list(
                selected, ProductVariantCountableConnection, field_name="productVariants", **paging
            )

        return then(Product._visible_variants(root, info), page)

    @staticmethod
    def resolve_collections(root, info):
        product, channel = unwrap(root)
        collections = loaders.CollectionsByProductIdLoader(info.context).load(product.pk)
        return then(collections, lambda items: visible_collections(info, items, channel))

    @staticmethod
    def resolve_translation(root, info, language_code):
        product, _ = unwrap(root)
        return load_translation(
            info,
            loaders.ProductTranslationLoader,
            product,
            language_code,
            _source_with(models.ProductTranslation, product=True),
        )


def visible_collections(info, collections, channel):
    """Collections published in `channel` (all of them for staff), in a ChannelContext."""
    if can_manage_products(info):
        return [ChannelContext(c, channel) for c in collections]
    if channel is None:
        return []
    keys = [(c.pk, channel.pk) for c in collections]

    def published(listings):
        return [
            ChannelContext(c, channel)
            for c, listing in zip(collections, listings, strict=True)
            if _is_published(listing)
        ]

    return then(loaders.CollectionChannelListingLoader(info.context).load_many(keys), published)


# --- Variant ----------------------------------------------------------------------------------


class ProductVariant(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    sku = graphene.String()
    product = graphene.Field(Product, required=True)
    track_inventory = graphene.Boolean(required=True)
    quantity_limit_per_customer = graphene.Int()
    weight = graphene.Field(Weight)
    channel = graphene.String()
    external_reference = graphene.String()
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    pricing = graphene.Field(VariantPricingInfo, address=graphene.Argument(ADDRESS_INPUT))
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute),
        required=True,
        variant_selection=graphene.Argument(VariantAttributeScope),
        deprecation_reason="Use the `assignedAttributes` field instead.",
    )
    assigned_attributes = graphene.List(
        graphene.NonNull(AssignedAttribute),
        required=True,
        limit=graphene.Argument(PositiveInt, default_value=100),
    )
    media = graphene.List(graphene.NonNull(ProductMedia))
    translation = translation_field(ProductVariantTranslation)
    quantity_available = graphene.Int(
        address=graphene.Argument(ADDRESS_INPUT, deprecation_reason="Not used."),
        country_code=graphene.Argument(
            CountryCode, deprecation_reason="Use `address` argument instead."
        ),
    )

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a version of a product such as different size or color."

    resolve_id = staticmethod(global_id_resolver("ProductVariant"))

    @staticmethod
    def resolve_name(root, _info):
        return root.name or ""

    @staticmethod
    def resolve_product(root, info):
        _, channel = unwrap(root)
        return then(
            loaders.ProductByIdLoader(info.context).load(root.product_id),
            lambda product: ChannelContext(product, channel),
        )

    @staticmethod
    def resolve_weight(root, _info):
        return Weight.from_grams(root.weight_grams)

    @staticmethod
    def resolve_channel(root, _info):
        _, channel = unwrap(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_pricing(root, info, address=None):
        variant, channel = unwrap(root)
        if channel is None:
            return None

        def build(listing):
            if listing is None or listing.price_amount is None:
                return None
            price = TaxedMoney.from_minor(listing.price_amount, channel.currency_code)
            return VariantPricingInfo(
                on_sale=False,
                discount=None,
                price=price,
                price_undiscounted=price,
                price_prior=TaxedMoney.from_minor(
                    listing.prior_price_amount, channel.currency_code
                ),
            )

        return then(
            loaders.VariantChannelListingLoader(info.context).load((variant.pk, channel.pk)), build
        )

    @staticmethod
    def _attribute_values(root, info, scope=None):
        def load(product):
            return _rows_with_values(
                AttributeVariantsByProductTypeIdLoader(info.context).load(product.product_type_id),
                AttributeValuesByVariantIdLoader(info.context).load(root.pk),
                scope,
            )

        return then(loaders.ProductByIdLoader(info.context).load(root.product_id), load)

    @staticmethod
    def resolve_attributes(root, info, variant_selection=None):
        return _selected_attributes(
            info, ProductVariant._attribute_values(root, info, variant_selection)
        )

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return _assigned_attributes(info, ProductVariant._attribute_values(root, info), limit)

    @staticmethod
    def resolve_media(root, info):
        return loaders.MediaByVariantIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_translation(root, info, language_code):
        variant, _ = unwrap(root)
        return load_translation(
            info,
            loaders.ProductVariantTranslationLoader,
            variant,
            language_code,
            _source_with(models.ProductVariantTranslation, product_variant=True),
        )

    @staticmethod
    def resolve_quantity_available(root, info, address=None, country_code=None):
        variant, channel = unwrap(root)
        if channel is None:
            return None
        limit = variant.quantity_limit_per_customer or settings.MAX_CHECKOUT_LINE_QUANTITY
        if not variant.track_inventory:
            return limit
        return then(
            loaders.QuantityAvailableLoader(info.context).load((variant.pk, channel.pk)),
            lambda available: min(available, limit),
        )


# --- Category and collection ------------------------------------------------------------------


def _background_image(info, type_name, instance, size, format):
    if not instance.background_image:
        return None
    url = image_url(
        info, global_id(type_name, instance.pk), instance.background_image, size, format
    )
    return Image(url=url, alt=instance.background_image_alt)


def _product_list_args():
    return {
        "filter": graphene.Argument(
            "backend.graphql.product.filters.ProductFilterInput",
            deprecation_reason="Use `where` filter instead.",
        ),
        "where": graphene.Argument("backend.graphql.product.filters.ProductWhereInput"),
        "sort_by": graphene.Argument("backend.graphql.product.sorters.ProductOrder"),
        "search": graphene.String(),
    }


class Category(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    slug = graphene.String(required=True)
    parent = graphene.Field(lambda: Category)
    level = graphene.Int(required=True)
    updated_at = graphene.DateTime(required=True)
    ancestors = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    children = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    products = graphene.Field(
        lambda: ProductCountableConnection,
        **connection_args(**_product_list_args(), channel=graphene.String()),
    )
    background_image = graphene.Field(Image, **thumbnail_args())
    translation = translation_field(CategoryTranslation)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a single category of products."

    resolve_id = staticmethod(global_id_resolver("Category"))

    @staticmethod
    def resolve_parent(root, info):
        if root.parent_id is None:
            return None
        return loaders.CategoryByIdLoader(info.context).load(root.parent_id)

    @staticmethod
    def resolve_ancestors(root, info, **paging):
        def climb(category, chain):
            if category is None or category.parent_id is None:
                return chain
            return then(
                loaders.CategoryByIdLoader(info.context).load(category.parent_id),
                lambda parent: climb(parent, [*chain, parent] if parent else chain),
            )

        return then(
            climb(root, []),
            lambda chain: paginate_list(
                chain, CategoryCountableConnection, field_name="ancestors", **paging
            ),
        )

    @staticmethod
    def resolve_children(root, info, **paging):
        return then(
            loaders.ChildrenByCategoryIdLoader(info.context).load(root.pk),
            lambda children: paginate_list(
                children, CategoryCountableConnection, field_name="children", **paging
            ),
        )

    @staticmethod
    def resolve_products(root, info, channel=None, **args):
        from backend.graphql.product.schema import resolve_product_list

        return resolve_product_list(info, channel, category=root, **args)

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        return _background_image(info, "Category", root, size, format)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return load_translation(
            info,
            loaders.CategoryTranslationLoader,
            root,
            language_code,
            _source_with(models.CategoryTranslation, category=True),
        )


class Collection(graphene.ObjectType):
    id = graphene.ID(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    slug = graphene.String(required=True)
    channel = graphene.String()
    products = graphene.Field(
        lambda: ProductCountableConnection, **connection_args(**_product_list_args())
    )
    background_image = graphene.Field(Image, **thumbnail_args())
    translation = translation_field(CollectionTranslation)

    class Meta:
        interfaces = (ObjectWithMetadata,)
        description = "Represents a collection of products."

    resolve_id = staticmethod(global_id_resolver("Collection"))

    @staticmethod
    def resolve_channel(root, _info):
        _, channel = unwrap(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_products(root, info, **args):
        from backend.graphql.product.schema import resolve_product_list

        collection, channel = unwrap(root)
        return resolve_product_list(
            info, channel.slug if channel else None, collection=collection, **args
        )

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        collection, _ = unwrap(root)
        return _background_image(info, "Collection", collection, size, format)

    @staticmethod
    def resolve_translation(root, info, language_code):
        collection, _ = unwrap(root)
        return load_translation(
            info,
            loaders.CollectionTranslationLoader,
            collection,
            language_code,
            _source_with(models.CollectionTranslation, collection=True),
        )


# --- Connections ------------------------------------------------------------------------------


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product
        strict_types = True


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariant
        strict_types = True


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = Category
        strict_types = True


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection
        strict_types = True
