"""`MarketplaceAccount` and `MarketplaceMapping`: where the marketplace sync stands per shop and
per SKU, for MANAGE_INTEGRATIONS (every shop) and a producer's members (their own shops).
Credentials are never part of the API."""

import graphene

from backend.graphql.core.connection import CountableConnection, connection_args, paginate_list
from backend.graphql.core.context import ChannelContext
from backend.graphql.core.dataloaders import then
from backend.graphql.core.ids import global_id_resolver
from backend.graphql.core.permissions import require_permission_or_membership
from backend.graphql.marketplace import dataloaders as loaders
from backend.graphql.ocop.dataloaders import ProducerByIdLoader
from backend.graphql.product.dataloaders import ProductVariantByIdLoader
from integrations.marketplaces.models import Marketplace, SyncStatus
from integrations.marketplaces.permissions import IntegrationPermissions
from integrations.marketplaces.status import lag_of

MANAGE_INTEGRATIONS = IntegrationPermissions.MANAGE_INTEGRATIONS
PERMISSIONS_NOTE = (
    "Requires one of the following permissions: MANAGE_INTEGRATIONS; a producer's members see "
    "their own producers' marketplace accounts."
)

MarketplaceEnum = graphene.Enum(
    "MarketplaceEnum", [(choice.name, choice.name) for choice in Marketplace]
)
MarketplaceSyncStatusEnum = graphene.Enum(
    "MarketplaceSyncStatusEnum", [(choice.name, choice.name) for choice in SyncStatus]
)


def integration_scope(info):
    """The requester's scope: every account with MANAGE_INTEGRATIONS, their producers' ones
    for members; PermissionDenied for anyone else."""
    return require_permission_or_membership(info, MANAGE_INTEGRATIONS)


def _seconds(delta):
    return None if delta is None else int(delta.total_seconds())


def _status_value(root, info, read):
    return then(loaders.AccountStatusByIdLoader(info.context).load(root.pk), read)


class MarketplaceReconciliation(graphene.ObjectType):
    started_at = graphene.DateTime(required=True)
    checked = graphene.Int(required=True, description="SKUs whose marketplace stock was read.")
    drifted = graphene.Int(required=True, description="SKUs whose marketplace stock differed.")

    class Meta:
        description = "A reconciliation run: our stock compared with the marketplace's."


class MarketplaceMapping(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant = graphene.Field("backend.graphql.product.types.variants.ProductVariant", required=True)
    item_id = graphene.String(required=True, description="The marketplace's item id.")
    sku_id = graphene.String(required=True, description="The marketplace's SKU / model id.")
    seller_sku = graphene.String(required=True)
    pushed_quantity = graphene.Int(description="The quantity the marketplace last took.")
    pushed_at = graphene.DateTime()
    stock_status = graphene.Field(MarketplaceSyncStatusEnum, required=True)
    last_error = graphene.String(required=True, description="The marketplace's last error.")
    pushed_price = graphene.Int(description="The price (VND) the marketplace last took.")
    price_status = graphene.Field(MarketplaceSyncStatusEnum, required=True)
    lag_seconds = graphene.Int(
        description="How long the latest stock change has waited (or waited before it went "
        "out), in seconds."
    )

    class Meta:
        description = f"One of our variants as a SKU of a marketplace shop.\n\n{PERMISSIONS_NOTE}"

    resolve_id = staticmethod(global_id_resolver("MarketplaceMapping"))

    @staticmethod
    def resolve_variant(root, info):
        return then(
            ProductVariantByIdLoader(info.context).load(root.variant_id),
            lambda variant: ChannelContext(variant, None),
        )

    @staticmethod
    def resolve_stock_status(root, _info):
        return SyncStatus(root.stock_status).name

    @staticmethod
    def resolve_price_status(root, _info):
        return SyncStatus(root.price_status).name

    @staticmethod
    def resolve_lag_seconds(root, _info):
        return _seconds(lag_of(root))


class MarketplaceMappingCountableConnection(CountableConnection):
    class Meta:
        node = MarketplaceMapping
        strict_types = True


class MarketplaceAccount(graphene.ObjectType):
    id = graphene.ID(required=True)
    marketplace = graphene.Field(MarketplaceEnum, required=True)
    name = graphene.String(required=True)
    enabled = graphene.Boolean(required=True, description="Whether the sync runs.")
    safety_buffer = graphene.Int(
        required=True, description="Units kept back: the shop shows the available stock minus it."
    )
    producer = graphene.Field(
        "backend.graphql.ocop.types.Producer", description="Null for the office's own shop."
    )
    mapped_count = graphene.Int(required=True, description="SKUs mapped to ours.")
    synced_count = graphene.Int(required=True, description="SKUs whose stock is on the shop.")
    waiting_count = graphene.Int(required=True, description="SKUs with changes still to go.")
    parked_count = graphene.Int(
        required=True, description="SKUs stopped after repeated errors: they need attention."
    )
    last_push_at = graphene.DateTime()
    lag_seconds = graphene.Int(
        description="How long the oldest change has waited, in seconds (null: none waits)."
    )
    last_reconciliation = graphene.Field(MarketplaceReconciliation)
    mappings = graphene.Field(
        MarketplaceMappingCountableConnection,
        **connection_args(status=graphene.Argument(MarketplaceSyncStatusEnum)),
    )

    class Meta:
        description = f"A shop on a marketplace and where its sync stands.\n\n{PERMISSIONS_NOTE}"

    resolve_id = staticmethod(global_id_resolver("MarketplaceAccount"))

    @staticmethod
    def resolve_marketplace(root, _info):
        return Marketplace(root.marketplace).name

    @staticmethod
    def resolve_producer(root, info):
        if root.producer_id is None:
            return None
        return ProducerByIdLoader(info.context).load(root.producer_id)

    @staticmethod
    def resolve_mapped_count(root, info):
        return _status_value(root, info, lambda status: status.mapped)

    @staticmethod
    def resolve_synced_count(root, info):
        return _status_value(root, info, lambda status: status.synced)

    @staticmethod
    def resolve_waiting_count(root, info):
        return _status_value(root, info, lambda status: status.waiting)

    @staticmethod
    def resolve_parked_count(root, info):
        return _status_value(root, info, lambda status: status.parked)

    @staticmethod
    def resolve_last_push_at(root, info):
        return _status_value(root, info, lambda status: status.last_push_at)

    @staticmethod
    def resolve_lag_seconds(root, info):
        return _status_value(root, info, lambda status: _seconds(status.lag))

    @staticmethod
    def resolve_last_reconciliation(root, info):
        return _status_value(root, info, lambda status: status.last_reconciliation)

    @staticmethod
    def resolve_mappings(root, info, status=None, **paging):
        wanted = None if status is None else SyncStatus[getattr(status, "name", status)]

        def page(mappings):
            if wanted is not None:
                mappings = [m for m in mappings if m.stock_status == wanted]
            return paginate_list(
                mappings, MarketplaceMappingCountableConnection, field_name="mappings", **paging
            )

        return then(loaders.MappingsByAccountIdLoader(info.context).load(root.pk), page)


class MarketplaceAccountCountableConnection(CountableConnection):
    class Meta:
        node = MarketplaceAccount
        strict_types = True


def resolve_variant_marketplace_mappings(info, variant_id: int):
    """`ProductVariant.marketplaceMappings`: the mappings of the shops the requester sees."""
    scope = integration_scope(info)
    return then(
        loaders.MappingsByVariantIdLoader(info.context).load(variant_id),
        lambda mappings: [m for m in mappings if scope.covers(m.account.producer_id)],
    )
