"""Read-side helpers for the shop pages: which channel, which products, and what each card or
product page shows. Visibility comes from `Product.objects` (backend/product/managers.py); this
module only shapes bounded queries around it."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.utils.translation import get_language

from backend.channel.reference import channels
from backend.ocop.services import badges_for_products
from backend.product.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductMediaType,
    ProductTranslation,
    ProductVariant,
    ProductVariantChannelListing,
)
from backend.product.search import SearchText, ranked_matches, search_text_for
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


def listed_products(channel):
    """Products a buyer may browse in `channel`, ready for product cards: producer, province
    and images fetched in a fixed number of queries, the cheapest price (kept on the channel
    listing by backend/product/pricing.py) annotated as `price_from` (in `currency`)."""
    if channel is None:
        return Product.objects.none()
    cheapest = ProductChannelListing.objects.filter(
        product_id=OuterRef("pk"), channel=channel
    ).values("discounted_price_amount")
    return (
        Product.objects.visible_in_listings(channel)
        .select_related("producer__province")
        .prefetch_related(_images(), in_active_language())
        .annotate(
            price_from=Subquery(cheapest),
            currency=Value(channel.currency_code, output_field=CharField()),
        )
    )


def search(products, query) -> tuple[QuerySet, SearchText]:
    """Accent-insensitive matches of `query`, best first, and how it was read: the province it
    named, its spelling correction when nothing matches it as typed, whether it was capped
    (see backend.product.search)."""
    text = search_text_for(products, query)
    return ranked_matches(products, text).order_by("-search_rank", "name", "pk"), text


@dataclass(frozen=True)
class VariantOffer:
    """A variant as the buyer sees it in the channel: its price and whether it can be bought."""

    variant: ProductVariant
    price: int
    currency: str
    in_stock: bool


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
        .select_related("producer__province", "category")
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
            )
        )
    return offers


def with_badges(products):
    """The products (evaluated) with `ocop_badge`: the certification whose stars the buyer may
    trust today, or None. One query for the whole page."""
    products = list(products)
    badges = badges_for_products([product.pk for product in products])
    for product in products:
        product.ocop_badge = badges.get(product.pk)
    return products
