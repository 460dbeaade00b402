from django.urls import path

from storefront.livestream import views_cart

urlpatterns = [
    path("<slug:slug>/gio-hang/", views_cart.add_to_cart, name="add_to_cart"),
]
