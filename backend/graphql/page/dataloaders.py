"""Batch loaders for pages, page types, page translations and the attribute values of pages."""

from backend.attribute.models import AssignedPageAttributeValue, AttributePage
from backend.graphql.attribute.dataloaders import AssignedValuesLoader
from backend.graphql.core.dataloaders import ByIdLoader, RelatedByOwnerLoader, TranslationLoader
from backend.page.models import Page, PageTranslation, PageType


class PageByIdLoader(ByIdLoader):
    model = Page


class PageTypeByIdLoader(ByIdLoader):
    model = PageType


class PageTranslationLoader(TranslationLoader):
    model = PageTranslation
    object_field = "page"


class AttributeValuesByPageIdLoader(AssignedValuesLoader):
    """The attribute values assigned to each page, in assignment order."""

    model = AssignedPageAttributeValue
    owner_field = "page"


class AttributesByPageTypeIdLoader(RelatedByOwnerLoader):
    """The attributes each page type gives its pages, in the type's order."""

    model = AttributePage
    owner_field = "page_type"
    related = "attribute"
