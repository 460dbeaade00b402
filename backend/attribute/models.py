"""Attributes, their values and their assignment to products, variants and pages (as Saleor 3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata, SortableModel, TranslationModel


class AttributeType(models.TextChoices):
    PRODUCT_TYPE = "product-type", _("Product type")
    PAGE_TYPE = "page-type", _("Page type")


class AttributeInputType(models.TextChoices):
    DROPDOWN = "dropdown", _("Dropdown")
    MULTISELECT = "multiselect", _("Multi select")
    FILE = "file", _("File")
    REFERENCE = "reference", _("Reference")
    SINGLE_REFERENCE = "single-reference", _("Single reference")
    NUMERIC = "numeric", _("Numeric")
    RICH_TEXT = "rich-text", _("Rich text")
    PLAIN_TEXT = "plain-text", _("Plain text")
    SWATCH = "swatch", _("Swatch")
    BOOLEAN = "boolean", _("Boolean")
    DATE = "date", _("Date")
    DATE_TIME = "date-time", _("Date time")


class Attribute(ModelWithMetadata):
    slug = models.SlugField(_("slug"), max_length=250, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=255)
    type = models.CharField(_("type"), max_length=50, choices=AttributeType.choices)
    input_type = models.CharField(
        _("input type"),
        max_length=50,
        choices=AttributeInputType.choices,
        default=AttributeInputType.DROPDOWN,
    )
    unit = models.CharField(_("unit"), max_length=100, blank=True, null=True)
    value_required = models.BooleanField(_("value required"), default=False)
    visible_in_storefront = models.BooleanField(_("visible in the shop"), default=True)
    filterable_in_storefront = models.BooleanField(_("filterable in the shop"), default=True)
    storefront_search_position = models.IntegerField(_("position in shop search"), default=0)

    product_types = models.ManyToManyField(
        "product.ProductType",
        verbose_name=_("product types"),
        blank=True,
        related_name="product_attributes",
        through="AttributeProduct",
    )
    product_variant_types = models.ManyToManyField(
        "product.ProductType",
        verbose_name=_("variant product types"),
        blank=True,
        related_name="variant_attributes",
        through="AttributeVariant",
    )
    page_types = models.ManyToManyField(
        "page.PageType",
        verbose_name=_("page types"),
        blank=True,
        related_name="page_attributes",
        through="AttributePage",
    )

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["storefront_search_position", "slug"]

    def __str__(self):
        return self.name


class AttributeTranslation(TranslationModel):
    attribute = models.ForeignKey(
        Attribute,
        verbose_name=_("attribute"),
        related_name="translations",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("attribute translation")
        verbose_name_plural = _("attribute translations")
        unique_together = (("language_code", "attribute"),)


class AttributeValue(SortableModel):
    attribute = models.ForeignKey(
        Attribute, verbose_name=_("attribute"), related_name="values", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    value = models.CharField(_("value"), max_length=255, blank=True, default="")
    plain_text = models.TextField(_("plain text"), blank=True, null=True)
    rich_text = models.JSONField(_("rich text"), blank=True, null=True)
    boolean = models.BooleanField(_("yes/no value"), blank=True, null=True)
    date_time = models.DateTimeField(_("date and time value"), blank=True, null=True)
    file_url = models.URLField(_("file URL"), max_length=2048, blank=True, null=True)
    content_type = models.CharField(_("content type"), max_length=50, blank=True, null=True)
    reference_collection = models.ForeignKey(
        "product.Collection",
        verbose_name=_("referenced collection"),
        related_name="+",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["sort_order", "pk"]
        unique_together = (("slug", "attribute"),)

    def __str__(self):
        return self.name


class AttributeValueTranslation(TranslationModel):
    attribute_value = models.ForeignKey(
        AttributeValue,
        verbose_name=_("attribute value"),
        related_name="translations",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=250)
    plain_text = models.TextField(_("plain text"), blank=True, null=True)

    class Meta:
        verbose_name = _("attribute value translation")
        verbose_name_plural = _("attribute value translations")
        unique_together = (("language_code", "attribute_value"),)


class AttributeProduct(SortableModel):
    """An attribute that products of a product type carry."""

    attribute = models.ForeignKey(
        Attribute,
        verbose_name=_("attribute"),
        related_name="attributeproduct",
        on_delete=models.CASCADE,
    )
    product_type = models.ForeignKey(
        "product.ProductType",
        verbose_name=_("product type"),
        related_name="attributeproduct",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("product attribute")
        verbose_name_plural = _("product attributes")
        ordering = ["sort_order", "pk"]
        unique_together = (("attribute", "product_type"),)


class AttributeVariant(SortableModel):
    """An attribute of the variants of a product type; `variant_selection` ones pick a variant."""

    attribute = models.ForeignKey(
        Attribute,
        verbose_name=_("attribute"),
        related_name="attributevariant",
        on_delete=models.CASCADE,
    )
    product_type = models.ForeignKey(
        "product.ProductType",
        verbose_name=_("product type"),
        related_name="attributevariant",
        on_delete=models.CASCADE,
    )
    variant_selection = models.BooleanField(_("used to choose a variant"), default=False)

    class Meta:
        verbose_name = _("variant attribute")
        verbose_name_plural = _("variant attributes")
        ordering = ["sort_order", "pk"]
        unique_together = (("attribute", "product_type"),)


class AttributePage(SortableModel):
    attribute = models.ForeignKey(
        Attribute,
        verbose_name=_("attribute"),
        related_name="attributepage",
        on_delete=models.CASCADE,
    )
    page_type = models.ForeignKey(
        "page.PageType",
        verbose_name=_("page type"),
        related_name="attributepage",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("page attribute")
        verbose_name_plural = _("page attributes")
        ordering = ["sort_order", "pk"]
        unique_together = (("attribute", "page_type"),)


class AssignedProductAttributeValue(SortableModel):
    value = models.ForeignKey(
        AttributeValue,
        verbose_name=_("value"),
        related_name="productvalueassignment",
        on_delete=models.CASCADE,
    )
    product = models.ForeignKey(
        "product.Product",
        verbose_name=_("product"),
        related_name="attributevalues",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("product attribute value")
        verbose_name_plural = _("product attribute values")
        ordering = ["sort_order", "pk"]
        unique_together = (("value", "product"),)


class AssignedVariantAttributeValue(SortableModel):
    value = models.ForeignKey(
        AttributeValue,
        verbose_name=_("value"),
        related_name="variantvalueassignment",
        on_delete=models.CASCADE,
    )
    variant = models.ForeignKey(
        "product.ProductVariant",
        verbose_name=_("variant"),
        related_name="attributevalues",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("variant attribute value")
        verbose_name_plural = _("variant attribute values")
        ordering = ["sort_order", "pk"]
        unique_together = (("value", "variant"),)


class AssignedPageAttributeValue(SortableModel):
    value = models.ForeignKey(
        AttributeValue,
        verbose_name=_("value"),
        related_name="pagevalueassignment",
        on_delete=models.CASCADE,
    )
    page = models.ForeignKey(
        "page.Page",
        verbose_name=_("page"),
        related_name="attributevalues",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("page attribute value")
        verbose_name_plural = _("page attribute values")
        ordering = ["sort_order", "pk"]
        unique_together = (("value", "page"),)
