"""The livestream pages under /live/: the schedule, rules and event pages
(`urls_pages`), the live feed and the host console (`urls_live`), and buying from the
event page (`urls_cart`)."""

from storefront.livestream import urls_cart, urls_live, urls_pages

app_name = "livestream"
urlpatterns = urls_pages.urlpatterns + urls_live.urlpatterns + urls_cart.urlpatterns
