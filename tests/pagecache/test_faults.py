"""A kept page is served only while the database still holds the version it was kept for:
whatever the cache does (another process's copy, a restart, an old snapshot, an outage)."""

import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from pagecache import versions
from pagecache.models import ContentVersion
from tests.factories import ArticleFactory, SectionFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


def take_down(story):
    story.status = Article.Status.UNPUBLISHED
    story.save()


def test_a_change_another_process_committed_is_seen_within_the_version_check(
    client, settings, monkeypatch
):
    """Another process (a worker, a management command) bumps the version in the database;
    this process, which cached the page, reads the new version once its last read is older
    than NEWSROOM_VERSION_CHECK_SECONDS."""
    settings.NEWSROOM_VERSION_CHECK_SECONDS = 0.5
    clock = [1000.0]
    monkeypatch.setattr(versions.time, "monotonic", lambda: clock[0])
    story = ArticleFactory(title="Story to take down")
    url = story.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    # The other process: its own write, its own memory; nothing of this process is told.
    Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)
    ContentVersion.objects.filter(key=versions.SITE).update(token="bumped-elsewhere", number=9)
    clock[0] += 0.4
    assert client.get(url)["X-Page-Cache"] == "hit"  # within the check interval
    clock[0] += 0.2
    assert client.get(url).status_code == 404


# serialized_rollback: see tests/comments/test_concurrency.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_management_command_taking_a_story_down_is_seen_by_a_running_process(client, settings):
    """The embedded default: each process has its own local-memory cache. A takedown made by
    a command in another process is not served from this one's cache."""
    settings.NEWSROOM_VERSION_CHECK_SECONDS = 0
    story = ArticleFactory(title="Story to take down", section=SectionFactory())
    url = story.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    code = (
        "from articles.models import Article; "
        f"a = Article.objects.get(pk={story.pk}); a.status = 'unpublished'; a.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "REDIS_URL": ""},
        check=True,
        timeout=120,
    )
    assert client.get(url).status_code == 404
    assert "Story to take down" not in client.get("/").content.decode()


def test_a_cache_restored_from_an_old_snapshot_does_not_bring_a_story_back(client, commit):
    story = ArticleFactory(title="Story to take down")
    for url in ["/", story.get_absolute_url()]:
        client.get(url)
    snapshot, expiry = dict(cache._cache), dict(cache._expire_info)
    commit(lambda: take_down(story))
    cache.clear()
    cache._cache.update(snapshot)  # Redis restarted from the snapshot it took before
    cache._expire_info.update(expiry)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Story to take down" not in client.get("/").content.decode()


def test_a_change_rolled_back_leaves_the_version_as_it_was(client):
    from django.db import transaction

    story = ArticleFactory()
    client.get(story.get_absolute_url())
    before = versions.site_version().version
    with pytest.raises(RuntimeError), transaction.atomic():
        take_down(story)
        raise RuntimeError("the save failed after the change")
    assert versions.site_version().version == before
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_without_the_database_the_cache_is_not_consulted(client, monkeypatch, settings):
    story = ArticleFactory()
    client.get(story.get_absolute_url())
    versions.forget()
    settings.NEWSROOM_FRAGMENT_CACHE = False

    def down(keys):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(versions, "_tokens", down)
    response = client.get(story.get_absolute_url())
    # Rendered by the view (here the database still answers the view itself).
    assert response.status_code == 200 and "X-Page-Cache" not in response


# --- Parameters no page reads ------------------------------------------------------------


def stored_pages() -> int:
    return sum(1 for key in cache._cache if ":page:" in key)


def test_made_up_query_parameters_do_not_fill_the_cache(client):
    ArticleFactory()
    client.get("/")
    stored = stored_pages()
    for n in range(50):
        response = client.get(f"/?x={n}")
        assert response.status_code == 200
    assert stored_pages() == stored


def test_a_parameter_the_page_reads_is_stored(client):
    section = SectionFactory()
    ArticleFactory.create_batch(3, section=section)
    client.get(section.get_absolute_url())
    stored = stored_pages()
    client.get(section.get_absolute_url() + "?page=1")
    assert stored_pages() == stored + 1
    assert client.get(section.get_absolute_url() + "?page=1")["X-Page-Cache"] == "hit"


# --- Redis unreachable or silent ---------------------------------------------------------


class SilentServer:
    """A TCP server that accepts connections and never answers (a paused Redis)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache(settings, port):
    # Changing CACHES makes Django open the new cache (its setting_changed receiver).
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.NewsroomRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    from core import cache_backend

    cache_backend._OUTAGES.clear()


@pytest.fixture
def silent_redis(settings):
    server = SilentServer()
    redis_cache(settings, server.port)
    yield server
    server.close()


def test_a_silent_redis_costs_one_timeout_then_pages_are_served_without_it(
    client, silent_redis, settings, caplog
):
    settings.REDIS_RETRY_SECONDS = 60
    story = ArticleFactory()
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(10):
            assert client.get(story.get_absolute_url()).status_code == 200
    # One connection tried (and timed out); the other requests did not wait for Redis.
    assert len(silent_redis.accepted) == 1
    outage = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert len(outage) == 1 and "unreachable" in outage[0].getMessage()


def test_with_redis_down_every_page_and_a_not_found_answer_without_the_cache(client, settings):
    redis_cache(settings, closed_port())
    story = ArticleFactory()
    for url in ["/", story.get_absolute_url(), "/feed/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/no-such-page/").status_code == 404


def test_a_comment_stored_while_redis_is_down_is_reported_stored(client, settings):
    redis_cache(settings, closed_port())
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    story = ArticleFactory()
    form = {"name": "Lò Văn Minh", "email": "minh@example.com", "body": "Cảm ơn bài viết."}
    response = client.post(reverse("comments:create", kwargs={"slug": story.slug}), form)
    assert response.status_code == 302
    assert Comment.objects.filter(article=story, body="Cảm ơn bài viết.").count() == 1
    assert "Cảm ơn bài viết." in client.get(response["Location"]).content.decode()
