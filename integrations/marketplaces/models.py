"""Marketplace accounts, the mapping of our variants to their SKUs with each mapping's sync
state, the marketplace orders that hold our stock, reconciliation runs and file exports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.marketplaces.crypto import EncryptedTextField


class Marketplace(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKTOK = "tiktok", "TikTok Shop"
    TIKI = "tiki", "Tiki"
    POSTMART = "postmart", "PostMart"
    VOSO = "voso", "Voso"


# Marketplaces without a seller API: their accounts get a bulk-upload file instead of pushes.
FILE_MARKETPLACES = frozenset({Marketplace.POSTMART, Marketplace.VOSO})


class MarketplaceAccount(models.Model):
    """One shop on one marketplace, of a producer or (no producer) of the office."""

    producer = models.ForeignKey(
        "ocop.Producer",
        verbose_name=_("producer"),
        related_name="marketplace_accounts",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    marketplace = models.CharField(_("marketplace"), max_length=16, choices=Marketplace.choices)
    name = models.CharField(_("shop name"), max_length=120)
    channel = models.ForeignKey(
        "channel.Channel",
        verbose_name=_("channel"),
        help_text=_("Whose stock and prices this shop sells."),
        related_name="+",
        on_delete=models.PROTECT,
    )
    enabled = models.BooleanField(_("sync enabled"), default=True)
    safety_buffer = models.PositiveIntegerField(
        _("safety buffer"),
        default=0,
        help_text=_("Units kept back from this shop: it shows the available stock minus this."),
    )
    shop_id = models.CharField(_("shop id"), max_length=64, blank=True)
    app_key = models.CharField(_("app key / partner id"), max_length=128, blank=True)
    app_secret = EncryptedTextField(_("app secret / partner key"), blank=True, default="")
    access_token = EncryptedTextField(_("access token"), blank=True, default="")
    refresh_token = EncryptedTextField(_("refresh token"), blank=True, default="")
    access_expires_at = models.FloatField(_("access token expires at"), default=0)
    refresh_expires_at = models.FloatField(_("refresh token expires at"), default=0)
    extra = models.JSONField(_("marketplace settings"), default=dict, blank=True)
    api_url = models.URLField(_("API address"), blank=True, help_text=_("Empty: the live API."))
    auth_url = models.URLField(_("token address"), blank=True)
    calls_per_second = models.FloatField(_("calls per second"), null=True, blank=True)
    # One worker at a time talks to a shop (a lease that runs out if the worker dies), so the
    # shop's rate limit holds across workers; the next one starts from the last calls' times.
    lease_owner = models.CharField(max_length=64, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    recent_calls = models.JSONField(default=list, editable=False)
    orders_synced_until = models.IntegerField(_("orders read up to"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("marketplace account")
        verbose_name_plural = _("marketplace accounts")
        ordering = ["pk"]
        permissions = (("manage_integrations", _("Manage marketplace integrations.")),)

    def __str__(self):
        return f"{self.get_marketplace_display()}: {self.name}"

    @property
    def pushes(self) -> bool:
        return self.marketplace not in FILE_MARKETPLACES


class SyncStatus(models.TextChoices):
    SYNCED = "synced", _("Synced")
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Retrying")
    PARKED = "parked", _("Stopped: needs attention")


class VariantMapping(models.Model):
    """Our variant as one SKU of a marketplace shop, and where its stock and price stand there.

    Changes are coalesced here: every recorded stock change of the variant bumps
    `stock_version`; a push reads the available quantity *after* noting the version and, when
    the marketplace took it, sets `pushed_version` to it. A change during the push leaves the
    versions apart, so the mapping is pushed again — with the newest value, never a delta."""

    class MatchedBy(models.TextChoices):
        SKU = "sku", _("Same SKU")
        HAND = "hand", _("By hand")

    account = models.ForeignKey(
        MarketplaceAccount,
        verbose_name=_("marketplace account"),
        related_name="mappings",
        on_delete=models.CASCADE,
    )
    variant = models.ForeignKey(
        "product.ProductVariant",
        verbose_name=_("variant"),
        related_name="marketplace_mappings",
        on_delete=models.CASCADE,
    )
    item_id = models.CharField(_("item id"), max_length=64)
    sku_id = models.CharField(_("SKU / model id"), max_length=64, blank=True)
    seller_sku = models.CharField(_("seller SKU"), max_length=128, blank=True)
    warehouse_id = models.CharField(_("marketplace warehouse"), max_length=64, blank=True)
    matched_by = models.CharField(
        _("matched"), max_length=8, choices=MatchedBy.choices, default=MatchedBy.HAND
    )

    stock_version = models.PositiveBigIntegerField(default=1)
    pushed_version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    pushed_quantity = models.IntegerField(_("pushed quantity"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("last push"), null=True, blank=True)
    stock_status = models.CharField(
        _("stock sync"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("marketplace error"), blank=True)

    pushed_price = models.BigIntegerField(_("pushed price"), null=True, blank=True)
    price_pushed_at = models.DateTimeField(_("last price push"), null=True, blank=True)
    price_status = models.CharField(
        _("price sync"), max_length=10, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    price_error = models.TextField(_("marketplace price error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("marketplace mapping")
        verbose_name_plural = _("marketplace mappings")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "variant"], name="mapping_one_per_variant"),
            models.UniqueConstraint(
                fields=["account", "item_id", "sku_id"], name="mapping_one_per_remote_sku"
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "changed_at"],
                condition=models.Q(stock_version__gt=models.F("pushed_version")),
                name="mapping_stock_due",
            )
        ]

    def __str__(self):
        return f"{self.variant_id} → {self.item_id}/{self.sku_id}"


class RemoteListing(models.Model):
    """A SKU as the marketplace last listed it (matching by seller SKU, the unmatched list, and
    reconciliation's view of their stock)."""

    account = models.ForeignKey(
        MarketplaceAccount, related_name="remote_listings", on_delete=models.CASCADE
    )
    item_id = models.CharField(_("item id"), max_length=64)
    sku_id = models.CharField(_("SKU / model id"), max_length=64, blank=True)
    seller_sku = models.CharField(_("seller SKU"), max_length=128, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    quantity = models.IntegerField(_("their stock"))
    price = models.BigIntegerField(_("their price"), null=True, blank=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("marketplace listing")
        verbose_name_plural = _("marketplace listings")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "item_id", "sku_id"], name="remote_listing_one_per_sku"
            )
        ]

    def __str__(self):
        return f"{self.seller_sku or self.item_id} ({self.quantity})"


