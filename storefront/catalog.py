"""Read-side helpers for the shop pages: which channel, which products, and what each card or
product page shows. Which products a list holds, in which order, is the catalogue query's
(backend/product/catalogue/, see storefront/listing.py); visibility of one product comes from
`Product.objects` (backend/product/managers.py). This module shapes bounded queries around
them."""

from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import get_language

from backend.channel.reference import channels
from backend.ocop.services import badges_for_products
from backend.product.catalogue.filters import ProductFilter
from backend.product.catalogue.query import CatalogueQuery
from backend.product.catalogue.sorting import ProductSort, SortField
from backend.product.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductMedia,
    ProductMediaType,
    ProductTranslation,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.warehouse.availability import selling_stocks


def current_channel():
    """The shop sells in the default channel (`vn`); None when it is missing or inactive."""
    channel = channels().by_slug.get(settings.DEFAULT_CHANNEL_SLUG)
    return channel if channel is not None and channel.is_active else None


def in_active_language(relation="translations", model=ProductTranslation):
    """Prefetch the translations of the active language as `active_translations` (read by the
    `localized` template filter); nothing to fetch when the shop speaks its source language."""
    language = get_language() or settings.LANGUAGE_CODE
    queryset = model.objects.filter(language_code=language)
    if language == settings.LANGUAGE_CODE:
        queryset = queryset.none()
    return Prefetch(relation, queryset=queryset, to_attr="active_translations")


def categories_in_active_language():
    return Category.objects.prefetch_related(in_active_language(model=CategoryTranslation))


def _images():
    return Prefetch(
        "media",
        queryset=ProductMedia.objects.filter(type=ProductMediaType.IMAGE),
        to_attr="images",
    )


# What a product card reads along with each product (see `CatalogueQuery.page`).
CARD_RELATED = ("producer__province",)


def card_prefetch():
    return (_images(), in_active_language())


def newest(channel, count: int) -> list:
    """The `count` products listed last in `channel`, ready for product cards."""
    query = CatalogueQuery(channel, sort=ProductSort(SortField.CREATED_AT, descending=True))
    return query.page(0, count, related=CARD_RELATED, prefetch=card_prefetch())


def category_names(names: dict[int, str]) -> dict[int, str]:
    """`names` ({category id: its Vietnamese name}) in the active language, where translated;
    a query only when the shop speaks another language."""
    names = dict(names)
    language = get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE and names:
        translated = CategoryTranslation.objects.filter(
            category_id__in=names, language_code=language
        ).exclude(name="")
        names.update(translated.values_list("category_id", "name"))
    return names


@dataclass(frozen=True)
class VariantOffer:
    """A variant as the buyer sees it in the channel: its price and whether it can be bought."""

    variant: ProductVariant
    price: int
    currency: str
    in_stock: bool
    available: int | None  # units on sale; None when the variant's stock is not tracked


def product_for_page(user, channel, slug):
    """The product shown at `slug` if `user` may see it in `channel`, with variants, prices,
    stock and images prefetched; None otherwise."""
    if channel is None:
        return None
    variants = ProductVariant.objects.prefetch_related(
        Prefetch(
            "channel_listings",
            queryset=ProductVariantChannelListing.objects.filter(
                channel=channel, price_amount__isnull=False
            ),
            to_attr="channel_prices",
        ),
        Prefetch(
            "stocks",
            queryset=selling_stocks(channel).annotate_available(),
            to_attr="channel_stocks",
        ),
    )
    return (
        Product.objects.visible_to_user(user, channel)
        .select_related("producer__province", "category", "product_type")
        .prefetch_related(
            _images(),
            in_active_language(),
            in_active_language("category__translations", CategoryTranslation),
            Prefetch("variants", queryset=variants),
        )
        .filter(slug=slug)
        .first()
    )


def variant_offers(product):
    """Offers for the variants priced in the channel, in their display order."""
    offers = []
    for variant in product.variants.all():
        if not variant.channel_prices:
            continue
        listing = variant.channel_prices[0]
        available = sum(stock.available for stock in variant.channel_stocks)
        offers.append(
            VariantOffer(
                variant=variant,
                price=listing.price_amount,
                currency=listing.currency,
                in_stock=not variant.track_inventory or available > 0,
                available=max(available, 0) if variant.track_inventory else None,
            )
        )
    return offers


RELATED_PRODUCTS = 8


def related_products(channel, product) -> list:
    """Up to RELATED_PRODUCTS other products of `product`'s category, newest first, those from
    its province before the others, ready for product cards. Two lists of the catalogue query
    (one when the province fills the row)."""
    if product.category_id is None:
        return []
    newest_first = ProductSort(SortField.CREATED_AT, descending=True)
    same_category = ProductFilter(categories=(product.category_id,))
    scopes = [same_category]
    province_id = product.producer.province_id if product.producer else None
    if province_id is not None:
        scopes.insert(0, replace(same_category, province_ids=(province_id,)))
    found = {}
    for scope in scopes:
        query = CatalogueQuery(channel, scope, newest_first)
        # One more than shown: this product may be among them.
        page = query.page(0, RELATED_PRODUCTS + 1, related=CARD_RELATED, prefetch=card_prefetch())
        for related in page:
            if related.pk != product.pk:
                found.setdefault(related.pk, related)
        if len(found) >= RELATED_PRODUCTS:
            break
    return list(found.values())[:RELATED_PRODUCTS]


def producer_product_count(channel, producer) -> int:
    """How many products `producer` lists in `channel`."""
    return CatalogueQuery(channel, ProductFilter(producers=(producer.pk,))).count()[0]


def with_badges(products):
    """The products (evaluated) with `ocop_badge`: the certification whose stars the buyer may
    trust today, or None (cards read only its stars, which lists give them). One query."""
    products = list(products)
    badges = badges_for_products([product.pk for product in products])
    for product in products:
        product.ocop_badge = badges.get(product.pk)
    return products
