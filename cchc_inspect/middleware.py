"""The language of each request."""

from django.conf import settings
from django.utils import translation


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
