"""Reading and refreshing `ProductListingIndex`, the narrow per-channel rows buyers' product
lists, search and facet counts are answered from.

On PostgreSQL, triggers on the products, channel listings, variant prices, certifications,
producers and attribute assignments refresh the rows of the products a statement touched, in the
same transaction (migration product/0003), so a renamed, unpublished or repriced product is found
or hidden at once. Two things change with the calendar instead of a row: a listing's publication
date is compared at read time, and a badge is shown while its certification's last day has not
passed; a certification that starts on a later day, or a lesser one that takes over when the best
expires, shows once its product is refreshed — `refresh_listing_index_badges` does that daily.

Stock is not indexed: it changes with every order, and checkout must not wait on index rows.
"""

import datetime

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from backend.product.models import ProductListingIndex


def listing_index_enabled(using: str = "default") -> bool:
    """The index is maintained on PostgreSQL only; elsewhere it stays empty."""
    return connections[using].vendor == "postgresql"


def listed_in(channel, now: datetime.datetime | None = None):
    """Index rows of the products buyers can list in `channel` now."""
    now = now or timezone.now()
    return ProductListingIndex.objects.filter(
        Q(published_at__isnull=True) | Q(published_at__lte=now), channel=channel
    )


def badge_shown_q(day: datetime.date | None = None) -> Q:
    """Rows whose stored badge still holds on `day` (today by default)."""
    return Q(badge_stars__isnull=False, badge_until__gte=day or timezone.localdate())


def refresh_listing_index(product_ids, using: str = "default") -> None:
    """Rebuild the rows of `product_ids` from the catalogue (the triggers do this for every
    change; this is for changes of the calendar and for repairs)."""
    if not listing_index_enabled(using):
        return
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT product_listing_index_refresh(%s::bigint[])", [list(product_ids)])
