from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article
from articles.selectors import related_articles, series_parts
from core.prepared import PreparedPrefetch
from pagecache.versions import for_article, for_each_row, template_key

register = template.Library()

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


@register.simple_tag
def article_page_parts(article, *, fresh=False) -> dict[str, str]:
    """The article page's parts, rendered: head metadata, text with picture, corrections,
    bylines and tags (kept per article version), related stories (kept per site version),
    read in one cache round trip (pagecache.versions.for_article) and once per request,
    whichever block asks first. `fresh`: rendered anew and not kept (a preview)."""
    parts = getattr(article, "_page_parts", None)
    if parts is None:
        if fresh:
            parts = article_parts(article) | article_surroundings(article)
        else:
            parts = for_article(
                article,
                own=lambda: article_parts(article),
                around=lambda: article_surroundings(article),
            )
        article._page_parts = parts
    return parts


# What the article's own parts print of other tables, each read through a statement built
# once per connection.
_OWN_PREFETCHES = [
    PreparedPrefetch(Article, lookup)
    for lookup in (Article.bylines_prefetch(), "tags", "corrections")
]


def article_parts(article: Article) -> dict[str, str]:
    """What on the article page belongs to the article alone, rendered: its head metadata,
    and its text with the picture, corrections, bylines and tags."""
    for prefetch in _OWN_PREFETCHES:
        prefetch(article)
    context = {
        "article": article,
        "site_name": settings.SITE_NAME,
        "dateline": settings.NEWSROOM_DATELINE,
    }
    return {
        "article_meta": render_to_string("includes/article_meta.html", context),
        "article_main": render_to_string("articles/_article_main.html", context),
    }


def article_surroundings(article: Article) -> dict[str, str]:
    """What on the article page changes with other content, rendered: the other parts of
    its series (another part published or taken down changes them) and the related
    stories."""
    related = related_articles(article=article, limit=settings.NEWSROOM_RELATED_COUNT)
    parts = series_parts(article)
    return {
        "series_nav": render_to_string(
            "includes/series_nav.html",
            {
                "article": article,
                "series": article.series if parts else None,
                "parts": parts,
                # "of 3": as far as the published parts go.
                "last_part": max((part.series_part for part in parts), default=None),
            },
        ),
        "related_stories": render_to_string(
            "includes/related_stories.html", {"related_articles": related}
        ),
    }
