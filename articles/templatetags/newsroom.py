from django import template
from django.conf import settings

from articles.models import Article

register = template.Library()


@register.inclusion_tag("includes/recent_news.html")
def recent_news(exclude=None):
    """The Recent news sidebar: the latest published articles site-wide, minus the one read
    (or, given a list, minus every story already on the page)."""
    articles = Article.objects.published().select_related("section")
    if isinstance(exclude, Article):
        articles = articles.exclude(pk=exclude.pk)
    elif exclude:
        articles = articles.exclude(pk__in=[a.pk for a in exclude])
    return {
        "recent_articles": articles[: settings.NEWSROOM_RECENT_NEWS_COUNT],
        "dateline": settings.NEWSROOM_DATELINE,
    }
