"""Batch loaders for pages, page types, page translations and the attribute values of pages."""

from backend.attribute.models import AssignedPageAttributeValue, AttributePage
from backend.graphql.core.dataloaders import DataLoader, group_by
from backend.page.models import Page, PageTranslation, PageType


class PageByIdLoader(DataLoader):
    def batch_load(self, keys):
        pages = Page.objects.in_bulk(keys)
        return [pages.get(key) for key in keys]


class PageTypeByIdLoader(DataLoader):
    def batch_load(self, keys):
        page_types = PageType.objects.in_bulk(keys)
        return [page_types.get(key) for key in keys]


class PageTranslationLoader(DataLoader):
    """Translations keyed by (page id, stored language code)."""

    def batch_load(self, keys):
        rows = PageTranslation.objects.filter(
            page_id__in={page_id for page_id, _ in keys},
            language_code__in={language for _, language in keys},
        )
        by_key = {(row.page_id, row.language_code): row for row in rows}
        return [by_key.get(key) for key in keys]


class AttributeValuesByPageIdLoader(DataLoader):
    """The attribute values assigned to each page, in assignment order."""

    def batch_load(self, keys):
        rows = AssignedPageAttributeValue.objects.filter(page_id__in=keys).select_related("value")
        grouped = group_by(rows, lambda row: row.page_id)
        return [[row.value for row in grouped.get(key, [])] for key in keys]


class AttributesByPageTypeIdLoader(DataLoader):
    """The attributes each page type gives its pages, in the type's order."""

    def batch_load(self, keys):
        rows = AttributePage.objects.filter(page_type_id__in=keys).select_related("attribute")
        grouped = group_by(rows, lambda row: row.page_type_id)
        return [[row.attribute for row in grouped.get(key, [])] for key in keys]
