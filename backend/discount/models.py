"""Vouchers: promo codes a buyer enters at checkout."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata


class DiscountValueType(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PERCENTAGE = "percentage", _("Percentage")


class VoucherQuerySet(models.QuerySet):
    def running(self, channel_id):
        """Vouchers of the channel within their dates now (used up or not)."""
        now = timezone.now()
        return (
            self.filter(channels=channel_id).exclude(start_date__gt=now).exclude(end_date__lt=now)
        )


class Voucher(ModelWithMetadata):
    """An entire-order voucher. `value` is minor units for FIXED, whole percent for PERCENTAGE."""

    code = models.CharField(_("code"), max_length=255, unique=True, db_index=True)
    name = models.CharField(_("name"), max_length=255, blank=True, default="")
    discount_value_type = models.CharField(
        _("discount type"),
        max_length=10,
        choices=DiscountValueType.choices,
        default=DiscountValueType.FIXED,
    )
    value = models.BigIntegerField(_("value"))
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    minimum_spent_amount = models.BigIntegerField(_("minimum spend"), default=0)
    usage_limit = models.PositiveIntegerField(_("usage limit"), blank=True, null=True)
    used = models.PositiveIntegerField(_("times used"), default=0)
    apply_once_per_customer = models.BooleanField(_("once per customer"), default=False)
    start_date = models.DateTimeField(_("start date"), blank=True, null=True)
    end_date = models.DateTimeField(_("end date"), blank=True, null=True)
    channels = models.ManyToManyField(
        "channel.Channel", verbose_name=_("channels"), related_name="vouchers", blank=True
    )

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["code"]
        permissions = (("manage_discounts", _("Manage sales and vouchers.")),)
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="voucher_value_gte_0"),
            models.CheckConstraint(
                condition=models.Q(discount_value_type="fixed") | models.Q(value__lte=100),
                name="voucher_percentage_lte_100",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_used_up(self) -> bool:
        return self.usage_limit is not None and self.used >= self.usage_limit
