from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article
from pagecache.versions import for_each_row, for_site_version, template_key
from sections.models import Section

register = template.Library()

# Kept beyond the sidebar's own count: the home page leaves out every story already on it
# (the lead, the featured stories and the section blocks).
RECENT_NEWS_SPARE = 24


@register.inclusion_tag("includes/recent_news.html")
def recent_news(exclude=None):
    """The Recent news sidebar: the latest published articles site-wide, minus the one read
    (or, given a list, minus every story already on the page).

    Every page shows it, so its items are rendered once per content version and shared.
    """
    count = settings.NEWSROOM_RECENT_NEWS_COUNT
    if isinstance(exclude, Article):
        excluded = {exclude.pk}
    else:
        excluded = {article.pk for article in exclude or ()}
    kept = count + RECENT_NEWS_SPARE
    latest = for_site_version(
        "recent-news", lambda: _rendered_items(Article.objects.published(), kept)
    )
    items = [html for pk, html in latest if pk not in excluded][:count]
    if len(items) < count and len(latest) == kept:
        # More stories exist than were kept: ask the database past the excluded ones.
        published = Article.objects.published().exclude(pk__in=excluded)
        items = [html for _pk, html in _rendered_items(published, count)]
    return {"recent_items": items}


def _rendered_items(articles, limit: int) -> list[tuple[int, str]]:
    return [
        (
            article.pk,
            render_to_string(
                "includes/recent_news_item.html",
                {"item": article, "dateline": settings.NEWSROOM_DATELINE},
            ),
        )
        for article in articles.for_listing()[:limit]
    ]


CARD_TEMPLATE = "includes/article_card.html"


@register.simple_tag
def article_cards(articles, *, big=False, heading_level=3):
    """The cards of `articles` (or of one article), each rendered once per version of what
    it prints (the values its template prints of the article) and shared by every page."""
    if isinstance(articles, Article):
        articles = [articles]
    context = {"big": big, "heading_level": heading_level, "dateline": settings.NEWSROOM_DATELINE}

    def card(article):
        return render_to_string(CARD_TEMPLATE, {**context, "article": article})

    key = template_key(CARD_TEMPLATE, "article")
    cards = for_each_row(f"card:{int(big)}:{heading_level}", articles, key, card)
    return mark_safe("".join(cards))  # rendered by the template engine, which escaped it


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The section navigation, marking the page's own (home, or the section listed), made
    once per content version for each page it can mark and shared by every page."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    section = context.get("section")
    if match is not None and match.view_name == "articles:home":
        current = "home"
    elif isinstance(section, Section):
        current = section.pk
    else:
        current = None

    def render():
        return render_to_string(
            "includes/section_nav.html",
            {"nav_sections": list(Section.objects.all()), "current": current},
        )

    return for_site_version(f"nav:{current}", render)
