from django.urls import path

from storefront.portal import (
    views_auth,
    views_certifications,
    views_home,
    views_orders,
    views_products,
    views_profile,
)

app_name = "portal"

urlpatterns = [
    path("", views_home.dashboard, name="dashboard"),
    path("dang-nhap/", views_auth.signin, name="signin"),
    path("dang-xuat/", views_auth.signout, name="signout"),
    path("chu-the/", views_home.switch_producer, name="switch_producer"),
    path("san-pham/", views_products.product_list, name="products"),
    path("don-hang/", views_orders.order_list, name="orders"),
    path("don-hang/<int:number>/", views_orders.order_detail, name="order"),
    path("don-hang/<int:number>/dong-goi/", views_orders.order_pack, name="order_pack"),
    path("don-hang/<int:number>/giao-hang/", views_orders.order_ship, name="order_ship"),
    path("chung-nhan/", views_certifications.certification_list, name="certifications"),
    path("chung-nhan/moi/", views_certifications.certification_new, name="certification_new"),
    path("chung-nhan/<int:pk>/", views_certifications.certification_detail, name="certification"),
    path("co-so/", views_profile.profile, name="profile"),
]
