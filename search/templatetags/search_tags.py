from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pagecache.versions import for_each_row, template_key

register = template.Library()

RESULT_TEMPLATE = "search/search_result.html"
# Where a kept result takes its headline and lead, highlighted for each query. PostgreSQL
# and the text rules keep NUL out of stored text, so a slot cannot occur in what is printed.
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

    def shell(article) -> tuple[str, str, str]:
        html = render_to_string(RESULT_TEMPLATE, {**context, "article": article}).strip()
        before, rest = html.split(TITLE_SLOT)
        between, after = rest.split(LEAD_SLOT)
        return before, between, after

    key = template_key(RESULT_TEMPLATE, "article")
    shells = for_each_row("search-result", [article for article, _t, _l in hits], key, shell)
    return mark_safe(  # the shells were escaped by the template engine, the rest by highlight()
        "".join(
            f"\n    {before}{title}{between}{lead}{after}\n    "
            for (before, between, after), (_article, title, lead) in zip(shells, hits, strict=True)
        )
    )
