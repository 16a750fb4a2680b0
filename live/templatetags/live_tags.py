from django import template
from django.utils.safestring import mark_safe

from live.views import render_live_block, render_live_marker

register = template.Library()


@register.simple_tag
def live_coverage(article):
    """The live block of `article`'s page (its state, the pinned and key entries, every
    entry newest first), or nothing for a story that is not live coverage. Kept per site
    version, which turns when an entry changes and at the coverage's start and end."""
    return mark_safe(render_live_block(article))


@register.simple_tag
def live_marker(article):
    """A "Live" marker linking to the live block, above the story, while it is live."""
    return mark_safe(render_live_marker(article))
