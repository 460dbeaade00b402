from django.urls import path
from django.views.i18n import set_language

from storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-muc/<str:slug>/", views.category, name="category"),
    path("san-pham/<str:slug>/", views.product, name="product"),
    path("tim-kiem/", views.search, name="search"),
    path("i18n/setlang/", set_language, name="set_language"),
]
