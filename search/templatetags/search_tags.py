from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pagecache.versions import for_each_row, template_key

register = template.Library()

RESULT_TEMPLATE = "search/search_result.html"
# Where a kept result takes its headline and lead, highlighted for each query (as often as
# the template prints them). PostgreSQL keeps NUL out of stored text, so a slot is never
# part of what an article says.
TITLE_SLOT, LEAD_SLOT = "\x00title\x00", "\x00lead\x00"


@register.simple_tag
def search_results(hits):
    """The results list's items for `hits` ((article, headline, lead), the headline and lead
    highlighted): what an item prints of its article is rendered once per version of those
    values and shared by every query (kept as cards are), with slots for the headline and
    lead, which are the query's own."""
    context = {
        "dateline": settings.NEWSROOM_DATELINE,
        "title": mark_safe(TITLE_SLOT),
        "lead": mark_safe(LEAD_SLOT),
    }

    def shell(article) -> str:
        return render_to_string(RESULT_TEMPLATE, {**context, "article": article}).strip()

    key = template_key(RESULT_TEMPLATE, "article")
    shells = for_each_row("search-result", [article for article, _t, _l in hits], key, shell)
    return mark_safe(  # the shells were escaped by the template engine, the rest by highlight()
        "".join(
            "\n    " + shell.replace(TITLE_SLOT, title).replace(LEAD_SLOT, lead) + "\n    "
            for shell, (_article, title, lead) in zip(shells, hits, strict=True)
        )
    )
