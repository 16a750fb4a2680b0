"""Cross-site request forgery protection without a per-visitor token, for forms that must
sit on pages shared by every reader (and by caches in front of the site).

A token in the page makes the page different for each visitor, so it can be cached by no
one but that visitor's browser. Browsers instead say where a request comes from:

- `Sec-Fetch-Site` (every current browser) is `same-origin` for a form on one of our own
  pages and `none` when the reader typed or bookmarked the address; anything else
  (`same-site`, `cross-site`) is refused.
- Older browsers send `Origin` on every cross-origin POST: it must be this site's own origin
  or one of `CSRF_TRUSTED_ORIGINS`.
- With neither header the request does not come from a browser page that another site
  controls (scripts and very old browsers send neither), so it is allowed, as Django's own
  middleware allows a plain-HTTP POST without Referer.

Used for reader comments only: they are anonymous, so a forged post can at most post a
comment under the visitor's address. Everything that acts for a signed-in user keeps
Django's token check.
"""

from django.conf import settings

ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def is_cross_site(request) -> bool:
    """True when a browser says `request` was sent from a page of another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in ALLOWED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    origin = origin.strip().lower()
    scheme = "https" if request.is_secure() else "http"
    if origin == f"{scheme}://{request.get_host()}".lower():
        return False
    return not any(_trusted(origin, entry.lower()) for entry in settings.CSRF_TRUSTED_ORIGINS)


def _trusted(origin: str, entry: str) -> bool:
    """`origin` is `entry`, or matches it as Django reads CSRF_TRUSTED_ORIGINS: a `*.` in
    front of the host allows its subdomains (`https://*.example.com`)."""
    if "://*." not in entry:
        return origin == entry
    scheme, host = entry.split("://*.", 1)
    origin_scheme, _, origin_host = origin.partition("://")
    return origin_scheme == scheme and origin_host.endswith("." + host)
