from django.urls import path

from storefront.portal import (
    views_auth,
    views_certifications,
    views_home,
    views_marketplaces,
    views_members,
    views_onboarding,
    views_orders,
    views_photos,
    views_products,
    views_profile,
    views_stock,
    views_variants,
)

app_name = "portal"

urlpatterns = [
    path("", views_home.dashboard, name="dashboard"),
    path("dang-nhap/", views_auth.signin, name="signin"),
    path("dang-xuat/", views_auth.signout, name="signout"),
    path("chu-the/", views_home.switch_producer, name="switch_producer"),
    path("san-pham/", views_products.product_list, name="products"),
    path("san-pham/them/", views_products.product_create, name="product_create"),
    path("san-pham/<int:pk>/", views_products.product_edit, name="product_edit"),
    path(
        "san-pham/<int:pk>/ngung-ban/", views_products.product_unpublish, name="product_unpublish"
    ),
    path(
        "san-pham/<int:pk>/bien-the/them/",
        views_variants.variant_create,
        name="product_variant_create",
    ),
    path(
        "san-pham/<int:pk>/bien-the/<int:variant_pk>/",
        views_variants.variant_edit,
        name="product_variant_edit",
    ),
    path(
        "san-pham/<int:pk>/bien-the/<int:variant_pk>/xoa/",
        views_variants.variant_delete,
        name="product_variant_delete",
    ),
    path("san-pham/<int:pk>/anh/", views_photos.photos, name="product_photos"),
    path(
        "san-pham/<int:pk>/anh/<int:media_pk>/di-chuyen/",
        views_photos.photo_move,
        name="product_photo_move",
    ),
    path(
        "san-pham/<int:pk>/anh/<int:media_pk>/xoa/",
        views_photos.photo_delete,
        name="product_photo_delete",
    ),
    path("san-pham/<int:pk>/ton-kho/", views_stock.stock, name="product_stock"),
    path(
        "san-pham/<int:pk>/san-ban/",
        views_marketplaces.product_marketplaces,
        name="product_marketplaces",
    ),
    path("don-hang/", views_orders.order_list, name="orders"),
    path("don-hang/<int:number>/", views_orders.order_detail, name="order"),
    path("don-hang/<int:number>/dong-goi/", views_orders.order_pack, name="order_pack"),
    path("don-hang/<int:number>/giao-hang/", views_orders.order_ship, name="order_ship"),
    path("chung-nhan/", views_certifications.certification_list, name="certifications"),
    path("chung-nhan/moi/", views_certifications.certification_new, name="certification_new"),
    path("chung-nhan/<int:pk>/", views_certifications.certification_detail, name="certification"),
    path("co-so/", views_profile.profile, name="profile"),
    path("dang-nhap/ma/", views_auth.code_request, name="signin_code"),
    path("dang-nhap/ma/nhap/", views_auth.code_verify, name="signin_code_verify"),
    path("co-so/thanh-vien/moi/", views_members.member_invite, name="member_invite"),
    path("co-so/thanh-vien/<int:pk>/xoa/", views_members.member_remove, name="member_remove"),
    path("co-so/loi-moi/<int:pk>/huy/", views_members.invitation_cancel, name="invitation_cancel"),
    path("loi-moi/<str:token>/", views_members.invitation, name="invitation"),
    path("co-so/ho-so/", views_onboarding.profile_edit, name="profile_edit"),
    path("co-so/anh/", views_onboarding.profile_photo_add, name="profile_photo_add"),
    path(
        "co-so/anh/<int:pk>/xoa/",
        views_onboarding.profile_photo_delete,
        name="profile_photo_delete",
    ),
    path("san-ban/", views_marketplaces.account_list, name="marketplaces"),
    path("san-ban/<int:pk>/", views_marketplaces.account_detail, name="marketplace"),
    path("san-ban/<int:pk>/gui-lai/", views_marketplaces.retry_parked, name="marketplace_retry"),
    path(
        "san-ban/<int:pk>/sku/<int:mapping_pk>/gui-lai/",
        views_marketplaces.retry_parked,
        name="marketplace_retry_mapping",
    ),
    path(
        "san-ban/<int:pk>/ghep-theo-sku/",
        views_marketplaces.match_by_sku,
        name="marketplace_match_by_sku",
    ),
    path(
        "san-ban/<int:pk>/tin-dang/<int:listing_pk>/ghep/",
        views_marketplaces.map_listing,
        name="marketplace_map_listing",
    ),
]
