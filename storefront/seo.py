"""What search engines and sharing previews read: canonical and per-language addresses, and the
schema.org data of the shop and of a product page.

Addresses are absolute under `settings.PUBLIC_URL`, whatever host the request came through.
Each language has its own address: Vietnamese (the source language) without a parameter,
English with `?lang=en` (backend.core.middleware.VietnameseFirstLocaleMiddleware honours it).

The canonical address keeps only the query parameters that change what a page is about:
`q` (the search words) and `page` (a later page of a listing; page 1 is the bare address).
Sorting and filters only reorder or narrow a listing that the canonical address already
covers, so they are dropped, as are tracking parameters.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language

from backend.core.middleware import LANGUAGE_PARAMETER
from storefront.templatetags.storefront import localized

CANONICAL_PARAMETERS = ("q", "page")
OPEN_GRAPH_LOCALES = {"vi": "vi_VN", "en": "en_US"}
SITE_NAME = "OCOP Market"
SHARING_IMAGE = "storefront/icons/icon-512.png"


def absolute(path: str) -> str:
    """`path` (or an already absolute address) under the shop's public address."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


def active_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _kept_parameters(request) -> list[tuple[str, str]]:
    kept = []
    for name in CANONICAL_PARAMETERS:
        value = request.GET.get(name, "").strip()
        if not value or (name == "page" and value == "1"):
            continue
        kept.append((name, value))
    return kept


def path_in(request, language: str, explicit: bool = False) -> str:
    """This page's path in `language`, with its meaningful parameters. The source language
    needs no parameter, except `explicit`ly: to switch back a visitor whose cookie says
    otherwise."""
    parameters = _kept_parameters(request)
    if explicit or language != settings.LANGUAGE_CODE:
        parameters.append((LANGUAGE_PARAMETER, language))
    query = f"?{urlencode(parameters)}" if parameters else ""
    return f"{request.path}{query}"


def path_without_language(request) -> str:
    """This page's path and query without `lang`: where the language switcher comes back to
    (a `lang` left in it would undo the visitor's choice)."""
    query = request.GET.copy()
    query.pop(LANGUAGE_PARAMETER, None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def address_in(request, language: str) -> str:
    """The absolute address of this page in `language`."""
    return absolute(path_in(request, language))


def canonical_url(request) -> str:
    """The page's canonical address, in the language it is shown in."""
    return address_in(request, active_language())


def language_alternates(request) -> list[tuple[str, str]]:
    """(hreflang, address) for every language, then `x-default` (the Vietnamese address)."""
    alternates = [(code, address_in(request, code)) for code, _name in settings.LANGUAGES]
    alternates.append(("x-default", address_in(request, settings.LANGUAGE_CODE)))
    return alternates


def sharing_image() -> str:
    return absolute(static(SHARING_IMAGE))


def organization_data() -> dict:
    home = absolute(reverse("storefront:home"))
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": SITE_NAME,
        "url": home,
        "logo": sharing_image(),
    }


def website_data() -> dict:
    """The shop as a WebSite whose search box search engines may offer (SearchAction)."""
    home = absolute(reverse("storefront:home"))
    search = absolute(reverse("storefront:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": SITE_NAME,
        "url": home,
        "inLanguage": active_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def product_images(product) -> list[str]:
    images = []
    for media in getattr(product, "images", ()):
        if media.image:
            images.append(absolute(media.image.url))
        elif media.external_url:
            images.append(absolute(media.external_url))
    return images


def certification_data(certification) -> dict:
    """The OCOP badge as a schema.org Certification: the stars of a recognition decision."""
    return {
        "@type": "Certification",
        "name": f"OCOP {certification.stars}★",
        "certificationIdentification": certification.decision_number,
        "certificationRating": {
            "@type": "Rating",
            "ratingValue": certification.stars,
            "bestRating": 5,
            "worstRating": 1,
        },
        "issuedBy": {"@type": "GovernmentOrganization", "name": certification.issuer_name},
        "validFrom": certification.valid_from.isoformat(),
        "validUntil": certification.valid_until.isoformat(),
        "url": absolute(reverse("ocop:verify", kwargs={"code": certification.code})),
    }


def product_data(request, product, offers) -> dict:
    """schema.org Product for a product page: its producer as the brand, one Offer per variant
    priced in the channel (integer VND), and the OCOP badge (a valid, verified certification)
    when it has one."""
    url = canonical_url(request)
    variants = [offer.variant for offer in offers] or list(product.variants.all())
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": localized(product, "name"),
        "url": url,
        "description": (
            localized(product, "seo_description") or product.description_plaintext or ""
        )[:5000],
        "sku": variants[0].sku if variants else None,
        "image": product_images(product) or [sharing_image()],
        "offers": [
            {
                "@type": "Offer",
                "sku": offer.variant.sku,
                "name": offer.variant.name or localized(product, "name"),
                "price": offer.price,
                "priceCurrency": offer.currency,
                "availability": "https://schema.org/"
                + ("InStock" if offer.in_stock else "OutOfStock"),
                "url": url,
            }
            for offer in offers
        ],
    }
    producer = product.producer
    if producer is not None:
        data["brand"] = {"@type": "Brand", "name": producer.name}
        data["manufacturer"] = {"@type": "Organization", "name": producer.name}
        data["countryOfOrigin"] = "VN"
    badge = getattr(product, "ocop_badge", None)
    if badge is not None:
        data["hasCertification"] = certification_data(badge)
    return {key: value for key, value in data.items() if value not in (None, "", [])}
