"""Batch loaders for warehouses and their stock. Stock rows are read as the warehouse domain
keeps them; what is reserved is the domain's count of live holds."""

from backend.graphql.core.dataloaders import ByIdLoader, DataLoader, group_by
from backend.warehouse.availability import held_by_others
from backend.warehouse.models import Stock, Warehouse


class WarehouseByIdLoader(ByIdLoader):
    model = Warehouse


class StocksByVariantAndChannelLoader(DataLoader):
    """A variant's stock rows, keyed by (variant id, channel id or None): with a channel, the
    rows in the warehouses serving it (Saleor's warehouse–channel link); without, every row."""

    def batch_load(self, keys):
        variant_ids = {variant_id for variant_id, _ in keys}
        channel_ids = {channel_id for _, channel_id in keys if channel_id is not None}
        rows = list(Stock.objects.filter(product_variant_id__in=variant_ids))
        served = set()
        if channel_ids:
            served = set(
                Warehouse.channels.through.objects.filter(
                    channel_id__in=channel_ids,
                    warehouse_id__in={row.warehouse_id for row in rows},
                ).values_list("warehouse_id", "channel_id")
            )
        by_variant = group_by(rows, lambda row: row.product_variant_id)
        return [
            [
                row
                for row in by_variant.get(variant_id, [])
                if channel_id is None or (row.warehouse_id, channel_id) in served
            ]
            for variant_id, channel_id in keys
        ]


class QuantityReservedByStockIdLoader(DataLoader):
    """Units of a stock row held by live holds (checkouts, livestream quotas, marketplace
    orders)."""

    def batch_load(self, keys):
        held = held_by_others(keys)
        return [held.get(key, 0) for key in keys]
