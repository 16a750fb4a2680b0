"""The home page's stories and each page of a section are kept per site version: a page
rendered afresh (the page cache off) reads no article row for them, and still shows every
story readers may see and none they may not, at once and at its scheduled time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from editorial import services
from frontpage.models import HomePick
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


@pytest.fixture
def section():
    section = SectionFactory(name="Mountain Life")
    now = timezone.now()
    for n in range(14):
        ArticleFactory(
            title=f"Highland story {n}",
            section=section,
            published_at=now - datetime.timedelta(hours=n + 1),
        )
    return section


def pages(section) -> list[str]:
    url = section.get_absolute_url()
    return ["/", url, url + "?page=2"]


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def article_reads(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        html(client, url)
    return [q["sql"] for q in captured.captured_queries if '"articles_article"' in q["sql"]]


def test_home_and_section_pages_rendered_again_read_no_article_row(client, section):
    # The sidebar's Recent news and Most read are kept parts of their own.
    first = {url: html(client, url) for url in pages(section)}
    for url in pages(section):
        assert article_reads(client, url) == [], url
        assert html(client, url) == first[url], url
    assert "Highland story 0" in first["/"]
    assert "Highland story 13" in first[section.get_absolute_url() + "?page=2"]


def test_a_story_published_after_the_pages_were_kept_shows_at_once(client, commit, section):
    for url in pages(section):
        html(client, url)
    commit(lambda: ArticleFactory(title="Roads reopen in Mường Nhé", section=section))
    for url in pages(section)[:2]:
        assert "Roads reopen in Mường Nhé" in html(client, url), url
    # Every story moved one place down the list.
    assert "Highland story 11" in html(client, pages(section)[2])


def test_a_story_taken_down_after_the_pages_were_kept_vanishes_at_once(client, commit, section):
    pulled = Article.objects.get(title="Highland story 0")
    for url in pages(section):
        assert "Highland story 0" in html(client, url) or url.endswith("page=2")
    commit(lambda: services.article_unpublish(article=pulled, by=EditorFactory()))
    for url in pages(section):
        assert "Highland story 0" not in html(client, url), url


def lead(page: str) -> str:
    return page[page.index('<section class="home-lead"') :].split("</section>")[0]


def test_a_pick_and_its_removal_show_on_the_kept_home_page_at_once(client, commit, section):
    assert "Highland story 0" in lead(html(client, "/"))
    pinned = Article.objects.get(title="Highland story 9")
    commit(lambda: HomePick.objects.create(slot=0, article=pinned))
    assert "Highland story 9" in lead(html(client, "/"))
    commit(lambda: HomePick.objects.all().delete())
    assert "Highland story 0" in lead(html(client, "/"))


def test_scheduled_stories_appear_and_go_at_their_time_on_kept_pages(
    client, commit, section, time_machine
):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    soon = now + datetime.timedelta(minutes=5)
    commit(lambda: ArticleFactory(title="Embargoed report", section=section, published_at=soon))
    leaving = Article.objects.get(title="Highland story 1")
    commit(lambda: services.article_unpublish(article=leaving, by=EditorFactory(), at=soon))
    for url in pages(section)[:2]:
        page = html(client, url)
        assert "Embargoed report" not in page and ">Highland story 1</a>" in page, url
    time_machine.move_to(soon - datetime.timedelta(seconds=1), tick=False)
    for url in pages(section)[:2]:
        assert "Embargoed report" not in html(client, url), url
    time_machine.move_to(soon, tick=False)
    for url in pages(section)[:2]:
        page = html(client, url)
        assert "Embargoed report" in page and ">Highland story 1</a>" not in page, url


@pytest.mark.parametrize("page", ["99", "abc", "-1", "0"])
def test_a_page_out_of_range_answers_404_after_the_first_pages_were_kept(client, section, page):
    for url in pages(section):
        html(client, url)
    assert client.get(section.get_absolute_url(), {"page": page}).status_code == 404
    assert client.get("/sections/no-such-section/").status_code == 404


def test_a_renamed_section_answers_at_its_new_address_at_once(client, commit, section):
    html(client, section.get_absolute_url())
    old = section.get_absolute_url()

    def rename():
        section.name, section.slug = "Highland Life", "highland-life"
        section.save()

    commit(rename)
    assert client.get(old).status_code == 404
    assert "Highland Life" in html(client, "/sections/highland-life/")


@pytest.fixture
def lists(section):
    """A tag, an author and a series, each on two of the section's stories."""
    from articles.models import ArticleAuthor, Series

    author = AuthorFactory(name="Lò Văn Minh")
    series = Series.objects.create(name="Roads of the highlands")
    for part, title in enumerate(["Highland story 2", "Highland story 3"], start=1):
        story = Article.objects.get(title=title)
        story.tags.add("landslides")
        ArticleAuthor.objects.create(article=story, author=author, order=0)
        story.series, story.series_part = series, part
        story.save()
    return ["/tags/landslides/", author.get_absolute_url(), series.get_absolute_url()]


def story_reads(client, url) -> list[str]:
    """The queries of `url` that count or read the list's stories (the tag, author or
    series is still looked up)."""
    with CaptureQueriesContext(connection) as captured:
        html(client, url)
    return [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"] or '"articles_article"."lead"' in q["sql"]
    ]


def test_tag_author_and_series_pages_rendered_again_neither_count_nor_read_stories(client, lists):
    first = {url: html(client, url) for url in lists}
    for url in lists:
        assert story_reads(client, url) == [], url
        assert html(client, url) == first[url], url
        assert "Highland story 2" in first[url] and "Highland story 3" in first[url], url


def test_a_story_taken_down_leaves_the_kept_tag_author_and_series_pages_at_once(
    client, commit, lists
):
    for url in lists:
        html(client, url)
    pulled = Article.objects.get(title="Highland story 3")
    commit(lambda: services.article_unpublish(article=pulled, by=EditorFactory()))
    for url in lists:
        page = html(client, url)
        assert "Highland story 3" not in page and "Highland story 2" in page, url
