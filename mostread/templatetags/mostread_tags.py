from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mostread.selectors import most_read as most_read_articles

register = template.Library()


@register.simple_tag
def most_read(section=None):
    """The "Most read" box (site-wide, or for `section`), rendered at most once per
    NEWSROOM_MOST_READ_SECONDS and shared by every page and process through the cache: a
    page reads it in one cache round trip."""
    section_id = getattr(section, "pk", None)
    key = f"mostread:box:{section_id or 'all'}"
    html = cache.get(key)
    if html is None:
        articles = most_read_articles(
            limit=settings.NEWSROOM_MOST_READ_COUNT, section_id=section_id
        )
        html = render_to_string(
            "includes/most_read.html", {"articles": articles, "section": section}
        )
        cache.set(key, html, settings.NEWSROOM_MOST_READ_SECONDS)
    return mark_safe(html)
