from django.urls import path
from django.views.i18n import set_language

from storefront import views, views_account, views_cart, views_checkout, views_content

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-muc/<str:slug>/", views.category, name="category"),
    path("san-pham/", views.products, name="products"),
    path("san-pham/<str:slug>/", views.product, name="product"),
    path("tim-kiem/", views.search, name="search"),
    path("gio-hang/", views_cart.cart, name="cart"),
    path("gio-hang/them/", views_cart.cart_add, name="cart_add"),
    path("gio-hang/cap-nhat/", views_cart.cart_update, name="cart_update"),
    path("thanh-toan/", views_checkout.checkout_page, name="checkout"),
    path("thanh-toan/tuy-chon/", views_checkout.checkout_options, name="checkout_options"),
    path("don-hang/<uuid:token>/", views_checkout.order, name="order"),
    path("tai-khoan/xac-nhan/", views_account.account_confirm, name="account_confirm"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("trang/<str:slug>/", views_content.page, name="page"),
    path("ve-ocop/", views_content.about_ocop, name="about_ocop"),
    path("robots.txt", views_content.robots_txt, name="robots"),
    path("manifest.webmanifest", views_content.manifest, name="manifest"),
    path("favicon.ico", views_content.favicon, name="favicon"),
    path("sitemap.xml", views_content.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", views_content.sitemap_section, name="sitemap_section"),
]
