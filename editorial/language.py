"""The admin's language: each journalist's own choice (editorial.models.DeskPreference),
else the browser's Accept-Language among settings.LANGUAGES, else English.

Only requests under ADMIN_URL are translated. Everything else, the public pages above all,
never sees this: no language is activated for them, their HTML and headers are what they
were, and the page cache (which answers before this middleware runs) never varies by
Accept-Language."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from editorial.models import DeskPreference


def chosen_language(user) -> str:
    """The language `user` chose for the admin, or "" for the browser's."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return DeskPreference.objects.filter(user=user).values_list("language", flat=True).first() or ""


def desk_language(request) -> str:
    """The language the admin speaks to whoever sent `request`."""
    chosen = chosen_language(request.user)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language_from_request(request)


class DeskLanguageMiddleware:
    """Under ADMIN_URL, the view and its templates run in the journalist's language (with
    Django's own translations and date formats for it); the answer says so and varies by
    Accept-Language (it varies by Cookie already). Placed after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL.lstrip("/")

    def __call__(self, request):
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        language = desk_language(request)
        request.LANGUAGE_CODE = language
        # override() restores the previous (default) language afterwards: the thread's next
        # request, a public page perhaps, starts in English again.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
