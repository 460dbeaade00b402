"""Content pages, the OCOP badge explained, and what browsers and crawlers ask a shop for:
robots.txt, the web app manifest and /favicon.ico."""

import re

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_section_view
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from backend.page.models import PageTranslation
from backend.page.services import published_pages
from storefront import seo
from storefront.catalog import in_active_language
from storefront.sitemaps import SITEMAPS
from storefront.templatetags.storefront import localized

SITEMAP_MAX_AGE = 3600

# Lookup codes of certifications (backend.ocop.models.new_certification_code): letters and
# digits, case-sensitive, as in the address the certificate's QR code opens.
CERTIFICATE_CODE = re.compile(r"^[A-Za-z0-9]{4,32}$")

# Paths crawlers have no business in: private, per-visitor or endless (search results).
ROBOTS_DISALLOWED = (
    "/admin/",
    "/portal/",
    "/gio-hang/",
    "/thanh-toan/",
    "/tai-khoan/",
    "/graphql/",
    "/tim-kiem/",
)


def page(request, slug):
    found = (
        published_pages()
        .prefetch_related(in_active_language("translations", PageTranslation))
        .filter(slug=slug)
        .first()
    )
    if found is None:
        raise Http404
    title = localized(found, "title")
    context = {
        "page": found,
        "title": title,
        "description": localized(found, "seo_description") or title,
    }
    return render(request, "storefront/page.html", context)


def about_ocop(request):
    """What OCOP stars mean; `?ma=<code>` opens that certificate's public verification page."""
    code = request.GET.get("ma", "").strip()
    error = None
    if code:
        if CERTIFICATE_CODE.match(code):
            return redirect("ocop:verify", code=code)
        error = _("A certificate code has 4 to 32 letters and digits, as in its QR code's address.")
    context = {"code": code, "code_error": error}
    return render(request, "storefront/about_ocop.html", context, status=400 if error else 200)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines += ["", f"Sitemap: {seo.absolute(reverse('storefront:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request):
    icons = [
        {
            "src": static(f"storefront/icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in (192, 512)
    ]
    icons.append(
        {"src": static("storefront/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
    )
    data = {
        "name": "OCOP Market",
        "short_name": "OCOP",
        "description": settings.SHOP_DESCRIPTION,
        "lang": settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": reverse("storefront:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1f6f43",
        "background_color": "#faf7f0",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    return redirect(static("storefront/icons/icon-32.png"), permanent=True)


@require_GET
@cache_control(max_age=SITEMAP_MAX_AGE, public=True)
def sitemap_index(request):
    """The sitemap index: every section's pages, addressed under PUBLIC_URL (Django's own index
    view would name the host the request came through)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        location = seo.absolute(reverse("storefront:sitemap_section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        entries.append(SitemapIndexItem(location))
        entries += [SitemapIndexItem(f"{location}?p={number}") for number in range(2, pages + 1)]
    return render(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_GET
@cache_control(max_age=SITEMAP_MAX_AGE, public=True)
def sitemap_section(request, section):
    return sitemap_section_view(request, sitemaps=SITEMAPS, section=section)
