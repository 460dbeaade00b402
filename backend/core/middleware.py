from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language with the switcher (cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; the shop serves
    Vietnamese buyers first, so only an explicit choice changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
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
