"""Upkeep of the listing index and the search vocabulary (scheduled by CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from backend.product.listing_index import refresh_calendar_and_stock
from backend.product.spelling import refresh_search_vocabulary


@shared_task
def refresh_listing_index_daily() -> int:
    """Badges that start or end with the date, and stock flags a race left stale."""
    return refresh_calendar_and_stock()


@shared_task
def refresh_search_vocabulary_task() -> int:
    """The words searches are spell-corrected towards, rebuilt from the catalogue."""
    return refresh_search_vocabulary()
