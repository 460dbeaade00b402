from django.urls import path
from django.views.i18n import set_language

from storefront import (
    views,
    views_account,
    views_account_addresses,
    views_account_orders,
    views_cart,
    views_checkout,
    views_content,
    views_places,
)

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-muc/<str:slug>/", views.category, name="category"),
    path("san-pham/", views.products, name="products"),
    path("san-pham/<str:slug>/", views.product, name="product"),
    path("tim-kiem/", views.search, name="search"),
    path("tinh-thanh/", views_places.provinces, name="provinces"),
    path("tinh-thanh/<str:slug>/", views_places.province, name="province"),
    path("nha-san-xuat/<str:slug>/", views_places.producer, name="producer"),
    path("gio-hang/", views_cart.cart, name="cart"),
    path("gio-hang/them/", views_cart.cart_add, name="cart_add"),
    path("gio-hang/cap-nhat/", views_cart.cart_update, name="cart_update"),
    path("thanh-toan/", views_checkout.checkout_page, name="checkout"),
    path("thanh-toan/tuy-chon/", views_checkout.checkout_options, name="checkout_options"),
    path("don-hang/<uuid:token>/", views_checkout.order, name="order"),
    path("tai-khoan/", views_account_orders.account, name="account"),
    path(
        "tai-khoan/don-hang/<int:number>/",
        views_account_orders.account_order,
        name="account_order",
    ),
    path("tai-khoan/dang-ky/", views_account.sign_up, name="sign_up"),
    path("tai-khoan/kiem-tra-email/", views_account.check_email, name="check_email"),
    path("tai-khoan/xac-nhan/", views_account.account_confirm, name="account_confirm"),
    path(
        "tai-khoan/xac-nhan/gui-lai/",
        views_account.resend_confirmation,
        name="resend_confirmation",
    ),
    path("tai-khoan/dang-nhap/", views_account.sign_in, name="sign_in"),
    path("tai-khoan/dang-xuat/", views_account.sign_out, name="sign_out"),
    path("tai-khoan/quen-mat-khau/", views_account.password_reset, name="password_reset"),
    path("tai-khoan/dat-mat-khau/", views_account.password_set, name="password_set"),
    path("tai-khoan/dia-chi/", views_account_addresses.addresses, name="addresses"),
    path("tai-khoan/dia-chi/them/", views_account_addresses.address_add, name="address_add"),
    path(
        "tai-khoan/dia-chi/phuong-xa/",
        views_account_addresses.address_wards,
        name="address_wards",
    ),
    path(
        "tai-khoan/dia-chi/<int:pk>/sua/",
        views_account_addresses.address_edit,
        name="address_edit",
    ),
    path(
        "tai-khoan/dia-chi/<int:pk>/xoa/",
        views_account_addresses.address_delete,
        name="address_delete",
    ),
    path(
        "tai-khoan/dia-chi/<int:pk>/mac-dinh/",
        views_account_addresses.address_default,
        name="address_default",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("trang/<str:slug>/", views_content.page, name="page"),
    path("ve-ocop/", views_content.about_ocop, name="about_ocop"),
    path("robots.txt", views_content.robots_txt, name="robots"),
    path("manifest.webmanifest", views_content.manifest, name="manifest"),
    path("favicon.ico", views_content.favicon, name="favicon"),
    path("sitemap.xml", views_content.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", views_content.sitemap_section, name="sitemap_section"),
]
