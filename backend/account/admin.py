from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backend.account import throttling
from backend.account.models import Address, User


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin sign-in under the same growing delays as the API's tokenCreate."""

    def clean(self):
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        email = self.cleaned_data.get("username") or ""
        try:
            return throttling.authenticate(address, email, None, self._check_credentials)
        except throttling.Delayed as delayed:
            raise ValidationError(delayed.message, code="login_attempt_delayed") from None

    def _check_credentials(self, _email, _password):
        super().clean()
        return self.cleaned_data


admin.site.login_form = ThrottledAdminAuthenticationForm


class EmailUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin for our email-login user (no username)."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "is_confirmed")
    list_filter = ("is_staff", "is_superuser", "is_active", "is_confirmed", "groups")
    search_fields = ("email", "first_name", "last_name")
    filter_horizontal = ("groups", "user_permissions", "addresses")
    readonly_fields = ("date_joined", "last_login", "updated_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("first_name", "last_name", "language_code", "avatar")},
        ),
        (
            _("Địa chỉ"),
            {"fields": ("addresses", "default_shipping_address", "default_billing_address")},
        ),
        (
            _("Quyền"),
            {
                "fields": (
                    "is_active",
                    "is_confirmed",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    raw_id_fields = ("default_shipping_address", "default_billing_address")


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("__str__", "first_name", "last_name", "phone", "country")
    list_filter = ("country", "country_area")
    search_fields = ("first_name", "last_name", "street_address_1", "city", "country_area", "phone")
