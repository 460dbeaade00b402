"""Navigation menus (the storefront's navbar and footer) as Saleor models them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata, SortableModel, TranslationModel


class Menu(ModelWithMetadata):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        ordering = ["pk"]
        permissions = (("manage_menus", _("Manage navigation.")),)

    def __str__(self):
        return self.name


class MenuItem(ModelWithMetadata, SortableModel):
    menu = models.ForeignKey(
        Menu, verbose_name=_("menu"), related_name="items", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=128)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
    )
    level = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    url = models.URLField(_("URL"), max_length=256, blank=True, null=True)
    category = models.ForeignKey(
        "product.Category",
        verbose_name=_("category"),
        blank=True,
        null=True,
        on_delete=models.CASCADE,
    )
    collection = models.ForeignKey(
        "product.Collection",
        verbose_name=_("collection"),
        blank=True,
        null=True,
        on_delete=models.CASCADE,
    )
    page = models.ForeignKey(
        "page.Page", verbose_name=_("page"), blank=True, null=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.level = self.parent.level + 1 if self.parent_id else 0
        super().save(*args, **kwargs)


class MenuItemTranslation(TranslationModel):
    menu_item = models.ForeignKey(
        MenuItem, verbose_name=_("menu item"), related_name="translations", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=128)

    class Meta:
        verbose_name = _("menu item translation")
        verbose_name_plural = _("menu item translations")
        unique_together = (("language_code", "menu_item"),)
