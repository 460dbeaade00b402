from django.urls import path

from backend.ocop import views

app_name = "ocop"

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/qr.svg", views.verify_qr, name="verify-qr"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
