"""Saleor-style permission names mapped to Django permissions (`app_label.codename`)."""

from enum import Enum


class BasePermissionEnum(Enum):
    @property
    def codename(self):
        return self.value.split(".")[1]


class AccountPermissions(BasePermissionEnum):
    MANAGE_USERS = "account.manage_users"
    MANAGE_STAFF = "account.manage_staff"


class ProductPermissions(BasePermissionEnum):
    MANAGE_PRODUCTS = "product.manage_products"


class ChannelPermissions(BasePermissionEnum):
    MANAGE_CHANNELS = "channel.manage_channels"


class PagePermissions(BasePermissionEnum):
    MANAGE_PAGES = "page.manage_pages"
    MANAGE_PAGE_TYPES_AND_ATTRIBUTES = "page.manage_page_types_and_attributes"


class MenuPermissions(BasePermissionEnum):
    MANAGE_MENUS = "menu.manage_menus"


class OcopPermissions(BasePermissionEnum):
    VERIFY_CERTIFICATIONS = "ocop.verify_certifications"


def has_one_of_permissions(user, permissions) -> bool:
    if not permissions:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_perm(permission.value) for permission in permissions)
