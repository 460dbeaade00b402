from django.conf import settings
from django.utils import translation

# The query parameter naming the page's language: `?lang=en`.
LANGUAGE_PARAMETER = "lang"


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the address or the visitor chose another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language; the shop serves
    Vietnamese buyers first, so only an explicit choice changes the language: `?lang=en` in the
    address (a distinct, crawlable URL per language, which search engines learn from the pages'
    hreflang links), else the switcher's cookie. A language chosen in the address is kept in the
    cookie, so the pages opened next from it stay in that language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        from_address = request.GET.get(LANGUAGE_PARAMETER)
        if from_address not in self.supported:
            from_address = None
        chosen = from_address or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if from_address and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != from_address:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                from_address,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the client's address when the shop runs behind TRUSTED_PROXY_COUNT
    reverse proxies, each appending the address it was reached from to X-Forwarded-For. With no
    trusted proxy the header is ignored, since any client can write it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        if proxies:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            if len(hops) >= proxies:
                request.META["REMOTE_ADDR"] = hops[-proxies]
        return self.get_response(request)
