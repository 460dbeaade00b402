from django.contrib import admin

from backend.product import models


class ProductVariantInline(admin.TabularInline):
    model = models.ProductVariant
    extra = 0
    fields = ("sku", "name", "weight_grams", "track_inventory", "quantity_limit_per_customer")


class ProductChannelListingInline(admin.TabularInline):
    model = models.ProductChannelListing
    extra = 0
    fields = (
        "channel",
        "is_published",
        "published_at",
        "visible_in_listings",
        "available_for_purchase_at",
        "currency",
    )


class ProductMediaInline(admin.TabularInline):
    model = models.ProductMedia
    extra = 0
    fields = ("image", "alt", "type", "external_url", "sort_order")


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "producer", "product_type", "updated_at")
    list_filter = ("category", "product_type", "producer__province")
    search_fields = ("name", "slug", "search_document")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("category", "producer", "product_type")
    autocomplete_fields = ("category", "producer", "product_type")
    inlines = [ProductVariantInline, ProductChannelListingInline, ProductMediaInline]


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "level")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "has_variants", "is_shipping_required")
    search_fields = ("name", "slug")


@admin.register(models.Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")


@admin.register(models.ProductVariant)
class ProductVariantAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "product")
    search_fields = ("sku", "name", "product__name")
    list_select_related = ("product",)
