"""Batch loaders of the marketplace sync: each account's status (the status module's fixed
number of queries for the whole batch) and the mappings of accounts and of variants."""

from backend.graphql.core.dataloaders import DataLoader, group_by
from integrations.marketplaces.models import MarketplaceAccount, VariantMapping
from integrations.marketplaces.status import account_statuses


class AccountStatusByIdLoader(DataLoader):
    def batch_load(self, keys):
        statuses = account_statuses(MarketplaceAccount.objects.filter(pk__in=keys))
        by_pk = {status.account.pk: status for status in statuses}
        return [by_pk.get(key) for key in keys]


class MappingsByAccountIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = VariantMapping.objects.filter(account_id__in=keys).order_by("pk")
        by_account = group_by(rows, lambda row: row.account_id)
        return [by_account.get(key, []) for key in keys]


class MappingsByVariantIdLoader(DataLoader):
    """A variant's mappings, each with its account (whose producer decides who sees it)."""

    def batch_load(self, keys):
        rows = (
            VariantMapping.objects.filter(variant_id__in=keys)
            .select_related("account")
            .order_by("pk")
        )
        by_variant = group_by(rows, lambda row: row.variant_id)
        return [by_variant.get(key, []) for key in keys]
