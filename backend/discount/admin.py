from django.contrib import admin

from backend.discount import models


@admin.register(models.Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "discount_value_type",
        "value",
        "minimum_spent_amount",
        "used",
        "usage_limit",
        "start_date",
        "end_date",
    )
    list_filter = ("discount_value_type", "channels")
    search_fields = ("code", "name")
    filter_horizontal = ("channels",)
    readonly_fields = ("used",)
