"""Most read: a view is counted by the beacon an article page sends, once per reader per
article per hour, never for bots or prefetches, with no cookie; the lists of the last 24
hours (site-wide on the home page, per section on the article page) name published stories
only."""

import datetime
import http.client
import threading
import urllib.parse

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from mostread import counters
from mostread.models import ArticleView
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _views_in_the_database(views_in_the_database):
    pass


def beacon(client, article, address="203.0.113.7", **headers):
    return client.post(
        reverse("mostread:count", args=[article.pk]),
        REMOTE_ADDR=address,
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130", **headers},
    )


def test_a_reader_counts_once_per_article_per_hour(client, time_machine):
    time_machine.move_to(timezone.now().replace(minute=5), tick=False)
    article = ArticleFactory()
    assert beacon(client, article).status_code == 204
    assert beacon(client, article).status_code == 204
    assert ArticleView.objects.count() == 1
    beacon(client, article, address="198.51.100.2")
    assert ArticleView.objects.count() == 2
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=1), tick=False)
    beacon(client, article)
    assert ArticleView.objects.count() == 3


def test_no_cookie_and_no_address_is_kept(client):
    article, other = ArticleFactory(), ArticleFactory()
    response = beacon(client, article)
    beacon(client, other)
    assert not response.cookies and response["Cache-Control"] == "no-store"
    readers = list(ArticleView.objects.values_list("reader", flat=True))
    # One reader, two articles: two unrelated keys, neither holding the address.
    assert len(set(readers)) == 2
    assert all("203.0.113.7" not in reader for reader in readers)


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"User-Agent": "facebookexternalhit/1.1"},
        {"User-Agent": "python-requests/2.32"},
        {"Sec-Purpose": "prefetch;prerender"},
        {"Purpose": "prefetch"},
    ],
)
def test_bots_and_prefetches_are_not_counted(client, headers):
    assert beacon(client, ArticleFactory(), **headers).status_code == 204
    assert not ArticleView.objects.exists()


def test_bad_requests_are_refused_with_4xx(client):
    article = ArticleFactory()
    url = reverse("mostread:count", args=[article.pk])
    assert client.get(url).status_code == 405
    assert client.post("/views/abc/").status_code == 404
    assert client.post("/views/0/").status_code == 404
    assert client.post("/views/99999999999999999999/").status_code == 404
    assert not ArticleView.objects.exists()


def test_one_address_sending_too_many_views_is_told_to_wait(client, settings):
    settings.NEWSROOM_VIEWS_PER_MINUTE = 3
    articles = [ArticleFactory() for _ in range(4)]
    answers = [beacon(client, article).status_code for article in articles]
    assert answers == [204, 204, 204, 429]
    assert ArticleView.objects.count() == 3
    assert beacon(client, articles[0], address="198.51.100.9").status_code == 204


def views(article, readers):
    for n in range(readers):
        counters.counter().record(
            article_id=article.pk, reader=f"reader-{n}", hour=counters.hour_of(timezone.now())
        )


def most_read_box(html):
    start = html.index('class="most-read"')
    return html[start : html.index("</aside>", start)]


def test_the_home_page_lists_the_most_read_published_stories_in_order(client):
    first, second, third = (ArticleFactory(title=f"Story {n}") for n in "ABC")
    taken_down = ArticleFactory(title="Taken down", status=Article.Status.UNPUBLISHED)
    views(second, 5), views(first, 3), views(third, 1), views(taken_down, 9)
    html = client.get("/").content.decode()
    box = html[
        html.index('class="most-read"') : html.index("</aside>", html.index('class="most-read"'))
    ]
    assert box.index("Story B") < box.index("Story A") < box.index("Story C")
    assert "Taken down" not in box


def test_an_article_page_lists_the_most_read_of_its_section(client):
    tea, roads = SectionFactory(name="Tea"), SectionFactory(name="Roads")
    read, elsewhere = (
        ArticleFactory(section=tea, title="Tea prices"),
        ArticleFactory(section=roads, title="New road"),
    )
    views(read, 2), views(elsewhere, 7)
    html = client.get(ArticleFactory(section=tea).get_absolute_url()).content.decode()
    box = most_read_box(html)
    assert "Most read in Tea" in box and "Tea prices" in box and "New road" not in box


def test_views_older_than_a_day_leave_the_list_and_the_database(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = ArticleFactory(title="Yesterday's story")
    views(article, 4)
    assert "Yesterday&#x27;s story" in client.get("/").content.decode()
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=26), tick=False)
    assert 'class="most-read"' not in client.get("/").content.decode()
    views(ArticleFactory(), 1)  # the first view of an hour removes what is past the window
    assert list(ArticleView.objects.values_list("article", flat=True)) != [article.pk] * 4
    assert not ArticleView.objects.filter(article=article).exists()


def test_a_story_taken_down_leaves_the_cached_most_read_box_at_once(client, commit, page_cache_on):
    story, other = ArticleFactory(title="Story to take down"), ArticleFactory(title="Stays up")
    views(story, 5), views(other, 2)
    assert "Story to take down" in most_read_box(client.get("/").content.decode())

    def take_down():
        story.status = Article.Status.UNPUBLISHED
        story.save()

    commit(take_down)
    for url in ["/", other.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "Story to take down" not in html and story.slug not in html, url
    assert "Stays up" in most_read_box(client.get("/").content.decode())


def test_the_most_read_box_is_rolled_up_again_after_its_minute(
    client, page_cache_on, time_machine, settings
):
    time_machine.move_to(timezone.now(), tick=False)
    settings.NEWSROOM_PAGE_CACHE = False  # the box itself, not the page it is on
    first, second = ArticleFactory(title="First story"), ArticleFactory(title="Second story")
    views(first, 1)
    assert "First story" in most_read_box(client.get("/").content.decode())
    views(second, 3)  # counted views start no new site version: the box waits its minute
    assert "Second story" not in most_read_box(client.get("/").content.decode())
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=61), tick=False)
    assert "Second story" in most_read_box(client.get("/").content.decode())


def test_an_article_page_sends_its_beacon(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-count-url="{reverse("mostread:count", args=[article.pk])}"' in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thousand_views_from_fifty_clients_lose_nothing(live_server, settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    articles = [ArticleFactory() for _ in range(20)]
    address = urllib.parse.urlsplit(live_server.url)
    failures = []

    def reader(n):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            for article in articles:
                connection.request(
                    "POST",
                    f"/views/{article.pk}/",
                    headers={"X-Forwarded-For": f"198.51.100.{n + 1}", "User-Agent": "Mozilla/5.0"},
                )
                response = connection.getresponse()
                response.read()
                if response.status != 204:
                    failures.append(response.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert ArticleView.objects.count() == 1000
    assert sum(counters.counter().counts(since=timezone.now() - counters.WINDOW).values()) == 1000
