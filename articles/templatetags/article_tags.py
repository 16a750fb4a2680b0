from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from articles.models import Article
from articles.selectors import related_articles, series_parts
from core.dates import gmt_label
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


# The article's times as its page prints them, without the date filter's reading of its
# format letter by letter on each page: each what the filter it replaces prints, in the
# current time zone and with the names of the current language.


def _day_and_time(at) -> str:
    """|date:"j F Y, H:i": "10 February 2026, 09:00"."""
    return f"{at.day} {MONTHS[at.month]} {at.year:04d}, {at.hour:02d}:{at.minute:02d}"


@register.simple_tag
def published_time(value):
    """The article's header time: what `<time datetime="{{ value|date:'Y-m-d\\TH:i:sO' }}">{{
    value|date:"l, j F Y, H:i" }} {{ value|gmt }}</time>` prints."""
    if value in (None, ""):
        return mark_safe('<time datetime=""> </time>')
    at = template_localtime(value)
    offset = at.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    zone = f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}" if offset is not None else ""
    return format_html(
        '<time datetime="{}">{}, {} {}</time>',
        f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}:{at.second:02d}"
        f"{zone}",
        WEEKDAYS[at.weekday()],
        _day_and_time(at),
        gmt_label(value),
    )


@register.filter(expects_localtime=True)
def day_and_time(value):
    """`value|date:"j F Y, H:i"`."""
    return "" if value in (None, "") else _day_and_time(value)


@register.filter(expects_localtime=True)
def iso_time(value):
    """`value|date:"c"`: ISO 8601 in the current time zone."""
    return "" if value in (None, "") else value.isoformat()
