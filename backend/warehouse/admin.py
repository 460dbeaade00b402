from django.contrib import admin

from backend.warehouse import models


class StockInline(admin.TabularInline):
    model = models.Stock
    extra = 0
    autocomplete_fields = ("product_variant",)


@admin.register(models.Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "producer", "province", "click_and_collect_option")
    filter_horizontal = ("channels",)
    inlines = [StockInline]
