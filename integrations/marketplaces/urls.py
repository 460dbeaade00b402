from django.urls import path

from integrations.marketplaces.views import order_webhook

urlpatterns = [
    path(
        "<int:account_id>/<slug:marketplace>/orders/",
        order_webhook,
        name="marketplace-webhook",
    ),
]
