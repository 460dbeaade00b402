"""A product's way to the shop: draft → submitted → published.

A draft has no published channel listing, so the shop never shows it. Publishing puts the
product on sale in every channel where one of its variants has a price. A member of a producer
the office has not verified yet may only submit: the product is published the moment the
producer is verified (`publish_submitted_products`, called by the verification service).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.ocop.access import ProducerScope
from backend.ocop.models import VerificationStatus
from backend.product.models import Product, ProductChannelListing, ProductVariantChannelListing
from backend.product.services import update_product_channel_listings
from backend.product.validators import field_error


class PublicationState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Bản nháp")
    SUBMITTED = "submitted", gettext_lazy("Chờ xác minh chủ thể")
    PUBLISHED = "published", gettext_lazy("Đang bán")


def publication_states(products) -> dict:
    """{product id: PublicationState} for `products`; one query."""
    products = list(products)
    published = set(
        ProductChannelListing.objects.filter(
            product__in=[p.pk for p in products], is_published=True
        ).values_list("product_id", flat=True)
    )
    return {
        product.pk: PublicationState.PUBLISHED
        if product.pk in published
        else PublicationState.SUBMITTED
        if product.submitted_at
        else PublicationState.DRAFT
        for product in products
    }


def _priced_channels(product: Product) -> list:
    listings = ProductVariantChannelListing.objects.filter(
        variant__product=product, price_amount__isnull=False
    ).select_related("channel")
    return list({listing.channel_id: listing.channel for listing in listings}.values())


def publish_product(product: Product, *, scope: ProducerScope) -> None:
    """Put the product on sale in every channel its variants are priced in."""
    scope.require(product.producer_id)
    channels = _priced_channels(product)
    if not channels:
        raise field_error(
            "isPublished", _("Hãy đặt giá cho ít nhất một biến thể trước khi đăng bán."), "invalid"
        )
    update_product_channel_listings(
        product,
        [
            {
                "channel": channel,
                "is_published": True,
                "visible_in_listings": True,
                "is_available_for_purchase": True,
                "add_variants": list(product.variants.all()),
            }
            for channel in channels
        ],
        [],
        scope=scope,
    )
    if product.submitted_at:
        product.submitted_at = None
        product.save(update_fields=["submitted_at", "updated_at"])


def submit_product(product: Product, *, scope: ProducerScope) -> PublicationState:
    """Publish now if the producer is verified, else queue the product until it is."""
    scope.require(product.producer_id)
    producer = product.producer
    if scope.everything or (
        producer and producer.verification_status == VerificationStatus.VERIFIED
    ):
        publish_product(product, scope=scope)
        return PublicationState.PUBLISHED
    if not _priced_channels(product):
        raise field_error(
            "isPublished", _("Hãy đặt giá cho ít nhất một biến thể trước khi đăng bán."), "invalid"
        )
    product.submitted_at = timezone.now()
    product.save(update_fields=["submitted_at", "updated_at"])
    return PublicationState.SUBMITTED


def unpublish_product(product: Product, *, scope: ProducerScope) -> None:
    """Take the product off sale everywhere: it is a draft again."""
    scope.require(product.producer_id)
    listings = list(product.channel_listings.select_related("channel"))
    update_product_channel_listings(
        product,
        [{"channel": listing.channel, "is_published": False} for listing in listings],
        [],
        scope=scope,
    )
    if product.submitted_at:
        product.submitted_at = None
        product.save(update_fields=["submitted_at", "updated_at"])


def publish_submitted_products(producer) -> int:
    """Publish the producer's submitted products (after the office verified it); skips those
    that can no longer be published (no price or category) and leaves them submitted."""
    published = 0
    for product in producer.products.filter(submitted_at__isnull=False):
        if product.category_id and _priced_channels(product):
            publish_product(product, scope=ProducerScope.system())
            published += 1
    return published
