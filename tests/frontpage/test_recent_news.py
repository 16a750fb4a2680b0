"""The Recent news sidebar with nothing kept (NEWSROOM_FRAGMENT_CACHE off): the newest
published stories but those the page shows, read in one statement built once per
connection for each number of stories left out."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from frontpage.templatetags import frontpage_tags
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def sidebar(**kwargs) -> tuple[list[str], list[str]]:
    """The titles the sidebar prints, newest first, and the statements it sent."""
    with CaptureQueriesContext(connection) as queries:
        items = frontpage_tags.recent_news(**kwargs)["recent_items"]
    titles = [
        article.title
        for article in Article.objects.all()
        for item in items
        if f">{article.title}</a>" in item
    ]
    order = {article.title: article.published_at for article in Article.objects.all()}
    return sorted(titles, key=order.get, reverse=True), [q["sql"] for q in queries]


def test_with_nothing_kept_the_sidebar_reads_only_the_stories_it_prints_but_the_pages(
    settings, monkeypatch
):
    settings.NEWSROOM_FRAGMENT_CACHE = False
    now = timezone.now()
    stories = [
        ArticleFactory(title=f"Story {n}", published_at=now - datetime.timedelta(hours=n))
        for n in range(1, 7)
    ]
    ArticleFactory(title="Scheduled", published_at=now + datetime.timedelta(hours=1))
    builds = []
    published = Article.objects.published
    monkeypatch.setattr(
        Article.objects, "published", lambda **kw: builds.append(kw) or published(**kw)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)

    titles, statements = sidebar(exclude=[stories[0].pk, stories[2].pk], count=3)
    assert titles == ["Story 2", "Story 4", "Story 5"]
    assert len(statements) == 1 and "LIMIT 3" in statements[0]

    titles, statements = sidebar(exclude=[stories[1].pk, stories[3].pk], count=3)
    assert titles == ["Story 1", "Story 3", "Story 5"]
    assert len(statements) == 1
    assert len(builds) == 1  # the same number of stories left out: the same statement

    titles, _ = sidebar(exclude=[s.pk for s in stories[:4]], count=3)
    assert titles == ["Story 5", "Story 6"]
    titles, _ = sidebar(exclude=stories[5], count=3)
    assert titles == ["Story 1", "Story 2", "Story 3"]
    titles, _ = sidebar(count=2)
    assert titles == ["Story 1", "Story 2"]
