from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class StorefrontConfig(AppConfig):
    name = "storefront"

    def ready(self):
        from backend.menu.models import Menu, MenuItem, MenuItemTranslation
        from backend.page.models import Page, PageTranslation
        from backend.product.models import Category
        from storefront.footer import forget_footer

        for model in (Menu, MenuItem, MenuItemTranslation, Page, PageTranslation, Category):
            uid = f"storefront-footer-{model.__name__}"
            post_save.connect(forget_footer, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(forget_footer, sender=model, dispatch_uid=f"{uid}-delete")
