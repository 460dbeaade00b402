from django.contrib import admin

from backend.menu import models


class MenuItemInline(admin.TabularInline):
    model = models.MenuItem
    extra = 0
    fields = ("name", "parent", "sort_order", "url", "category", "collection", "page")
    autocomplete_fields = ("category", "collection", "page")


@admin.register(models.Menu)
class MenuAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MenuItemInline]


class MenuItemTranslationInline(admin.TabularInline):
    model = models.MenuItemTranslation
    extra = 0


@admin.register(models.MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    list_display = ("name", "menu", "parent", "level", "sort_order")
    list_filter = ("menu",)
    search_fields = ("name",)
    list_select_related = ("menu", "parent")
    inlines = [MenuItemTranslationInline]
