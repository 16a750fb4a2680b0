"""reverse() for the many links a page prints to one kind of page by slug (an article's
address in every card and list): the address is reversed once per URLconf and script prefix
with a placeholder, and each slug is put in its place. A slug the URL pattern would refuse
goes through reverse() itself, which raises as before. The addresses of views that take no
argument (the home page, the feed) are reversed once per URLconf and script prefix too."""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Django's <slug:...> converter: nothing in it is quoted in an address.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
PLACEHOLDER = "slug-placeholder-0"


@lru_cache(maxsize=64)
def _around(viewname: str, urlconf: str, prefix: str) -> tuple[str, str]:
    before, _, after = reverse(viewname, urlconf=urlconf, kwargs={"slug": PLACEHOLDER}).partition(
        PLACEHOLDER
    )
    return before, after


def reverse_slug(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}) for a view whose only argument is a slug."""
    if not SLUG.match(slug):
        return reverse(viewname, kwargs={"slug": slug})
    before, after = _around(viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return f"{before}{slug}{after}"


@lru_cache(maxsize=64)
def _reversed(viewname: str, urlconf: str, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def reverse_constant(viewname: str) -> str:
    """reverse(viewname) for a view that takes no argument."""
    return _reversed(viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
