from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MarketplacesConfig(AppConfig):
    name = "integrations.marketplaces"
    label = "marketplaces"
    verbose_name = _("Marketplaces")

    def ready(self):
        from backend.product.models import ProductVariantChannelListing
        from backend.warehouse.audit import register_holder_kind
        from backend.warehouse.changes import stock_changes_recorded
        from backend.warehouse.models import HolderKind
        from integrations.marketplaces import export_tasks  # noqa: F401 (Celery finds only tasks.py)
        from integrations.marketplaces.orders import existing_order_holders
        from integrations.marketplaces.tasks import queue_collect_stock_changes, queue_price_push

        stock_changes_recorded.connect(
            queue_collect_stock_changes, dispatch_uid="marketplaces-stock-changes"
        )
        post_save.connect(
            queue_price_push,
            sender=ProductVariantChannelListing,
            dispatch_uid="marketplaces-price-changes",
        )
        register_holder_kind(HolderKind.MARKETPLACE_ORDER, existing_order_holders)
