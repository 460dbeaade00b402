from django.db.models import F

from backend.account.models import Address
from backend.graphql.core.dataloaders import ByIdLoader, DataLoader, group_by


class AddressByIdLoader(ByIdLoader):
    model = Address


class AddressesByUserIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = Address.objects.filter(user_addresses__in=keys).annotate(
            owner_id=F("user_addresses")
        )
        by_user = group_by(rows, lambda address: address.owner_id)
        return [by_user.get(key, []) for key in keys]
