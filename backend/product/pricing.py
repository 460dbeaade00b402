"""Keeps each product listing's cheapest variant price current, so listings can sort and filter
by price with one indexed column."""

from django.db.models import Min, OuterRef, Subquery

from backend.product.models import ProductChannelListing, ProductVariantChannelListing


def update_discounted_prices(product_ids) -> None:
    cheapest = (
        ProductVariantChannelListing.objects.filter(
            variant__product_id=OuterRef("product_id"),
            channel_id=OuterRef("channel_id"),
            price_amount__isnull=False,
        )
        .values("variant__product_id")
        .annotate(cheapest=Min("price_amount"))
        .values("cheapest")[:1]
    )
    ProductChannelListing.objects.filter(product_id__in=list(product_ids)).update(
        discounted_price_amount=Subquery(cheapest)
    )
