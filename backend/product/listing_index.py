"""Reading and refreshing `ProductListingIndex`, the narrow per-channel rows buyers' product
lists, search and facet counts are answered from.

On PostgreSQL, triggers on the products, channel listings, variant prices, certifications,
producers, attribute assignments and stock refresh the rows of the products a statement touched,
in the same transaction (migrations product/0003 and 0004), so a renamed, unpublished, repriced
or sold-out product is found, hidden or counted as such at once.

Two things change with the calendar instead of a row: a listing's publication date is compared
at read time, and a badge is shown while its certification's last day has not passed; a
certification that starts on a later day, or a lesser one that takes over when the best
expires, shows once its product is refreshed — `refresh_calendar_and_stock` does that daily.

Stock changes with every order, so its trigger takes no lock (checkouts never wait on the index)
and writes only when a product runs out or comes back: two checkouts emptying a product's last
two warehouses at the same instant can leave it marked in stock, which the daily pass repairs.
"""

import datetime

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from backend.product.models import ProductListingIndex

# How far back the daily pass looks for certifications starting or ending (a missed day is
# caught up the next).
CALENDAR_DAYS = 2


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


def refresh_calendar_and_stock(day: datetime.date | None = None, using: str = "default") -> int:
    """The daily pass: refresh the products whose badge may have changed with the date (a
    certification that started, or whose last day passed, in the last days) and repair stale
    stock flags. Returns how many products were refreshed for their badge."""
    from backend.ocop.models import Certification

    if not listing_index_enabled(using):
        return 0
    day = day or timezone.localdate()
    since = day - datetime.timedelta(days=CALENDAR_DAYS)
    changed = set(
        Certification.objects.using(using)
        .filter(
            Q(valid_from__range=(since, day))
            | Q(valid_until__range=(since - datetime.timedelta(days=1), day))
        )
        .values_list("product_id", flat=True)
    )
    refresh_listing_index(changed, using)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT product_listing_index_refresh_stock("
            "ARRAY(SELECT DISTINCT product_id FROM product_productlistingindex))"
        )
    return len(changed)
