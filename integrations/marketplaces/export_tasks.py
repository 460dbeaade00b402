"""Celery tasks of the PostMart/Voso bulk-upload files: every few minutes each enabled file
shop's export is rebuilt, and stored only when its content changed."""

from celery import shared_task

from integrations.marketplaces.exports import export_catalog
from integrations.marketplaces.models import FILE_MARKETPLACES, MarketplaceAccount


@shared_task
def refresh_catalog_exports() -> list[int]:
    """The ids of the accounts that got a new file."""
    refreshed = []
    accounts = MarketplaceAccount.objects.filter(
        enabled=True, marketplace__in=FILE_MARKETPLACES
    ).select_related("channel")
    for account in accounts:
        if export_catalog(account) is not None:
            refreshed.append(account.pk)
    return refreshed
