"""Sitemap sections of the pages by place: every current province and every verified producer
(sitemap.xml itself is wired in the project's URLs)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from backend.ocop.models import Province
from backend.ocop.places import producers_for_sitemap


class ProvinceSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return Province.objects.order_by("code").only("slug")

    def location(self, item):
        return reverse("storefront:province", args=[item.slug])


class ProducerSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return producers_for_sitemap().only("slug")

    def location(self, item):
        return reverse("storefront:producer", args=[item.slug])
