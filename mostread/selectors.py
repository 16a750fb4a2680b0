"""The "Most read" lists: the published articles most viewed in the last 24 hours."""

from django.utils import timezone

from articles.models import Article
from mostread.counters import WINDOW, CounterUnavailable, counter

# How many of the most viewed are read from the database to fill the section lists.
DEEPEST = 200


def most_read(*, limit: int, section_id: int | None = None) -> list[Article]:
    """The `limit` published articles (of `section_id`, or site-wide) with the most views
    in the last 24 hours, most first (then newest); each carries `views`. Articles with no
    view are not listed; none while the counter cannot be reached (the page shows no list
    rather than waiting or failing)."""
    try:
        counts = counter().counts(since=timezone.now() - WINDOW)
    except CounterUnavailable:
        return []
    if not counts:
        return []
    best = sorted(counts, key=lambda pk: -counts[pk])[:DEEPEST]
    articles = Article.objects.published().filter(pk__in=best)
    if section_id is not None:
        articles = articles.filter(section_id=section_id)
    listed = sorted(
        articles.for_listing(counts=False),
        key=lambda article: (-counts[article.pk], -article.published_at.timestamp()),
    )[:limit]
    for article in listed:
        article.views = counts[article.pk]
    return listed
