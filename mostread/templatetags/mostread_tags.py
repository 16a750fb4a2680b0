from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mostread.selectors import most_read as most_read_articles
from pagecache.versions import for_site_version_at_most

register = template.Library()


@register.simple_tag
def most_read(section=None):
    """The "Most read" box (site-wide, or for `section`), shared by every page and process
    through the cache (and each process's copy) and rolled up again after
    NEWSROOM_MOST_READ_SECONDS or as soon as the site version changes: a story taken down
    leaves the box with every other list.
    Always rolled up when NEWSROOM_FRAGMENT_CACHE is off."""
    section_id = getattr(section, "pk", None)

    def render():
        articles = most_read_articles(
            limit=settings.NEWSROOM_MOST_READ_COUNT, section_id=section_id
        )
        return render_to_string(
            "includes/most_read.html", {"articles": articles, "section": section}
        )

    html = for_site_version_at_most(
        f"mostread:{section_id or 'all'}", render, seconds=settings.NEWSROOM_MOST_READ_SECONDS
    )
    return mark_safe(html)
