"""Views counted in Redis (REDIS_URL set): one per reader per article per hour, and a Redis
that cannot be reached answers the beacon 503 without touching the page."""

import uuid

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from mostread import counters
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SHARED = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_counter(settings):
    """A counter on the machine's Redis under a prefix of its own, whose keys are removed
    afterwards (nothing else there is touched)."""
    try:
        redis.Redis.from_url(SHARED, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.REDIS_URL = SHARED
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": prefix}}
    counters._counters.clear()
    try:
        yield counters.counter()
    finally:
        client = redis.Redis.from_url(SHARED)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        counters._counters.clear()


def test_redis_keeps_one_view_per_reader_per_article_per_hour(redis_counter):
    assert isinstance(redis_counter, counters.RedisCounter)
    hour = counters.hour_of(timezone.now())
    for reader in ["a", "a", "b"]:
        redis_counter.record(article_id=7, reader=reader, hour=hour)
    redis_counter.record(article_id=8, reader="a", hour=hour)
    assert redis_counter.counts(since=timezone.now() - counters.WINDOW) == {7: 2, 8: 1}


def test_a_beacon_through_redis_is_listed(client, redis_counter):
    article = ArticleFactory(title="Counted in Redis")
    response = client.post(reverse("mostread:count", args=[article.pk]), REMOTE_ADDR="192.0.2.4")
    assert response.status_code == 204
    assert redis_counter.counts(since=timezone.now() - counters.WINDOW) == {article.pk: 1}
    assert "Counted in Redis" in client.get("/").content.decode()


def test_an_unreachable_redis_answers_the_beacon_503_and_the_page_still_loads(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    counters._counters.clear()
    try:
        article = ArticleFactory()
        assert client.post(reverse("mostread:count", args=[article.pk])).status_code == 503
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200
    finally:
        counters._counters.clear()


def record_over_a_day(counter):
    """Views of three articles over the last 26 hours; what the 24-hour window counts."""
    now = counters.hour_of(timezone.now())
    for hours_ago, article_id, readers in [
        (0, 7, "ab"),
        (3, 7, "abc"),
        (23, 8, "a"),
        (24, 9, "abcd"),  # the window begins at the hour 24 hours ago
        (25, 7, "abcdef"),  # older than the window
    ]:
        for reader in readers:
            counter.record(
                article_id=article_id, reader=reader, hour=now - hours_ago * counters.HOUR
            )
    return {7: 5, 8: 1, 9: 4}


def test_views_are_summed_over_the_hours_of_the_window(redis_counter):
    expected = record_over_a_day(redis_counter)
    assert redis_counter.counts(since=timezone.now() - counters.WINDOW) == expected


def test_a_redis_without_zunion_sums_the_same_views_hour_by_hour(redis_counter, monkeypatch):
    expected = record_over_a_day(redis_counter)

    def unknown_command(*args, **kwargs):
        raise redis.ResponseError("unknown command 'ZUNION'")

    monkeypatch.setattr(redis_counter.redis, "zunion", unknown_command)
    assert redis_counter.counts(since=timezone.now() - counters.WINDOW) == expected
    assert not redis_counter.outage.skipping()
