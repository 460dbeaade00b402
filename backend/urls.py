from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from backend.graphql.views import GraphQLView
from backend.thumbnail.views import thumbnail_view

# GraphiQL (graphene-django's page) loads its scripts and styles from jsDelivr and configures
# itself in an inline script it gives no nonce.
GRAPHIQL_SOURCES = ["https://cdn.jsdelivr.net", UNSAFE_INLINE]
graphql_view = csp_update({"script-src": GRAPHIQL_SOURCES, "style-src": GRAPHIQL_SOURCES})(
    GraphQLView.as_view(graphiql=True)
)

urlpatterns = [
    path("graphql/", graphql_view, name="api"),
    path("admin/dashboard/", include("backend.ocop.dashboard_admin")),
    path("admin/", admin.site.urls),
    path("thumbnail/<str:instance_id>/<int:size>/", thumbnail_view, name="thumbnail"),
    path("thumbnail/<str:instance_id>/<int:size>/<str:format>/", thumbnail_view, name="thumbnail"),
    path("ocop/", include("backend.ocop.urls")),
    path("payment/", include("backend.payment.urls")),
    path("portal/", include("storefront.portal.urls")),
    path("marketplaces/", include("integrations.marketplaces.urls")),
    path("live/", include("storefront.livestream.urls")),
    path("", include("storefront.urls")),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
