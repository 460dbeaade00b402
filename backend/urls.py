from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from backend.graphql.views import GraphQLView
from backend.thumbnail.views import thumbnail_view

urlpatterns = [
    path("graphql/", GraphQLView.as_view(graphiql=True), name="api"),
    path("admin/", admin.site.urls),
    path("thumbnail/<str:instance_id>/<int:size>/", thumbnail_view, name="thumbnail"),
    path("thumbnail/<str:instance_id>/<int:size>/<str:format>/", thumbnail_view, name="thumbnail"),
    path("ocop/", include("backend.ocop.urls")),
    path("payment/", include("backend.payment.urls")),
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
