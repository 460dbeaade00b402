"""Batch loaders for producers, provinces and the OCOP star badge of products."""

from backend.graphql.core.dataloaders import ByIdLoader, DataLoader, group_by
from backend.ocop.models import LegacyProvince, Producer, Province
from backend.ocop.services import badges_for_products, today


class ProducerByIdLoader(ByIdLoader):
    model = Producer


class ProvinceByIdLoader(ByIdLoader):
    model = Province


class LegacyProvincesByProvinceIdLoader(DataLoader):
    """The former provinces merged into each current unit."""

    def batch_load(self, keys):
        grouped = group_by(
            LegacyProvince.objects.filter(current_id__in=keys), lambda unit: unit.current_id
        )
        return [grouped.get(key, []) for key in keys]


class BadgeByProductIdLoader(DataLoader):
    """The certification whose star badge a product shows today (None without one)."""

    def batch_load(self, keys):
        badges = badges_for_products(keys, today())
        return [badges.get(key) for key in keys]
