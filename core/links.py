"""Absolute links on the paper's public origin.

Built from settings.NEWSROOM_SITE_URL, never from the request's Host header, so a forged
Host can't put another origin into canonical links, feeds, sitemaps or emails.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` ("/articles/x/") on the configured public origin; full URLs are kept."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.NEWSROOM_SITE_URL + "/" + path.lstrip("/")
