import unicodedata

from django.conf import settings

from core.text import nfc
from core.views import PREVIEW_PREFIX

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SubmittedTextNFCMiddleware:
    """Every text a person submits in a form reaches the views in NFC, the form the site
    stores, so it is validated, counted and compared as it will be stored: a 189-character
    headline pasted decomposed (NFD) is 189 characters, not 249, and an NFD tag name is the
    tag that already exists. One mechanism for every form, the admin's inlines included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_TYPES:
            data = request.POST
            if any(
                not unicodedata.is_normalized("NFC", value)
                for _key, values in data.lists()
                for value in values
            ):
                normalized = data.copy()
                for key, values in data.lists():
                    normalized.setlist(key, [nfc(value) for value in values])
                normalized._mutable = False
                request.POST = normalized
        return self.get_response(request)


class NoIndexMiddleware:
    """Every response under the admin's path (the sign-in page, password reset, redirects
    and 404s included) and every preview says `X-Robots-Tag: noindex, nofollow`, so a
    crawler that finds one of these addresses still does not index it. robots.txt cannot
    say this without printing the admin's path for anyone to read."""

    HEADER = "noindex, nofollow"

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = ("/" + settings.ADMIN_URL.lstrip("/"), PREVIEW_PREFIX)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            response["X-Robots-Tag"] = self.HEADER
        return response
