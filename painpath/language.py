"""Swedish for everyone unless they choose English: the choice, not the browser, decides.

Django's LocaleMiddleware would follow the browser's Accept-Language, and a clinic's
machines are not always set up in Swedish. This one reads only the language cookie that
the language switch (django.views.i18n.set_language) sets.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request (or test) too: it starts from the default.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
