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


def test_section_pages_follow_the_clock_through_statements_built_once(
    client, settings, time_machine, monkeypatch
):
    from django.db import DEFAULT_DB_ALIAS, connections

    from articles.models import Article
    from sections import views

    settings.NEWSROOM_FRAGMENT_CACHE = False
    size = settings.NEWSROOM_PAGE_SIZE
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    section = SectionFactory()
    stories(section, size)
    going = Article.objects.published().filter(section=section).first()
    going.unpublish_at = start + datetime.timedelta(minutes=10)
    going.save()
    soon = ArticleFactory(
        title="Scheduled story", section=section, published_at=start + datetime.timedelta(minutes=5)
    )
    builds = []
    published = Article.objects.published
    monkeypatch.setattr(
        Article.objects, "published", lambda **kw: builds.append(kw) or published(**kw)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    views._section_list.cache_clear()
    url = section.get_absolute_url()

    def page(number=1):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        html = response.content.decode()
        nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
        titles = re.findall(
            r'class="card__title"[^>]*>(?:<span[^>]*>Live</span>)?<a href="([^"]+)"', html
        )
        return titles, nav.group(0) if nav else ""

    titles, nav = page()
    assert len(titles) == size and going.get_absolute_url() == titles[0] and nav == ""
    built = [kw for kw in builds if "at" in kw]
    time_machine.move_to(start + datetime.timedelta(minutes=5), tick=False)
    titles, nav = page()
    assert titles[:2] == [soon.get_absolute_url(), going.get_absolute_url()]
    assert "Page 1 of 2" in nav
    titles, nav = page(2)
    assert len(titles) == 1 and "Page 2 of 2" in nav
    time_machine.move_to(start + datetime.timedelta(minutes=10), tick=False)
    titles, nav = page()
    assert going.get_absolute_url() not in titles and titles[0] == soon.get_absolute_url()
    assert len(titles) == size and nav == ""
    assert client.get(url, {"page": 2}).status_code == 404
    # The first page's rows and count were built once (the sidebar's statement once too);
    # the second page's rows once more.
    assert len(built) == 3
    assert len([kw for kw in builds if "at" in kw]) == 4


def test_a_section_added_since_the_last_page_has_its_page_and_its_home_block(client, settings):
    settings.NEWSROOM_FRAGMENT_CACHE = False
    stories(SectionFactory(), 2)
    assert client.get("/").status_code == 200
    assert client.get("/sections/highland-farming/").status_code == 404
    farming = SectionFactory(name="Highland farming", slug="highland-farming")
    stories(farming, 8)
    assert client.get("/sections/highland-farming/").status_code == 200
    assert 'id="home-section-highland-farming"' in client.get("/").content.decode()
