from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductConfig(AppConfig):
    name = "backend.product"
    verbose_name = _("Catalogue")
    label = "product"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from backend.attribute.models import AssignedProductAttributeValue
        from backend.ocop.models import Certification, Producer
        from backend.product.catalogue.cache import catalogue_changed
        from backend.product.models import (
            Category,
            CategoryTranslation,
            Product,
            ProductChannelListing,
            ProductMedia,
            ProductTranslation,
            ProductVariant,
            ProductVariantChannelListing,
        )
        from backend.warehouse.changes import stock_changes_recorded
        from backend.warehouse.models import Stock

        # What buyers' lists show (see backend/product/catalogue/cache.py).
        shown_in_lists = (
            Product,
            ProductTranslation,
            ProductChannelListing,
            ProductVariant,
            ProductVariantChannelListing,
            ProductMedia,
            Category,
            CategoryTranslation,
            AssignedProductAttributeValue,
            Producer,
            Certification,
            Stock,
        )
        for model in shown_in_lists:
            uid = f"catalogue-cache-{model._meta.label}"
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid)
        stock_changes_recorded.connect(catalogue_changed, dispatch_uid="catalogue-cache-stock")
