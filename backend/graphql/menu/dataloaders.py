"""Batch loaders for menus and menu items: a menu's whole tree is read in one query."""

from backend.graphql.core.dataloaders import DataLoader, group_by
from backend.menu.models import Menu, MenuItem, MenuItemTranslation


class MenuByIdLoader(DataLoader):
    def batch_load(self, keys):
        menus = Menu.objects.in_bulk(keys)
        return [menus.get(key) for key in keys]


class MenuItemsByMenuIdLoader(DataLoader):
    """Every item of each menu, at every level, in display order."""

    def batch_load(self, keys):
        grouped = group_by(MenuItem.objects.filter(menu_id__in=keys), lambda item: item.menu_id)
        return [grouped.get(key, []) for key in keys]


class MenuItemTranslationLoader(DataLoader):
    """Translations keyed by (menu item id, stored language code)."""

    def batch_load(self, keys):
        rows = MenuItemTranslation.objects.filter(
            menu_item_id__in={item_id for item_id, _ in keys},
            language_code__in={language for _, language in keys},
        )
        by_key = {(row.menu_item_id, row.language_code): row for row in rows}
        return [by_key.get(key) for key in keys]
