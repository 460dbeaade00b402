"""Whole shop pages for anonymous visitors, served from the shared cache with the per-request
secrets punched back in.

Rendering a page costs ~1 ms per product card even when its SQL comes from the catalogue cache;
a visitor with no session sees the same page as every other such visitor, except for two
secrets: the masked CSRF token of the forms (`{% csrf_token %}`) and the CSP nonce of inline
scripts and styles. The stored body holds placeholders in their place; a hit writes in a token
from `get_token(request)` — so CsrfViewMiddleware sets or renews this visitor's cookie and
their add-to-cart form posts — and this request's nonce, which CSPMiddleware then puts in the
header. The placeholders contain NUL bytes, which PostgreSQL text (so any product, producer or
page text) cannot hold: nothing else in a page can be mistaken for one.

A request is answered from the cache only when all of these hold:
- GET or HEAD of a page of CACHED_PAGES, with CATALOGUE_CACHE_SECONDS > 0 (the entries' lifetime);
- the visitor sends no cookie but the CSRF and language ones: no session, so no cart, no
  sign-in, no messages, nothing remembered for them — and is anonymous;
- the entry was made at the current `catalogue_version()` (which it records), in the active
  language, for the same scheme, host, path and query (its parameters in a canonical order).
A response is stored only if it is a 200, not streamed, did not touch the session or add a
message, set no cookie of its own, carries no per-response CSP or framing override and no
`Cache-Control` forbidding it.

Every catalogue or stock change moves the version on (backend/product/catalogue/cache.py), so
prices and stock show at once. What changes without one shows after the entry's lifetime at
most: a livestream starting, ending or being scheduled (the product page's live link), a
publication date or certificate's last day passing.

The middleware sits inside SessionMiddleware, the locale middleware, CsrfViewMiddleware,
AuthenticationMiddleware, MessageMiddleware and CSPMiddleware (last in MIDDLEWARE): they have
read the request's cookies, language and user when it runs, and still finish a cached response.
`X-Cache: hit` or `miss` tells which way a cacheable request went.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from backend.product.catalogue.cache import with_catalogue_version

CACHED_PAGES = frozenset(
    {
        "home",
        "category",
        "products",
        "product",
        "search",
        "provinces",
        "province",
        "producer",
        "page",
        "about_ocop",
    }
)
CSRF_TOKEN_PLACEHOLDER = b"\x00csrf-token\x00"
CSP_NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"

# A masked CSRF token as `{% csrf_token %}` writes it: 64 letters and digits. A candidate is
# this request's token when Django's own unmasking (private, but what CsrfViewMiddleware checks
# posted tokens with) gives the request's secret; every form of the page is found so, however
# many times the page called get_token.
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Written again for each response by CommonMiddleware.
_HEADERS_NOT_STORED = frozenset({"content-length"})
# Attributes through which a view asks CSPMiddleware or XFrameOptionsMiddleware for something
# else than the default; a cached response would lose them, so such responses are not stored.
_PER_RESPONSE_POLICIES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
    "xframe_options_exempt",
)
_NOT_TO_BE_STORED = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _cache_key(request)
        if key is None:
            return self.get_response(request)
        # The version and the page in one round trip; an entry made at an earlier version is
        # a miss (the version is read before rendering, so a page is never newer than it).
        version, stored = with_catalogue_version(key)
        if stored is not None and stored[0] == version:
            return _from_cache(request, *stored[1:])
        response = self.get_response(request)
        entry = _entry(request, response)
        if entry is not None:
            cache.set(key, (version, *entry), settings.CATALOGUE_CACHE_SECONDS)
        response["X-Cache"] = "miss"
        return response


def _cache_key(request) -> str | None:
    """The key of the page this request asks for, or None when it must not come from the
    cache."""
    if not settings.CATALOGUE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    if not request.COOKIES.keys() <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}:
        return None
    if request.user.is_authenticated:
        return None
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "storefront" or match.url_name not in CACHED_PAGES:
        return None
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page:{translation.get_language()}:{digest}"


def _entry(request, response) -> tuple | None:
    """What to store of `response` (headers, body with placeholders), or None if it must not
    be shared with other visitors."""
    if response.status_code != 200 or response.streaming:
        return None
    if request.session.modified or any(
        name != settings.CSRF_COOKIE_NAME for name in response.cookies
    ):
        return None
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.added_new:
        return None
    if any(hasattr(response, policy) for policy in _PER_RESPONSE_POLICIES):
        return None
    if _NOT_TO_BE_STORED.search(response.get("Cache-Control", "")):
        return None
    body = response.content
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        if secret.encode() in body:
            return None
        body = _MASKED_TOKEN.sub(
            lambda found: (
                CSRF_TOKEN_PLACEHOLDER
                if _unmask_cipher_token(found[0].decode()) == secret
                else found[0]
            ),
            body,
        )
    if request.csp_nonce:  # true once the page has used it
        body = body.replace(str(request.csp_nonce).encode(), CSP_NONCE_PLACEHOLDER)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _HEADERS_NOT_STORED
    ]
    return headers, body


def _from_cache(request, headers: list, body: bytes) -> HttpResponse:
    parts = body.split(CSRF_TOKEN_PLACEHOLDER)
    if len(parts) > 1:
        body = get_token(request).encode().join(parts)
    parts = body.split(CSP_NONCE_PLACEHOLDER)
    if len(parts) > 1:
        body = str(request.csp_nonce).encode().join(parts)
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    # Whether a page comes from here depends on the visitor's cookies.
    patch_vary_headers(response, ("Cookie",))
    response["X-Cache"] = "hit"
    return response
