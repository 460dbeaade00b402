from django.contrib import admin

from backend.page import models


@admin.register(models.PageType)
class PageTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class PageTranslationInline(admin.StackedInline):
    model = models.PageTranslation
    extra = 0
    fields = ("language_code", "title", "slug", "content", "seo_title", "seo_description")


@admin.register(models.Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "page_type", "is_published", "published_at")
    list_filter = ("is_published", "page_type")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    list_select_related = ("page_type",)
    inlines = [PageTranslationInline]
