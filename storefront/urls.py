from django.urls import path
from django.views.i18n import set_language

from storefront import views, views_account, views_cart, views_checkout, views_places

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
    path("tai-khoan/xac-nhan/", views_account.account_confirm, name="account_confirm"),
    path("i18n/setlang/", set_language, name="set_language"),
]
