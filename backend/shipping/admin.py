from django.contrib import admin

from backend.shipping import models


class ShippingMethodInline(admin.TabularInline):
    model = models.ShippingMethod
    extra = 0
    fields = (
        "name",
        "type",
        "minimum_order_weight_grams",
        "maximum_order_weight_grams",
        "minimum_delivery_days",
        "maximum_delivery_days",
    )
    show_change_link = True


@admin.register(models.ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "countries")
    filter_horizontal = ("provinces", "channels", "warehouses")
    search_fields = ("name",)
    inlines = [ShippingMethodInline]


class ShippingMethodChannelListingInline(admin.TabularInline):
    model = models.ShippingMethodChannelListing
    extra = 0


@admin.register(models.ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "shipping_zone",
        "type",
        "minimum_order_weight_grams",
        "maximum_order_weight_grams",
    )
    list_filter = ("type", "shipping_zone")
    search_fields = ("name",)
    inlines = [ShippingMethodChannelListingInline]
