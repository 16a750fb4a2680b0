"""The read-replica router (core/routers.py), against a `replica` alias that mirrors the test
database (tests/conftest.py): where each read and write goes, and which requests read the
primary. Reads are checked on committed data (transactional tests): inside pytest-django's
ordinary test transaction every read stays on the primary by design."""

import datetime
import logging
import socket

import pytest
from django.db import OperationalError, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from core import routers
from core.replica_db.base import DatabaseWrapper
from core.routers import PrimaryReplicaRouter, primary_reads
from editorial import services
from pagecache import versions
from pagecache.registry import changed
from tests.factories import ArticleFactory, EditorFactory

BOTH = ["default", "replica"]
on_both_databases = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=BOTH
)


@pytest.fixture
def router():
    return PrimaryReplicaRouter()


@pytest.fixture
def replica_installed(settings):
    """The router and its middleware, as settings.py installs them for DATABASE_REPLICA_URL."""
    settings.DATABASE_ROUTERS = ["core.routers.PrimaryReplicaRouter"]
    settings.MIDDLEWARE = ["core.routers.PrimaryReadsMiddleware", *settings.MIDDLEWARE]


class Queries:
    """The queries each database ran inside the block."""

    def __init__(self):
        self.on = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}

    def __enter__(self):
        for captured in self.on.values():
            captured.__enter__()
        return self

    def __exit__(self, *exc):
        for captured in self.on.values():
            captured.__exit__(*exc)

    def reading(self, alias, table):
        return [
            q["sql"]
            for q in self.on[alias].captured_queries
            if q["sql"].startswith("SELECT") and f'"{table}"' in q["sql"]
        ]


@on_both_databases
def test_reads_go_to_the_replica_outside_a_transaction_and_to_the_primary_inside_one(router):
    assert router.db_for_read(Article) == "replica"
    with transaction.atomic():
        assert router.db_for_read(Article) == "default"
        with transaction.atomic():
            assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "replica"


def test_the_task_queue_is_read_from_the_primary(router):
    assert router.db_for_read(DBTaskResult) == "default"  # a worker locks the newest tasks
    assert router.db_for_read(Article) == "replica"


def test_reads_inside_primary_reads_go_to_the_primary(router):
    with primary_reads():
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "replica"


def test_writes_go_to_the_primary_and_only_the_primary_is_migrated(router):
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "articles", "article") is True
    assert router.allow_migrate("replica", "articles", "article") is False


def test_objects_read_from_either_database_may_be_related(router):
    from_primary, from_replica = ArticleFactory.build(), ArticleFactory.build()
    from_primary._state.db, from_replica._state.db = "default", "replica"
    assert router.allow_relation(from_primary, from_replica) is True
    from_elsewhere = ArticleFactory.build()
    from_elsewhere._state.db = "archive"
    assert router.allow_relation(from_primary, from_elsewhere) is None


@on_both_databases
def test_a_locked_read_and_the_reads_after_it_stay_on_the_primary(replica_installed):
    article = ArticleFactory()
    with Queries() as queries, transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        services.check_version(article=locked, expected_version=locked.version)
        Article.objects.get(pk=article.pk)
    assert queries.reading("default", "articles_article")
    assert queries.on["replica"].captured_queries == []


@on_both_databases
def test_the_public_article_page_is_read_from_the_replica(client, replica_installed):
    article = ArticleFactory(title="Coffee harvest in Mường Ảng")
    with Queries() as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Coffee harvest in Mường Ảng" in response.content.decode()
    assert queries.reading("replica", "articles_article")
    assert queries.reading("default", "articles_article") == []


@on_both_databases
def test_without_the_router_nothing_reads_the_replica(client, settings):
    settings.DATABASE_ROUTERS = []
    article = ArticleFactory()
    with Queries() as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert queries.on["replica"].captured_queries == []


@on_both_databases
def test_signed_in_staff_read_the_primary(client, replica_installed):
    article = ArticleFactory()
    client.force_login(EditorFactory())
    with Queries() as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
        changelist = client.get(reverse("admin:articles_article_changelist"))
        assert changelist.status_code == 200
    assert queries.reading("default", "articles_article")
    assert queries.on["replica"].captured_queries == []


@on_both_databases
def test_a_reader_posting_a_comment_and_the_page_after_it_read_the_primary(
    client, replica_installed
):
    article = ArticleFactory()
    form = {"name": "An", "email": "an@example.com", "body": "Thank you.", "website": ""}
    with Queries() as queries:
        response = client.post(reverse("comments:create", kwargs={"slug": article.slug}), form)
        assert response.status_code == 302
        # The redirect carries a flash message: the page shows it, and the comment, fresh.
        assert client.get(response["Location"]).status_code == 200
    assert queries.reading("default", "articles_article")
    assert queries.on["replica"].captured_queries == []


@on_both_databases
def test_the_page_cache_learns_the_next_scheduled_story_from_the_primary(replica_installed):
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=2))
    versions.forget()
    with Queries() as queries:
        assert versions.site_version().next_change == scheduled.published_at
    assert queries.reading("default", "articles_article")
    assert queries.on["replica"].captured_queries == []


@on_both_databases
@pytest.mark.parametrize("caught_up", [True, False], ids=["caught-up", "lagging"])
def test_a_page_cached_for_a_new_version_is_read_from_data_as_new(
    client, replica_installed, page_cache_on, monkeypatch, caught_up
):
    """A version records the primary's position; until the replica has replayed that far,
    the pages stored under the version are built from the primary."""
    article = ArticleFactory()
    seen = []
    monkeypatch.setattr(
        "core.routers.replica_has_caught_up", lambda position: seen.append(position) or caught_up
    )
    monkeypatch.setattr(versions, "primary_position", lambda: "0/3000060")
    versions.forget()
    with Queries() as queries:
        response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "0/3000060" in seen
    read_from = "replica" if caught_up else "default"
    other = "default" if caught_up else "replica"
    assert queries.reading(read_from, "articles_article")
    # The next scheduled change is always asked of the primary, with the version.
    page_reads = [sql for sql in queries.reading(other, "articles_article") if '_at" > ' not in sql]
    assert page_reads == []


