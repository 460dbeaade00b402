"""Who may see which products: the one definition the API, storefront and tasks share.

models.py builds `Product.objects` from this module, so the listings are reached through the
product model's `channel_listings` relation rather than imported.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.account.permissions import ProductPermissions, has_one_of_permissions


class ProductQuerySet(models.QuerySet):
    def published(self, channel):
        """Products published in `channel` (a Channel) that have a priced variant there."""
        return self.filter(Exists(self._published_listings(channel)))

    def visible_in_listings(self, channel):
        """Published products that are also shown in lists (category pages, search)."""
        return self.filter(
            Exists(self._published_listings(channel).filter(visible_in_listings=True))
        )

    def visible_to_user(self, user, channel, producer_ids=()):
        """Staff with MANAGE_PRODUCTS see everything (in the channel, if given); buyers see
        only published products of the channel, and a producer's members (`producer_ids`: the
        producers they belong to) also their own producers' products, hidden or not."""
        if has_one_of_permissions(user, [ProductPermissions.MANAGE_PRODUCTS]):
            return self.in_channel(channel)
        shown = self.none() if channel is None else self.published(channel)
        if producer_ids:
            return shown | self.of_producers(producer_ids, channel)
        return shown

    def in_channel(self, channel):
        """Products with a listing in `channel` (published or not); every product for None."""
        if channel is None:
            return self.all()
        return self.filter(
            Exists(self._channel_listings().filter(product_id=OuterRef("pk"), channel=channel))
        )

    def of_producers(self, producer_ids, channel):
        """Every product of these producers (in `channel`, if given), hidden or not: what their
        members see of their own catalogue."""
        return self.filter(producer_id__in=sorted(producer_ids)).in_channel(channel)

    def _channel_listings(self):
        """`ProductChannelListing.objects`."""
        return self.model._meta.get_field("channel_listings").related_model.objects

    def _published_listings(self, channel):
        """Listings that make their product visible to buyers in `channel`.

        A priced variant shows as a non-NULL cheapest price: backend/product/pricing.py keeps
        `discounted_price_amount` current whenever variant prices change, so one indexed lookup
        on the listing answers both questions.
        """
        now = timezone.now()
        return self._channel_listings().filter(
            Q(published_at__lte=now) | Q(published_at__isnull=True),
            product_id=OuterRef("pk"),
            channel=channel,
            is_published=True,
            discounted_price_amount__isnull=False,
        )


ProductManager = models.Manager.from_queryset(ProductQuerySet)
