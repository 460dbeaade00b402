from django.contrib import admin

from backend.ocop import models


@admin.register(models.Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    search_fields = ("name", "code")


@admin.register(models.Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_type", "province")
    list_filter = ("legal_type", "province")
    search_fields = ("name", "tax_code")
    filter_horizontal = ("members",)
