from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelWithMetadata(models.Model):
    """Public and private key/value metadata, as Saleor keeps on most objects."""

    metadata = models.JSONField(_("metadata"), blank=True, default=dict)
    private_metadata = models.JSONField(_("private metadata"), blank=True, default=dict)

    class Meta:
        abstract = True


class ModelWithExternalReference(models.Model):
    external_reference = models.CharField(
        _("external reference"), max_length=250, unique=True, blank=True, null=True
    )

    class Meta:
        abstract = True


class SeoModel(models.Model):
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True, default="")
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True, default="")

    class Meta:
        abstract = True


class SortableModel(models.Model):
    sort_order = models.IntegerField(_("sort order"), default=0, db_index=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]


class PublishableModel(models.Model):
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), blank=True, null=True)

    class Meta:
        abstract = True


class TranslationModel(models.Model):
    """A translation into one language; Vietnamese is the source language of the model itself."""

    language_code = models.CharField(_("language"), max_length=35)

    class Meta:
        abstract = True
