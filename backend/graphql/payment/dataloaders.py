"""Batch loaders for payment transactions (an order or checkout lists its transactions and
their events in one query per level)."""

from backend.graphql.core.dataloaders import DataLoader, group_by
from backend.payment.models import TransactionEvent, TransactionItem


class TransactionEventsByTransactionIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(
            TransactionEvent.objects.filter(transaction_id__in=keys), lambda e: e.transaction_id
        )
        return [grouped.get(key, []) for key in keys]


class TransactionsByOrderIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(TransactionItem.objects.filter(order_id__in=keys), lambda t: t.order_id)
        return [grouped.get(key, []) for key in keys]


class TransactionsByCheckoutIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = group_by(
            TransactionItem.objects.filter(checkout_id__in=keys), lambda t: t.checkout_id
        )
        return [grouped.get(key, []) for key in keys]
