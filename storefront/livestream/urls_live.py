from django.urls import path

from storefront.livestream import views_live

urlpatterns = [
    path("<slug:slug>/events/", views_live.events, name="events"),
    path("<slug:slug>/pins.json", views_live.pins, name="pins"),
    path("<slug:slug>/heartbeat/", views_live.heartbeat, name="heartbeat"),
    path("<slug:slug>/console/", views_live.console, name="console"),
    path("<slug:slug>/console/counters.json", views_live.console_counters, name="console_counters"),
    path("<slug:slug>/console/start/", views_live.console_start, name="console_start"),
    path("<slug:slug>/console/end/", views_live.console_end, name="console_end"),
    path("<slug:slug>/console/pin/<int:offer_id>/", views_live.console_pin, name="console_pin"),
    path(
        "<slug:slug>/console/unpin/<int:offer_id>/", views_live.console_unpin, name="console_unpin"
    ),
]
