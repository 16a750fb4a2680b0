"""Readers post at the same moment: nobody meets "database is locked", and the rate limit holds."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def post_in_threads(url, posts):
    """Run each (ip, body) post in its own thread, all released at once; return the statuses."""
    barrier = threading.Barrier(len(posts))
    statuses, errors = [], []

    def worker(ip, body):
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                url,
                {"name": "Reader", "email": "r@example.com", "body": body},
                REMOTE_ADDR=ip,
            )
            statuses.append(response.status_code)
        except Exception as error:  # reported below, after the threads end
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return statuses


def test_concurrent_posts_from_many_readers_all_succeed():
    article = ArticleFactory()
    url = reverse("comments:create", kwargs={"slug": article.slug})
    posts = [(f"198.51.100.{n}", f"Comment from reader {n}") for n in range(12)]
    assert post_in_threads(url, posts) == [302] * 12
    assert Comment.objects.count() == 12


def test_rate_limit_holds_when_one_address_posts_in_parallel(settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 5
    article = ArticleFactory()
    url = reverse("comments:create", kwargs={"slug": article.slug})
    posts = [("203.0.113.7", f"Parallel comment {n}") for n in range(10)]
    statuses = post_in_threads(url, posts)
    assert sorted(statuses) == [302] * 5 + [429] * 5
    assert Comment.objects.count() == 5
