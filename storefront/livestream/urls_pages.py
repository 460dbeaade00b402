from django.urls import path

from storefront.livestream import views_pages

urlpatterns = [
    path("", views_pages.schedule, name="schedule"),
    path("quy-dinh/", views_pages.rules, name="rules"),
    path("huy-nhac/<str:token>/", views_pages.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views_pages.event_page, name="event"),
    path("<slug:slug>/nhac-toi/", views_pages.remind, name="remind"),
    path("<slug:slug>/bao-cao/", views_pages.complain, name="complain"),
    path("<slug:slug>/lich.ics", views_pages.calendar, name="calendar"),
    path("<slug:slug>/qr.svg", views_pages.qr, name="qr"),
]
