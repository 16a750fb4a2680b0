from functools import lru_cache

from django import template
from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article
from core.prepared import STAND_IN_TIME, PreparedQuery, StandInList
from frontpage.models import BreakingNews, PaperPage
from frontpage.selectors import home_stories as choose_home_stories
from pagecache.versions import for_site_version

register = template.Library()

# Kept beyond the sidebar's own count: the home page leaves out every story already on it
# (the lead, the featured stories and the section blocks).
RECENT_NEWS_SPARE = 24

# What every page's banner and footer read, through statements built once per connection.
_BANNER_SHOWING = PreparedQuery(
    BreakingNews, lambda at: BreakingNews.objects.showing(now=at)[:1], at=STAND_IN_TIME
)
_PAPER_PAGES = PreparedQuery(PaperPage, lambda: PaperPage.objects.only("title", "slug"))


@register.simple_tag
def breaking_news():
    """The breaking news banner now showing, if any: made once per site version (which ends
    when a banner starts or ends) and shared by every page."""

    def render():
        showing = _BANNER_SHOWING.all(at=timezone.now())
        banner = showing[0] if showing else None
        return render_to_string("includes/breaking_news.html", {"banner": banner})

    return mark_safe(for_site_version("breaking-news", render))


@register.simple_tag
def paper_pages():
    """The footer's links to the paper's own pages (about, contact, ...), written by editors
    (frontpage.PaperPage): made once per site version and shared by every page."""

    def render():
        return render_to_string("includes/paper_pages.html", {"pages": _PAPER_PAGES.all()})

    return mark_safe(for_site_version("paper-pages", render))


@register.simple_tag(takes_context=True)
def home_stories(context) -> dict:
    """The home page's stories (frontpage.selectors.home_stories) as the page shows them:
    `html`, their blocks rendered, and `on_page`, their primary keys (the sidebar leaves
    them out). Chosen and rendered once per site version, which every publication,
    takedown, pick and approved comment renews and the next scheduled change ends, and
    shared by every process; read once per request, whichever block asks first."""
    request = context.get("request")
    kept = getattr(request, "_home_stories", None)
    if kept is None:
        kept = for_site_version("home-stories", _rendered_home_stories)
        if request is not None:
            request._home_stories = kept
    return kept


def _rendered_home_stories() -> dict:
    stories = choose_home_stories()
    context = {
        "lead": stories.lead,
        "featured": stories.featured,
        "section_blocks": stories.section_blocks,
        "site_name": settings.SITE_NAME,
    }
    return {
        "html": render_to_string("frontpage/_home_stories.html", context),
        "on_page": [article.pk for article in stories.on_page],
    }


@register.inclusion_tag("includes/recent_news.html")
def recent_news(exclude=None, count=None):
    """The Recent news sidebar: the latest published articles site-wide, minus the one read
    (or, given a list, minus every story already on the page); `count` items, fewer than
    NEWSROOM_RECENT_NEWS_COUNT where the page asks (the home page, which lists many
    stories of its own).

    Every page shows it, so its items are rendered once per content version and shared.
    """
    count = min(count or settings.NEWSROOM_RECENT_NEWS_COUNT, settings.NEWSROOM_RECENT_NEWS_COUNT)
    if isinstance(exclude, Article):
        excluded = {exclude.pk}
    else:
        # Articles, or their primary keys (the home page's kept stories).
        excluded = {getattr(article, "pk", article) for article in exclude or ()}
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        # Nothing is kept for other pages: read only the stories printed, the statement
        # leaving out those the page shows.
        at = timezone.now()
        if excluded:
            shown = _newest_but(count).all(at=at, excluded=sorted(excluded))
        else:
            shown = _newest(count).all(at=at)
        return {"recent_items": [html for _pk, html in _rendered_items(shown, count)]}
    kept = settings.NEWSROOM_RECENT_NEWS_COUNT + RECENT_NEWS_SPARE
    latest = for_site_version(
        "recent-news", lambda: _rendered_items(Article.objects.published(), kept)
    )
    items = [html for pk, html in latest if pk not in excluded][:count]
    if len(items) < count and len(latest) == kept:
        # More stories exist than were kept: ask the database past the excluded ones.
        published = Article.objects.published().exclude(pk__in=excluded)
        items = [html for _pk, html in _rendered_items(published, count)]
    return {"recent_items": items}


@lru_cache(maxsize=64)
def _newest(limit: int) -> PreparedQuery:
    """The newest `limit` published stories as the sidebar prints them, in a statement
    built once per connection, the time its parameter (core.prepared)."""
    return PreparedQuery(
        Article,
        lambda at: Article.objects.published(at=at).for_listing(counts=False)[:limit],
        at=STAND_IN_TIME,
    )


@lru_cache(maxsize=64)
def _newest_but(limit: int) -> PreparedQuery:
    """_newest(limit) but for the stories `excluded` (their primary keys), in a statement
    built once per connection for each number of them."""
    return PreparedQuery(
        Article,
        lambda at, excluded: (
            Article.objects.published(at=at)
            .exclude(pk__in=excluded)
            .for_listing(counts=False)[:limit]
        ),
        at=STAND_IN_TIME,
        excluded=StandInList(-3_000_001),
    )


def _rendered_items(articles, limit: int) -> list[tuple[int, str]]:
    """The first `limit` of `articles` (a queryset of them, or stories read for the
    listing already), each rendered as a sidebar item."""
    if isinstance(articles, QuerySet):
        articles = articles.for_listing(counts=False)[:limit]
    # Looked up once for all the items, not once for each.
    item = get_template("includes/recent_news_item.html")
    dateline = settings.NEWSROOM_DATELINE
    return [
        (article.pk, item.render({"item": article, "dateline": dateline}))
        for article in list(articles)[:limit]
    ]
