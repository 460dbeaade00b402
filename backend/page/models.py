"""Content pages (about us, delivery terms, OCOP programme pages) with Saleor's page types."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata, PublishableModel, SeoModel, TranslationModel


class PageType(ModelWithMetadata):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["slug"]
        permissions = (
            ("manage_pages", _("Manage pages.")),
            ("manage_page_types_and_attributes", _("Manage page types and attributes.")),
        )

    def __str__(self):
        return self.name


class Page(ModelWithMetadata, SeoModel, PublishableModel):
    page_type = models.ForeignKey(PageType, related_name="pages", on_delete=models.CASCADE)
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    content = models.JSONField(blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title


class PageTranslation(TranslationModel, SeoModel):
    page = models.ForeignKey(Page, related_name="translations", on_delete=models.CASCADE)
    title = models.CharField(max_length=255, blank=True, null=True)
    slug = models.SlugField(max_length=255, blank=True, null=True, allow_unicode=True)
    content = models.JSONField(blank=True, null=True)

    class Meta:
        unique_together = (("language_code", "page"),)
