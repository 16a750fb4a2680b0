"""deploy/nginx.conf in front of the running site: which answers its micro-cache shares."""

import time

import pytest

from articles.models import Article
from tests.factories import ArticleFactory
from tests.nginx import fetch, nginx_in_front

# serialized_rollback: see tests/comments/test_concurrency.py.
pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def proxy(live_server, page_cache_on):
    with nginx_in_front(live_server.url.removeprefix("http://")) as base:
        yield base


def fetch_shared(url, **headers):
    """The answer to `url` once nginx holds a copy: a copy is used within the half second it
    was made in, so two requests that straddle the turn of one both reach the app."""
    answers = [fetch(url, **headers) for _ in range(3)]
    return answers[0], next((a for a in answers[1:] if a[1]["X-Cache"] == "HIT"), answers[-1])


def test_an_article_page_is_shared_from_the_micro_cache(proxy):
    article = ArticleFactory(title="Shared by nginx")
    first, second = fetch_shared(proxy + article.get_absolute_url())
    assert first[0] == second[0] == 200
    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("MISS", "HIT")
    assert second[2] == first[2] and b"Shared by nginx" in second[2]


def test_a_story_taken_down_is_gone_from_the_micro_cache_within_a_second(proxy):
    """No copy is served stale: not while nginx fetches the page again, and the app's 404
    replaces the page."""
    story = ArticleFactory(title="Story to take down")
    url = proxy + story.get_absolute_url()
    assert fetch_shared(url)[1][1]["X-Cache"] == "HIT"
    story.status = Article.Status.UNPUBLISHED
    story.save()
    down = time.monotonic()
    answers = []
    while time.monotonic() - down < 2.5:
        status, _headers, _body = fetch(url)
        answers.append((time.monotonic() - down, status))
    assert [status for since, status in answers if since > 1.0] != []
    assert {status for since, status in answers if since > 1.0} == {404}
    home = fetch(proxy + "/")
    assert home[0] == 200 and b"Story to take down" not in home[2]


def test_each_answer_carries_its_own_request_id_even_from_the_micro_cache(proxy, settings):
    settings.NEWSROOM_TRUST_REQUEST_ID = True
    article = ArticleFactory()
    first, second = fetch_shared(proxy + article.get_absolute_url())
    assert second[1]["X-Cache"] == "HIT"
    ids = [first[1].get_all("X-Request-ID"), second[1].get_all("X-Request-ID")]
    assert all(len(each) == 1 and len(each[0]) == 32 for each in ids), ids
    assert ids[0] != ids[1]


@pytest.mark.parametrize(
    "cookie", ["sessionid=abc", "messages=abc", "csrftoken=x; messages=abc"], ids=str
)
def test_staff_and_readers_with_a_message_always_reach_the_app(proxy, cookie):
    article = ArticleFactory()
    fetch_shared(proxy + article.get_absolute_url())
    status, headers, _body = fetch(proxy + article.get_absolute_url(), Cookie=cookie)
    assert status == 200
    assert headers["X-Cache"] == "BYPASS"


def test_a_page_the_app_marks_private_is_never_shared(proxy):
    # The sign-in page carries a CSRF token: the app marks it private / no-cache.
    url = proxy + "/admin/login/"
    first, second = fetch(url), fetch(url)
    assert first[0] == second[0] == 200
    assert "HIT" not in (first[1]["X-Cache"], second[1]["X-Cache"])
    assert first[1]["Set-Cookie"] and second[1]["Set-Cookie"]  # each visitor their own token


def test_a_link_tagged_by_where_the_reader_came_from_shares_the_micro_cached_copy(proxy):
    article = ArticleFactory()
    url = proxy + article.get_absolute_url()
    for _ in range(3):
        fetch(url)
        tagged = fetch(url + "?fbclid=IwAR3&utm_source=facebook")
        if tagged[1]["X-Cache"] == "HIT":
            break
    assert tagged[0] == 200 and tagged[1]["X-Cache"] == "HIT"
    # A parameter a page reads keeps its own copy.
    other = fetch(proxy + article.get_absolute_url() + "?page=2&fbclid=IwAR3")
    assert other[1]["X-Cache"] == "MISS"
