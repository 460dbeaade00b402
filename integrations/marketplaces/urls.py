from django.urls import path

from integrations.marketplaces.export_views import download_export, import_orders, refresh_export
from integrations.marketplaces.views import order_webhook

urlpatterns = [
    path(
        "<int:account_id>/<slug:marketplace>/orders/",
        order_webhook,
        name="marketplace-webhook",
    ),
    path(
        "exports/<int:pk>/<slug:kind>/",
        download_export,
        name="marketplace-export-download",
    ),
    path(
        "accounts/<int:account_pk>/exports/refresh/",
        refresh_export,
        name="marketplace-export-refresh",
    ),
    path(
        "accounts/<int:account_pk>/orders/import/",
        import_orders,
        name="marketplace-orders-import",
    ),
]
