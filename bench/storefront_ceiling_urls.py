"""The project's URLs plus `/__ceiling__/`, the smallest Django view: what the production server
answers per second when a page costs nothing but Django's request cycle (every middleware).
Only bench/storefront.py's server loads it (through storefront_ceiling_settings)."""

from django.http import HttpResponse
from django.urls import path

from backend.urls import urlpatterns as project_urlpatterns


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__ceiling__/", ceiling), *project_urlpatterns]
