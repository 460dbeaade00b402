from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.warehouse import models
from backend.warehouse.services import set_stock_quantities


class StockForm(forms.ModelForm):
    class Meta:
        model = models.Stock
        fields = ("product_variant", "quantity")

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity < 0:
            raise forms.ValidationError(_("Số lượng tồn kho không được âm."))
        if self.instance.pk and quantity < self.instance.quantity_allocated:
            raise forms.ValidationError(
                _("Kho %(warehouse)s đã giữ %(allocated)s sản phẩm cho đơn hàng.")
                % {
                    "warehouse": self.instance.warehouse.name,
                    "allocated": self.instance.quantity_allocated,
                }
            )
        return quantity


class StockInline(admin.TabularInline):
    """Quantities are set through the stock service (locked, recorded, announced); what orders
    hold is shown, never edited."""

    model = models.Stock
    form = StockForm
    extra = 0
    can_delete = False
    autocomplete_fields = ("product_variant",)
    readonly_fields = ("quantity_allocated",)


@admin.register(models.Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "producer", "province", "click_and_collect_option")
    filter_horizontal = ("channels",)
    inlines = [StockInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not models.Stock:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for stock_form in formset.forms:
            if not stock_form.has_changed() or not stock_form.cleaned_data:
                continue
            existed = stock_form.instance.pk is not None
            [stock] = set_stock_quantities(
                stock_form.cleaned_data["product_variant"],
                [(form.instance, stock_form.cleaned_data["quantity"])],
                changed_by=request.user,
            )
            if existed:
                formset.changed_objects.append((stock, stock_form.changed_data))
            else:
                formset.new_objects.append(stock)


@admin.register(models.StockChange)
class StockChangeAdmin(admin.ModelAdmin):
    """The history of every stock movement, as recorded by the stock service."""

    list_display = (
        "created_at",
        "reason",
        "variant",
        "warehouse",
        "quantity",
        "quantity_allocated",
        "changed_by",
        "webhook_sent_at",
    )
    list_filter = ("reason",)
    date_hierarchy = "created_at"
    list_select_related = (
        "stock__warehouse",
        "stock__product_variant__product",
        "changed_by",
    )

    @admin.display(description=_("product variant"))
    def variant(self, change):
        variant = change.stock.product_variant if change.stock else None
        return f"{variant.product.name} — {variant.name or variant.sku}" if variant else "—"

    @admin.display(description=_("warehouse"))
    def warehouse(self, change):
        return change.stock.warehouse.name if change.stock else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
