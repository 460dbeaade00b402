"""The office's marketplace console in the Django admin: accounts with where their sync stands,
the mapped SKUs with their errors, marketplace orders, listings and the reconciliation report.
Only MANAGE_INTEGRATIONS (or a superuser) sees any of it; stored secrets never go back out."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from integrations.marketplaces import tasks
from integrations.marketplaces.listings import without_mapping
from integrations.marketplaces.models import (
    MarketplaceAccount,
    MarketplaceOrder,
    ReconciliationRun,
    RemoteListing,
    VariantMapping,
)
from integrations.marketplaces.permissions import IntegrationPermissions
from integrations.marketplaces.status import account_statuses

MANAGE = IntegrationPermissions.MANAGE_INTEGRATIONS.value
SECRET_FIELDS = ("app_secret", "access_token", "refresh_token")


def can_manage(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(MANAGE)


class IntegrationAdmin(admin.ModelAdmin):
    """Every page and action needs MANAGE_INTEGRATIONS, whatever model permissions say."""

    def has_module_permission(self, request):
        return can_manage(request)

    def has_view_permission(self, request, obj=None):
        return can_manage(request)

    def has_add_permission(self, request):
        return can_manage(request)

    def has_change_permission(self, request, obj=None):
        return can_manage(request)

    def has_delete_permission(self, request, obj=None):
        return can_manage(request)


class ReadOnlyIntegrationAdmin(IntegrationAdmin):
    """What the sync records: looked at, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _duration(delta) -> str:
    """A wait in its largest whole unit: "5 phút", "2 giờ"."""
    seconds = max(int(delta.total_seconds()), 0)
    for size, unit in ((86400, _("ngày")), (3600, _("giờ")), (60, _("phút"))):
        if seconds >= size:
            return f"{seconds // size}\xa0{unit}"
    return f"{seconds}\xa0{_('giây')}"


class AccountForm(forms.ModelForm):
    """Secrets are typed in, never shown: a blank field keeps what is stored."""

    class Meta:
        model = MarketplaceAccount
        fields = (
            "producer",
            "marketplace",
            "name",
            "channel",
            "enabled",
            "safety_buffer",
            "shop_id",
            "app_key",
            *SECRET_FIELDS,
            "access_expires_at",
            "refresh_expires_at",
            "extra",
            "api_url",
            "auth_url",
            "calls_per_second",
        )
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            field = self.fields[name]
            field.required = False
            field.initial = ""
            self.initial[name] = ""
            if getattr(self.instance, name):
                field.help_text = _("Đã lưu. Để trống để giữ nguyên.")

    def clean(self):
        cleaned = super().clean()
        for name in SECRET_FIELDS:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class AccountChangeList(ChangeList):
    def get_results(self, request):
        """The page's accounts with their sync status, read for the whole page at once."""
        super().get_results(request)
        page = list(self.result_list)
        statuses = account_statuses(
            MarketplaceAccount.objects.filter(pk__in=[account.pk for account in page])
        )
        by_pk = {status.account.pk: status for status in statuses}
        for account in page:
            account.sync_status = by_pk[account.pk]
        self.result_list = page


