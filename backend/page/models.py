"""Content pages (about us, delivery terms, OCOP programme pages) with Saleor's page types."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata, PublishableModel, SeoModel, TranslationModel


class PageType(ModelWithMetadata):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("page type")
        verbose_name_plural = _("page types")
        ordering = ["slug"]
        permissions = (
            ("manage_pages", _("Manage pages.")),
            ("manage_page_types_and_attributes", _("Manage page types and attributes.")),
        )

    def __str__(self):
        return self.name


class Page(ModelWithMetadata, SeoModel, PublishableModel):
    page_type = models.ForeignKey(
        PageType, verbose_name=_("page type"), related_name="pages", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    content = models.JSONField(_("content"), blank=True, null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]

    def __str__(self):
        return self.title


class PageTranslation(TranslationModel, SeoModel):
    page = models.ForeignKey(
        Page, verbose_name=_("page"), related_name="translations", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=255, blank=True, null=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True, null=True, allow_unicode=True)
    content = models.JSONField(_("content"), blank=True, null=True)

    class Meta:
        verbose_name = _("page translation")
        verbose_name_plural = _("page translations")
        unique_together = (("language_code", "page"),)
