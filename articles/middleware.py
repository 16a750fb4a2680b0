import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers

from articles.caching import STATE_KEY, current_version

# The CSRF token is per visitor: cached pages keep a placeholder, filled in on every hit.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
CSRF_PLACEHOLDER = b"__csrf_token_placeholder__"
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy")


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; everything else bypasses it.

    Bypassed: other methods, anyone with a session (staff), a pending message, the admin and
    previews, and any response that is not a plain 200 or that asks not to be cached
    (`never_cache`, `private`). It sits last in MIDDLEWARE so that a hit still passes through
    the security, session and CSRF middleware on its way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.NEWSROOM_PAGE_CACHE_SECONDS
        self.excluded = tuple(settings.NEWSROOM_PAGE_CACHE_EXCLUDED_PREFIXES)

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = "page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        # One round trip to the cache for both the content version and the stored page.
        found = cache.get_many([STATE_KEY, key])
        version = current_version(found.get(STATE_KEY))
        etag = f'W/"{version}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            self._mark(response, etag, per_visitor=False)
            return response
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            _version, status, headers, content = stored
            per_visitor = CSRF_PLACEHOLDER in content
            if per_visitor:
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            self._mark(response, etag, per_visitor=per_visitor)
            return response

        response = self.get_response(request)
        if self._cacheable_response(request, response):
            content, forms = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            headers = {h: response[h] for h in STORED_HEADERS if response.has_header(h)}
            cache.set(key, (version, response.status_code, headers, content), self.timeout)
            response["X-Page-Cache"] = "miss"
            self._mark(response, etag, per_visitor=bool(forms))
        return response

    def _cacheable_request(self, request):
        return (
            settings.NEWSROOM_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
            and not request.path.startswith(self.excluded)
        )

    @staticmethod
    def _cacheable_response(request, response):
        cache_control = response.get("Cache-Control", "")
        messages = getattr(request, "_messages", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and not (messages is not None and (messages.used or messages.added_new))
        )

    @staticmethod
    def _mark(response, etag, *, per_visitor):
        response["ETag"] = etag
        # Browsers and proxies may keep a page but must revalidate it (a cheap 304) before
        # use, so news never goes stale downstream; a shared cache may serve it for a second.
        # A page with a form carries the visitor's own CSRF token: only their browser keeps it.
        if per_visitor:
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.NEWSROOM_SHARED_CACHE_SECONDS,
                must_revalidate=True,
            )
        patch_vary_headers(response, ["Cookie"])