@admin.register(MarketplaceAccount)
class MarketplaceAccountAdmin(IntegrationAdmin):
    form = AccountForm
    list_display = (
        "name",
        "marketplace",
        "producer",
        "enabled",
        "mapped",
        "waiting",
        "parked",
        "last_push",
        "lag",
    )
    list_filter = ("marketplace", "producer", "enabled")
    list_select_related = ("producer",)
    search_fields = ("name", "shop_id")
    actions = ("push_now", "reconcile_now", "retry_parked")

    def get_changelist(self, request, **kwargs):
        return AccountChangeList

    @admin.display(description=_("SKU đã liên kết"))
    def mapped(self, account):
        return account.sync_status.mapped

    @admin.display(description=_("chờ gửi"))
    def waiting(self, account):
        return account.sync_status.waiting

    @admin.display(description=_("dừng lại"))
    def parked(self, account):
        return account.sync_status.parked

    @admin.display(description=_("lần gửi cuối"))
    def last_push(self, account):
        pushed_at = account.sync_status.last_push_at
        if pushed_at is None:
            return "—"
        return _("%(time)s trước") % {"time": _duration(timezone.now() - pushed_at)}

    @admin.display(description=_("độ trễ"))
    def lag(self, account):
        lag = account.sync_status.lag
        return "—" if lag is None else _duration(lag)

    @admin.action(description=_("Gửi tồn kho ngay"))
    def push_now(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            tasks.queue(tasks.push_account_stock, pk)
        self.message_user(
            request,
            _("Đã xếp lịch gửi tồn kho cho %(count)s tài khoản.") % {"count": queryset.count()},
        )

    @admin.action(description=_("Đối soát ngay"))
    def reconcile_now(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            tasks.queue(tasks.reconcile_account, pk)
        self.message_user(
            request,
            _("Đã xếp lịch đối soát cho %(count)s tài khoản.") % {"count": queryset.count()},
        )

    @admin.action(description=_("Thử lại các SKU bị dừng"))
    def retry_parked(self, request, queryset):
        retried = tasks.send_parked_again(VariantMapping.objects.filter(account__in=queryset))
        self.message_user(request, _("Đã thử lại %(count)s SKU.") % {"count": retried})


@admin.register(VariantMapping)
class VariantMappingAdmin(IntegrationAdmin):
    list_display = (
        "variant",
        "account",
        "seller_sku",
        "pushed_quantity",
        "pushed_at",
        "stock_status",
        "price_status",
        "last_error",
    )
    list_filter = ("stock_status", "price_status", "account")
    list_select_related = ("variant", "account")
    search_fields = ("seller_sku", "item_id", "sku_id", "variant__sku")
    raw_id_fields = ("variant",)
    readonly_fields = (
        "pushed_quantity",
        "pushed_at",
        "stock_status",
        "attempts",
        "last_error",
        "pushed_price",
        "price_pushed_at",
        "price_status",
        "price_error",
    )
    exclude = ("stock_version", "pushed_version", "changed_at", "next_attempt_at")
    actions = ("retry",)

    @admin.action(description=_("Thử lại các SKU bị dừng"))
    def retry(self, request, queryset):
        retried = tasks.send_parked_again(queryset)
        self.message_user(request, _("Đã thử lại %(count)s SKU.") % {"count": retried})


@admin.register(MarketplaceOrder)
class MarketplaceOrderAdmin(ReadOnlyIntegrationAdmin):
    list_display = ("order_id", "account", "status", "state", "problem", "created_at")
    list_filter = ("state", "account")
    list_select_related = ("account",)
    search_fields = ("order_id",)


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyIntegrationAdmin):
    """The reconciliation report: each run, and on its page the SKUs whose stock drifted."""

    list_display = ("account", "started_at", "checked", "drifted", "error")
    list_filter = ("account",)
    list_select_related = ("account",)
    date_hierarchy = "started_at"
    fields = ("account", "started_at", "checked", "drifted", "error", "drift_table")
    readonly_fields = fields

    @admin.display(description=_("chênh lệch"))
    def drift_table(self, run):
        if not run.drifts:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((drift.get("sku"), drift.get("ours"), drift.get("theirs")) for drift in run.drifts),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("SKU"),
            _("của ta"),
            _("trên sàn"),
            rows,
        )


class UnmatchedFilter(admin.SimpleListFilter):
    """The listings no mapping points at (`listings.without_mapping`)."""

    title = _("liên kết")
    parameter_name = "unmatched"

    def lookups(self, request, model_admin):
        return (("1", _("Chưa liên kết")),)

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return without_mapping(queryset)


@admin.register(RemoteListing)
class RemoteListingAdmin(ReadOnlyIntegrationAdmin):
    list_display = ("seller_sku", "name", "item_id", "sku_id", "account", "quantity", "seen_at")
    list_filter = (UnmatchedFilter, "account")
    list_select_related = ("account",)
    search_fields = ("seller_sku", "name", "item_id")
