"""Queries of the marketplace sync: `marketplaceAccounts(filter, …)` and
`marketplaceAccount(id)`, for MANAGE_INTEGRATIONS (every shop) and a producer's members (their
own producers' shops; another's is unknown)."""

import graphene
from django.db.models import Q

from backend.core.ids import pk_from_global_id, pks_from_global_ids
from backend.graphql.core.connection import connection_args, paginate
from backend.graphql.marketplace.types import (
    PERMISSIONS_NOTE,
    MarketplaceAccount,
    MarketplaceAccountCountableConnection,
    MarketplaceEnum,
    integration_scope,
)
from integrations.marketplaces import models


class MarketplaceAccountFilterInput(graphene.InputObjectType):
    marketplace = MarketplaceEnum()
    producer = graphene.ID(description="Accounts of this producer.")

    class Meta:
        description = "Filtering options for marketplace accounts."


def account_filter_q(values) -> Q:
    if not values:
        return Q()
    q = Q()
    marketplace = values.get("marketplace")
    if marketplace is not None:
        q &= Q(marketplace=models.Marketplace[getattr(marketplace, "name", marketplace)])
    if values.get("producer") is not None:
        [producer_id] = pks_from_global_ids([values["producer"]], "Producer", "producer")
        q &= Q(producer_id=producer_id)
    return q


def visible_accounts(info):
    return integration_scope(info).filter(models.MarketplaceAccount.objects.all())


class MarketplaceQueries(graphene.ObjectType):
    marketplace_account = graphene.Field(
        MarketplaceAccount,
        id=graphene.Argument(graphene.ID, required=True, description="ID of the account."),
        description=f"Look up a marketplace account by ID.\n\n{PERMISSIONS_NOTE}",
    )
    marketplace_accounts = graphene.Field(
        MarketplaceAccountCountableConnection,
        **connection_args(filter=graphene.Argument(MarketplaceAccountFilterInput)),
        description=f"List of marketplace accounts.\n\n{PERMISSIONS_NOTE}",
    )

    @staticmethod
    def resolve_marketplace_account(_root, info, id):
        accounts = visible_accounts(info)
        pk = pk_from_global_id(id, "MarketplaceAccount")
        if pk is None:
            return None
        return accounts.filter(pk=pk).first()

    @staticmethod
    def resolve_marketplace_accounts(_root, info, filter=None, **paging):
        accounts = visible_accounts(info).filter(account_filter_q(filter))
        return paginate(
            accounts,
            MarketplaceAccountCountableConnection,
            sort_fields=["pk"],
            field_name="marketplaceAccounts",
            **paging,
        )
