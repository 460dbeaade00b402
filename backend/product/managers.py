"""Who may see which products: the one definition the API, storefront and tasks share."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.account.permissions import ProductPermissions, has_one_of_permissions


class ProductQuerySet(models.QuerySet):
    def published(self, channel):
        """Products published in `channel` (a Channel) that have a priced variant there."""
        from backend.product.models import ProductChannelListing, ProductVariantChannelListing

        now = timezone.now()
        listings = ProductChannelListing.objects.filter(
            Q(published_at__lte=now) | Q(published_at__isnull=True),
            product_id=OuterRef("pk"),
            channel=channel,
            is_published=True,
        )
        priced_variants = ProductVariantChannelListing.objects.filter(
            variant__product_id=OuterRef("pk"), channel=channel, price_amount__isnull=False
        )
        return self.filter(Exists(listings), Exists(priced_variants))

    def visible_in_listings(self, channel):
        from backend.product.models import ProductChannelListing

        hidden = ProductChannelListing.objects.filter(
            product_id=OuterRef("pk"), channel=channel, visible_in_listings=False
        )
        return self.published(channel).exclude(Exists(hidden))

    def visible_to_user(self, user, channel):
        """Staff with MANAGE_PRODUCTS see everything (in the channel, if given); buyers see
        only published products of the channel."""
        if has_one_of_permissions(user, [ProductPermissions.MANAGE_PRODUCTS]):
            if channel is None:
                return self.all()
            from backend.product.models import ProductChannelListing

            return self.filter(
                Exists(
                    ProductChannelListing.objects.filter(product_id=OuterRef("pk"), channel=channel)
                )
            )
        if channel is None:
            return self.none()
        return self.published(channel)


ProductManager = models.Manager.from_queryset(ProductQuerySet)
