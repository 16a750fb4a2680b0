import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers

from core.parts import missing_count
from core.routers import reads_as_new_as
from pagecache.shared import shared_max_age
from pagecache.versions import keep_page, read_page

# Stored pages' keys; change it when what is stored changes, so pages an older release
# stored are never served by this one.
PAGE_KEY_FORMAT = "page:v3:"
# Set per answer, not stored with the page.
UNSTORED_HEADERS = frozenset({"etag", "x-page-cache", "set-cookie"})


class ReadQueryDict(QueryDict):
    """request.GET, remembering which parameters the view asked for by name.

    A page is stored only if every parameter of its address was read (or is one of the
    ignored ones): `?page=2` makes another page, `?x=123` makes the same page, which is
    answered but not stored, so made-up parameters cannot fill the cache. Going through
    all of them (to copy them into a link) is not asking for one.
    """

    def __init__(self, source: QueryDict):
        super().__init__(mutable=True)
        for name, values in source.lists():
            self.setlist(name, values)
        self._mutable = False
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def copy(self):
        return QueryDict(self.urlencode(), mutable=True)

    def all_read(self, *, ignored) -> bool:
        return all(name in self.read or ignored(name) for name in self.keys())


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; everything else bypasses it.

    Bypassed: other methods, anyone with a session (staff), a pending message, the admin,
    previews and static files, and any response that is not a plain 200, that was answered
    without one of its parts (core/parts.py), that sets a cookie
    (a CSRF token or a session: a page made for one visitor) or that asks not to be cached
    (`never_cache`, `private`). Every stored page can be shared: it is marked `public` for
    browsers and proxies too.

    It sits right after SecurityMiddleware (and core.parts', which sets how long reads wait
    for a lock). A hit goes back out through those only (HTTPS redirect and its headers)
    and carries the headers the rest of the stack gave the page when it was made
    (Content-Security-Policy, X-Frame-Options, Vary, ...), so a hit costs at most one cache
    round trip (none for a page this process served last, pagecache.versions.read_page) and
    no URL resolving, session or CSRF work.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(settings.NEWSROOM_PAGE_CACHE_EXCLUDED_PREFIXES)
        ignored = [name.lower() for name in settings.NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS]
        self.ignored_prefixes = tuple(name[:-1] for name in ignored if name.endswith("*"))
        self.ignored = frozenset(name for name in ignored if not name.endswith("*"))

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        # CommonMiddleware, which a hit skips, checks the Host header against ALLOWED_HOSTS.
        request.get_host()
        key = PAGE_KEY_FORMAT + hashlib.sha256(self._address(request).encode()).hexdigest()[:32]
        try:
            site_version, stored = read_page(key)
        except DatabaseError:
            # No version to check a kept page against: the page is answered as if there were
            # no cache (the database's outage page, if it is down).
            return self.get_response(request)
        etag = f'W/"{site_version.version}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            self._mark(response, site_version)
            response["ETag"] = etag
            return response
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            if settings.NEWSROOM_SHARED_CACHE_PURGE_URLS:
                # How long a shared cache may keep it depends on now (the next scheduled
                # change, a change untold): not the time it was stored.
                self._mark(response, site_version)
            response["ETag"] = etag
            response["X-Page-Cache"] = "hit"
            return response

        # Stored under this version, so built from data at least as new (a read replica may lag).
        request.GET = ReadQueryDict(request.GET)
        with reads_as_new_as(site_version.position):
            response = self.get_response(request)
        if response.cookies:
            # Made for this visitor (a CSRF token, a session): no shared cache may keep it.
            patch_cache_control(response, private=True, no_store=True)
        if self._cacheable_response(request, response) and request.GET.all_read(
            ignored=self._ignored
        ):
            self._mark(response, site_version)
            headers = {k: v for k, v in response.items() if k.lower() not in UNSTORED_HEADERS}
            keep_page(key, site_version, (response.status_code, headers, response.content))
            response["ETag"] = etag
            response["X-Page-Cache"] = "miss"
        return response

    def _ignored(self, name: str) -> bool:
        name = name.lower()
        return name in self.ignored or name.startswith(self.ignored_prefixes)

    def _address(self, request) -> str:
        """The page's address for the cache: its path and query, minus the parameters that
        only tag where a reader came from (`?fbclid=...` on every click from Facebook, utm_*),
        which no view reads; without this each click would be a page rendered afresh."""
        query = request.META.get("QUERY_STRING", "")
        if not query:
            return request.path
        kept = [
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if not self._ignored(name)
        ]
        return request.path + ("?" + urlencode(kept) if kept else "")

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
            # Answered without one of its parts (a locked table): shown, never kept.
            and not missing_count()
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and not (messages is not None and (messages.used or messages.added_new))
        )

    @staticmethod
    def _mark(response, site_version):
        # Browsers and proxies may keep a page but must revalidate it (a cheap 304) before
        # use, so news never goes stale downstream; a shared cache may serve it for a second,
        # or for minutes when it is told of changes (pagecache/shared.py).
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=shared_max_age(site_version),
            must_revalidate=True,
        )
        # Staff (a session cookie) see other pages at the same address.
        patch_vary_headers(response, ["Cookie"])
