"""A section's pages: newest first, numbered, and counted no further than they need."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.pagination import BoundedPaginator
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def stories(section, count):
    now = timezone.now()
    for n in range(count):
        ArticleFactory(section=section, published_at=now - datetime.timedelta(hours=n + 1))


def pagination(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    nav = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    return nav.group(0) if nav else ""


def test_a_small_section_says_how_many_pages_it_has(client, settings):
    section = SectionFactory()
    stories(section, settings.NEWSROOM_PAGE_SIZE + 1)
    assert "Page 1 of 2" in pagination(client, section.get_absolute_url())
    last = pagination(client, section.get_absolute_url(), page=2)
    assert "Page 2 of 2" in last
    assert 'rel="next"' not in last


def test_a_section_past_the_counted_bound_pages_on_without_a_total(client, settings, monkeypatch):
    size = settings.NEWSROOM_PAGE_SIZE
    monkeypatch.setattr(BoundedPaginator, "counted_up_to", 2 * size)
    section = SectionFactory()
    stories(section, 2 * size + 3)
    first = pagination(client, section.get_absolute_url())
    assert "Page 1</span>" in first  # no "of N": the total was not counted
    assert 'rel="next" href="?page=2"' in first
    assert 'rel="next" href="?page=3"' in pagination(client, section.get_absolute_url(), page=2)
    # The reader went far enough for the count to reach the end: it is exact again.
    last = pagination(client, section.get_absolute_url(), page=3)
    assert "Page 3 of 3" in last
    assert 'rel="next"' not in last
    assert client.get(section.get_absolute_url(), {"page": 4}).status_code == 404


def test_a_section_with_exactly_the_counted_rows_has_its_total(client, settings, monkeypatch):
    size = settings.NEWSROOM_PAGE_SIZE
    monkeypatch.setattr(BoundedPaginator, "counted_up_to", 2 * size)
    section = SectionFactory()
    stories(section, 2 * size)
    assert "Page 1 of 2" in pagination(client, section.get_absolute_url())


def test_the_section_count_reads_a_bounded_number_of_rows(client):
    section = SectionFactory()
    stories(section, 3)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(section.get_absolute_url()).status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    article_counts = [sql for sql in counts if "articles_article" in sql]
    assert len(article_counts) == 1, counts
    count = article_counts[0]
    assert re.search(rf"LIMIT {BoundedPaginator.counted_up_to + 1}\b", count), count
    # The count reads the articles alone: not the comment counts the cards print.
    assert "comments_comment" not in count


def test_a_far_page_is_counted_as_far_as_it_lies(client, settings, monkeypatch):
    size = settings.NEWSROOM_PAGE_SIZE
    monkeypatch.setattr(BoundedPaginator, "counted_up_to", size)
    section = SectionFactory()
    stories(section, 5 * size)
    with CaptureQueriesContext(connection) as captured:
        nav = pagination(client, section.get_absolute_url(), page=4)
    assert 'rel="next" href="?page=5"' in nav
    count = next(
        q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")
    )
    assert re.search(rf"LIMIT {4 * size + 1}\b", count), count


def test_an_absurd_page_number_is_not_found(client):
    section = SectionFactory()
    stories(section, 2)
    response = client.get(section.get_absolute_url(), {"page": "9" * 400})
    assert response.status_code == 404
