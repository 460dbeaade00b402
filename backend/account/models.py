"""Users (customers, producer members, office staff) and their addresses."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.models import ModelWithMetadata


class Address(models.Model):
    """A postal address. Vietnam's two tiers since 2025: `country_area` is the province,
    `city` the commune/ward (`city_area` is kept for Saleor compatibility)."""

    first_name = models.CharField(_("first name"), max_length=256, blank=True)
    last_name = models.CharField(_("last name"), max_length=256, blank=True)
    company_name = models.CharField(_("company"), max_length=256, blank=True)
    street_address_1 = models.CharField(_("street address"), max_length=256, blank=True)
    street_address_2 = models.CharField(_("street address (line 2)"), max_length=256, blank=True)
    city = models.CharField(_("ward or commune"), max_length=256, blank=True)
    city_area = models.CharField(_("district"), max_length=128, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="VN")
    country_area = models.CharField(_("province or city"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="")
    metadata = models.JSONField(_("metadata"), blank=True, default=dict)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["pk"]

    def __str__(self):
        return ", ".join(
            part
            for part in (self.street_address_1, self.city, self.country_area, self.country)
            if part
        )


def new_token_key() -> str:
    return str(uuid.uuid4())


class UserManager(BaseUserManager):
    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(PermissionsMixin, ModelWithMetadata, AbstractBaseUser):
    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=256, blank=True)
    last_name = models.CharField(_("last name"), max_length=256, blank=True)
    addresses = models.ManyToManyField(
        Address, verbose_name=_("addresses"), blank=True, related_name="user_addresses"
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_confirmed = models.BooleanField(_("email confirmed"), default=True)
    language_code = models.CharField(_("language"), max_length=35, default="vi")
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    default_shipping_address = models.ForeignKey(
        Address,
        verbose_name=_("default shipping address"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    default_billing_address = models.ForeignKey(
        Address,
        verbose_name=_("default billing address"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    avatar = models.ImageField(_("avatar"), upload_to="user-avatars", blank=True, null=True)
    # Rotating this key invalidates every token issued to the user (logout everywhere,
    # password change).
    jwt_token_key = models.CharField(_("token key"), max_length=36, default=new_token_key)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        permissions = (
            ("manage_users", _("Manage customers.")),
            ("manage_staff", _("Manage staff.")),
        )

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email


class OneTimeCode(models.Model):
    """A six-digit sign-in code sent by email: kept only as a keyed hash, valid for a few
    minutes, used once, void after a few wrong tries. A new request replaces the old code."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), related_name="one_time_code", on_delete=models.CASCADE
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time sign-in code")
        verbose_name_plural = _("one-time sign-in codes")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