@pytest.mark.postgres
@on_both_databases
def test_the_primary_position_is_recorded_and_a_primary_counts_as_caught_up(replica_installed):
    if connections["default"].vendor != "postgresql":
        pytest.skip("WAL positions exist on PostgreSQL only")
    with transaction.atomic():
        changed()
    position = versions.site_version().position
    assert position and "/" in position  # e.g. '0/1A2B3C4'
    from core.routers import replica_has_caught_up

    # The test mirror is the primary itself, which is not a standby.
    assert replica_has_caught_up(position) is True


def test_without_a_replica_no_position_is_recorded(settings):
    from core.routers import primary_position

    settings.DATABASE_ROUTERS = []
    assert primary_position() is None


def test_wal_positions_compare_as_numbers():
    from core.routers import _lsn

    assert _lsn("1/0") > _lsn("0/FFFFFFFF") > _lsn("0/3000060") > _lsn("0/300006")


@pytest.mark.postgres
@on_both_databases
def test_a_position_the_replica_has_reached_is_not_asked_again(replica_installed, monkeypatch):
    if connections["default"].vendor != "postgresql":
        pytest.skip("WAL positions exist on PostgreSQL only")
    from core import routers

    monkeypatch.setattr(routers, "_confirmed", {"position": None})
    with CaptureQueriesContext(connections["replica"]) as asked:
        assert routers.replica_has_caught_up("0/10") is True
    assert len(asked.captured_queries) == 1
    with CaptureQueriesContext(connections["replica"]) as asked:
        assert routers.replica_has_caught_up("0/F") is True
    assert asked.captured_queries == []


@on_both_databases
@pytest.mark.parametrize("caught_up", [True, False], ids=["caught-up", "lagging"])
def test_an_articles_parts_kept_for_a_new_article_version_are_read_from_data_as_new(
    client, replica_installed, settings, monkeypatch, caught_up
):
    """An article's version records the primary's position too: its own parts (bylines, tags,
    corrections) are built from the primary until the replica has replayed that far."""
    settings.NEWSROOM_FRAGMENT_CACHE = True
    article = ArticleFactory()
    seen = []
    monkeypatch.setattr(
        "core.routers.replica_has_caught_up", lambda position: seen.append(position) or caught_up
    )
    monkeypatch.setattr(versions, "primary_position", lambda: "0/3000070")
    versions.forget()
    with Queries() as queries:
        client.get(article.get_absolute_url())
    assert "0/3000070" in seen
    read_from = "replica" if caught_up else "default"
    other = "default" if caught_up else "replica"
    assert queries.reading(read_from, "articles_correction")
    assert queries.reading(other, "articles_correction") == []


@pytest.fixture(autouse=True)
def _replica_reachable_again():
    routers.forget_replica_failures()
    yield
    routers.forget_replica_failures()


def test_reads_go_to_the_primary_while_the_replica_cannot_be_reached(router, settings):
    routers.replica_unreachable()
    assert router.db_for_read(Article) == "default"
    settings.NEWSROOM_REPLICA_RETRY_SECONDS = 0  # the window has passed: tried again
    routers.replica_unreachable()
    assert router.db_for_read(Article) == "replica"


def refuse_connections(monkeypatch):
    """The replica's server is gone: each new connection fails as core.replica_db fails it
    (telling the router, then raising). Returns the list of attempts."""
    replica = connections["replica"]
    replica.close()
    attempts = []

    def refused(conn_params):
        attempts.append(conn_params)
        routers.replica_unreachable()
        raise OperationalError("connection refused")

    monkeypatch.setattr(replica, "get_new_connection", refused)
    return attempts


@on_both_databases
def test_a_readers_page_that_meets_an_unreachable_replica_is_answered_from_the_primary(
    replica_installed, monkeypatch, caplog
):
    article = ArticleFactory(title="Mường Nhé roads reopen")
    client = Client(raise_request_exception=False)  # as a server answers: with a response
    attempts = refuse_connections(monkeypatch)
    with CaptureQueriesContext(connections["default"]) as on_the_primary:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Mường Nhé roads reopen" in response.content.decode()
    assert any('"articles_article"' in q["sql"] for q in on_the_primary.captured_queries)
    assert len(attempts) == 1
    # The reader got the page: nothing is logged as a server error (nor mailed to the
    # admins); the outage is told once, as a warning.
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r.getMessage() for r in caplog.records if r.name == "core.routers"] == [
        "The read replica cannot be reached: reading from the primary for 10 s"
    ]

    # Within the window the replica is not tried again: no reader waits for it.
    assert client.get(article.get_absolute_url()).status_code == 200
    assert len(attempts) == 1


def test_the_replica_engine_marks_the_replica_unreachable_when_it_refuses_connections(
    django_db_blocker,
):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]  # nothing listens once the socket is closed
    replica = DatabaseWrapper(
        {
            **connections["default"].settings_dict,
            "ENGINE": "core.replica_db",
            "NAME": "newsroom",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": str(closed_port),
            "OPTIONS": {"connect_timeout": 2},
        },
        alias="replica-probe",
    )
    assert routers.replica_reachable()
    with django_db_blocker.unblock(), pytest.raises(OperationalError):
        replica.ensure_connection()
    assert not routers.replica_reachable()
