"""sitemap.xml: an index of one sitemap per section, each address listed in Vietnamese and in
English (`?lang=en`) with its hreflang alternates, under settings.PUBLIC_URL.

`SITEMAPS` is the registry the sitemap views read; a section from another module is one more
entry (subclass `ShopSitemap` so its addresses follow the same rules)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import get_language

from backend.core.middleware import LANGUAGE_PARAMETER
from backend.livestream.models import EventStatus, LiveEvent
from backend.ocop.models import Province
from backend.ocop.places import producers_for_sitemap
from backend.page.services import published_pages
from backend.product.models import Category, Product
from storefront.catalog import current_channel


class ShopSitemap(Sitemap):
    """Addresses under PUBLIC_URL, one per language; subclasses give `path(item)`."""

    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PUBLIC_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.PUBLIC_URL).netloc

    def location(self, item):
        language = get_language() or settings.LANGUAGE_CODE
        path = self.path(item)
        if language == settings.LANGUAGE_CODE:
            return path
        return f"{path}?{LANGUAGE_PARAMETER}={language}"


FIXED_PAGES = (
    "storefront:home",
    "storefront:products",
    "storefront:about_ocop",
    "storefront:provinces",
    "livestream:schedule",
)


class FixedPagesSitemap(ShopSitemap):
    changefreq = "daily"

    def items(self):
        return FIXED_PAGES

    def path(self, item):
        return reverse(item)


class ContentPagesSitemap(ShopSitemap):
    changefreq = "monthly"

    def items(self):
        return published_pages().only("slug").order_by("slug")

    def path(self, item):
        return reverse("storefront:page", kwargs={"slug": item.slug})


class CategorySitemap(ShopSitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.only("slug", "updated_at").order_by("pk")

    def path(self, item):
        return reverse("storefront:category", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


class ProductSitemap(ShopSitemap):
    """Products a visitor may open in the shop's channel (published there)."""

    changefreq = "weekly"

    def items(self):
        channel = current_channel()
        if channel is None:
            return Product.objects.none()
        return (
            Product.objects.visible_to_user(AnonymousUser(), channel)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def path(self, item):
        return reverse("storefront:product", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


class LivestreamSitemap(ShopSitemap):
    """Scheduled, live and past events: the pages the schedule lists."""

    changefreq = "hourly"

    def items(self):
        return (
            LiveEvent.objects.filter(
                status__in=(EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED)
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def path(self, item):
        return reverse("livestream:event", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


class ProvinceSitemap(ShopSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return Province.objects.order_by("code").only("slug")

    def path(self, item):
        return reverse("storefront:province", args=[item.slug])


class ProducerSitemap(ShopSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return producers_for_sitemap().only("slug")

    def path(self, item):
        return reverse("storefront:producer", args=[item.slug])


# Section name (the `sitemap-<section>.xml` address) → sitemap class.
SITEMAPS = {
    "pages": FixedPagesSitemap,
    "content": ContentPagesSitemap,
    "categories": CategorySitemap,
    "products": ProductSitemap,
    "livestreams": LivestreamSitemap,
    "provinces": ProvinceSitemap,
    "producers": ProducerSitemap,
}