class MarketplaceOrder(models.Model):
    """A marketplace order whose units our stock holds (open), has let go (shipped) or freed
    (cancelled). News about it is applied once and in order: by `remote_updated_at`."""

    account = models.ForeignKey(
        MarketplaceAccount,
        verbose_name=_("marketplace account"),
        related_name="orders",
        on_delete=models.CASCADE,
    )
    order_id = models.CharField(_("marketplace order"), max_length=64)
    status = models.CharField(_("marketplace status"), max_length=40)
    state = models.CharField(_("state"), max_length=10)
    remote_updated_at = models.IntegerField(_("updated at (marketplace)"))
    lines = models.JSONField(_("lines"), default=list)
    problem = models.TextField(_("problem"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("marketplace order")
        verbose_name_plural = _("marketplace orders")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "order_id"], name="marketplace_order_once")
        ]

    def __str__(self):
        return f"{self.account_id}/{self.order_id} ({self.status})"


class ReconciliationRun(models.Model):
    account = models.ForeignKey(
        MarketplaceAccount,
        verbose_name=_("marketplace account"),
        related_name="reconciliations",
        on_delete=models.CASCADE,
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    checked = models.PositiveIntegerField(_("SKUs checked"), default=0)
    drifted = models.PositiveIntegerField(_("SKUs drifted"), default=0)
    # [{variant_id, sku, ours, theirs}] of each drifted SKU, as found (then repaired by a push)
    drifts = models.JSONField(_("drift"), default=list)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-pk"]

    def __str__(self):
        started = timezone.localtime(self.started_at)
        return f"{self.account} · {started:%d/%m/%Y %H:%M} · {self.drifted}/{self.checked}"


class CatalogExport(models.Model):
    """A bulk-upload file for a marketplace without a seller API (PostMart, Voso), regenerated
    when our data change; earlier files stay as the history."""

    account = models.ForeignKey(
        MarketplaceAccount,
        verbose_name=_("marketplace account"),
        related_name="exports",
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    digest = models.CharField(max_length=64)
    xlsx = models.FileField(_("XLSX file"), upload_to="marketplace-exports/")
    csv = models.FileField(_("CSV file"), upload_to="marketplace-exports/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("marketplace file")
        verbose_name_plural = _("marketplace files")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.account} · {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"
