"""The language of each request, security headers, and the 404 page in development."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


class LanguageMiddleware:
    """Vietnamese unless the user has chosen English with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an official
    with an English-language browser would land in English; the product's language is
    Vietnamese, and only an explicit choice (the language cookie) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response, and no caching of what a signed-in person sees.

    The policy allows scripts only from the application's own files (no inline script, no eval), so
    an injected <script> or on…= attribute never runs. Styles allow inline attributes: Bootstrap,
    htmx's indicator rule and the inline SVG charts use them, and a style cannot run code. Pages
    may not be framed (frame-ancestors 'none', as X-Frame-Options DENY for older browsers).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        directives = settings.CONTENT_SECURITY_POLICY.items()
        self.policy = "; ".join(f"{name} {' '.join(values)}" for name, values in directives)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        user = getattr(request, "user", None)
        downloaded = response.headers.get("Content-Disposition", "").startswith("attachment")
        if downloaded or (user is not None and user.is_authenticated):
            # Shared office computers: the back button or the disk cache must not show another person's pages.
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
        return response


class DebugNotFoundMiddleware:
    """With DEBUG on, a page not found (an unknown address, or another commune's object) is the normal 404 page
    to anyone but staff.

    Django's debug 404 page lists routes and names the view; a commune user has no need of it.
    Placed after CommonMiddleware so that its "add a slash" redirect still happens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or response.status_code != 404:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_staff:
            return response
        from .views import page_not_found

        return page_not_found(request)
