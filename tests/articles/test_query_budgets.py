"""Each public page runs a fixed, small number of queries, whatever the volume on it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Every page also reads the breaking news banner and the footer's pages of the paper (kept
# per site version in production, read here because the fragment cache is off in tests),
# and the home and article pages roll up a Most read list (shared through the cache for a
# minute in production); the article page asks whether the story is live coverage (live/,
# read once for its block and its structured data).
ARTICLE_BUDGET = 12
LIST_BUDGET = 10


def build_site(n):
    """n sections with n articles each, every article with n tags and n authors."""
    authors = [AuthorFactory() for _ in range(n)]
    tags = [f"topic {i}" for i in range(n)]
    articles = []
    for _ in range(n):
        section = SectionFactory()
        for _ in range(n):
            articles.append(ArticleFactory(section=section, authors=authors, tags=tags))
    return articles


def page_urls(articles):
    article = articles[-1]
    return {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": "/tags/topic-0/",
        "author": article.ordered_authors[0].get_absolute_url(),
    }


def count_queries(client, url):
    """The queries of `url` rendered with nothing in the cache (the Most read box is kept
    there for a minute)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_pages_stay_within_their_query_budgets(client):
    urls = page_urls(build_site(6))
    for name, url in urls.items():
        budget = ARTICLE_BUDGET if name == "article" else LIST_BUDGET
        assert count_queries(client, url) <= budget, name


def test_query_counts_do_not_grow_with_content(client):
    """No N+1: twice the sections, articles, tags and authors cost no extra query."""
    small = {name: count_queries(client, url) for name, url in page_urls(build_site(2)).items()}
    large = {name: count_queries(client, url) for name, url in page_urls(build_site(5)).items()}
    assert large == small
