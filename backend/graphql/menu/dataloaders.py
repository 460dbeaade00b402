"""Batch loaders for menus and menu items: a menu's whole tree is read in one query."""

from backend.graphql.core.dataloaders import ByIdLoader, DataLoader, TranslationLoader, group_by
from backend.menu.models import Menu, MenuItem, MenuItemTranslation


class MenuByIdLoader(ByIdLoader):
    model = Menu


class MenuItemsByMenuIdLoader(DataLoader):
    """Every item of each menu, at every level, in display order."""

    def batch_load(self, keys):
        grouped = group_by(MenuItem.objects.filter(menu_id__in=keys), lambda item: item.menu_id)
        return [grouped.get(key, []) for key in keys]


class MenuItemTranslationLoader(TranslationLoader):
    model = MenuItemTranslation
    object_field = "menu_item"
