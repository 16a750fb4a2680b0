"""A page whose part reads a locked table is answered at once without that part, and kept
nowhere: the next request after the lock is gone shows the page whole (core/parts.py).

On PostgreSQL another connection holds `LOCK TABLE ... IN ACCESS EXCLUSIVE MODE`, which
stops readers too, as a migration's ALTER TABLE would. SQLite has no lock that stops a
reader (WAL), so there the table's reads fail with SQLite's own "database is locked".
"""

import contextlib
import time
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_post
from core import parts
from core.parts import _Request, _state, lock_wait_for_statement, missing_count, part
from tests.factories import ArticleFactory, CommentFactory, SectionFactory

# Committed rows: the lock holder is another connection. serialized_rollback: see
# tests/comments/test_concurrency.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BRIEF = 0.5  # seconds, DATABASE_READ_LOCK_TIMEOUT in these tests
COMMENTS = Comment._meta.db_table


@pytest.fixture(autouse=True)
def _caches_on(settings):
    """The page cache and the kept fragments on, as in production: nothing incomplete may
    stay in them."""
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True
    settings.NEWSROOM_VERSION_CHECK_SECONDS = 0
    settings.DATABASE_READ_LOCK_TIMEOUT = BRIEF
    settings.NEWSROOM_COMMENTS_PREMODERATION = False


def accepted_comment(article, body):
    """A reader's comment, published at once: it starts a new content version, so the next
    read of every page renders it afresh (the case of a page under a lock just after one)."""
    return comment_post(
        article=article, name="Lò Văn Minh", email="minh@example.com", body=body, ip_hash="5eed"
    )


@contextlib.contextmanager
def readers_locked_out(table: str):
    """Until the block ends no one can read `table`."""
    if connection.vendor != "postgresql":

        def refuse(execute, sql, params, many, context):
            if table in sql:
                raise OperationalError("database is locked")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(refuse):
            yield
        return
    holder = connections.create_connection("default")
    try:
        holder.connect()
        with holder.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # fail rather than hang the run
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            yield
            cursor.execute("ROLLBACK")
    finally:
        holder.close()


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_article_page_is_answered_without_its_comments_while_their_table_is_locked():
    article = ArticleFactory(title="Mường Phăng road reopens")
    CommentFactory(article=article, body="Thank you, the road looks good now.")
    reader = Client()
    assert "the road looks good" in reader.get(article.get_absolute_url()).content.decode()
    accepted_comment(article, "A second comment starts a new version.")

    with readers_locked_out(COMMENTS):
        response, seconds = timed_get(reader, article.get_absolute_url())
        again, _ = timed_get(reader, article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mường Phăng road reopens" in html
    assert "The comments cannot be shown for a moment" in html
    assert "the road looks good" not in html
    assert 'action="' + reverse("comments:create", kwargs={"slug": article.slug}) in html
    # One brief wait, far from the 3 s a write waits.
    assert seconds < BRIEF + 1.5
    # Neither the page cache, nor nginx, nor a browser keeps it.
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "ETag" not in response
    assert "cannot be shown" in again.content.decode()
    assert again.get("X-Page-Cache") != "hit"

    after = reader.get(article.get_absolute_url())
    html = after.content.decode()
    assert "cannot be shown" not in html
    assert "the road looks good" in html
    assert "A second comment starts a new version." in html
    assert "no-store" not in after["Cache-Control"]


def test_cards_are_answered_without_comment_counts_while_the_comments_table_is_locked():
    section = SectionFactory(name="Society")
    for position in range(3):
        story = ArticleFactory(section=section, title=f"Story {position} from Điện Biên")
        CommentFactory.create_batch(2, article=story)
    reader = Client()
    assert "2 comments" in reader.get(reverse("frontpage:home")).content.decode()
    accepted_comment(story, "One more comment on the last story.")

    with readers_locked_out(COMMENTS):
        response, seconds = timed_get(reader, reverse("frontpage:home"))
        listing, _ = timed_get(reader, section.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Story 0 from Điện Biên" in html
    assert "Story 2 from Điện Biên" in html
    assert "comments</span>" not in html
    assert "no-store" in response["Cache-Control"]
    # Every listing on the page goes without its counts after one brief wait.
    assert seconds < BRIEF + 1.5
    assert listing.status_code == 200
    assert "Story 1 from Điện Biên" in listing.content.decode()
    assert "no-store" in listing["Cache-Control"]

    after = reader.get(reverse("frontpage:home")).content.decode()
    assert "3 comments" in after
    assert "2 comments" in after


def test_pages_that_print_no_comment_count_do_not_wait_for_the_comments_table():
    ArticleFactory(title="Tuần Giáo tea harvest")
    reader = Client()
    with readers_locked_out(COMMENTS):
        feed = reader.get(reverse("articles:feed"))
    assert feed.status_code == 200
    assert "Tuần Giáo tea harvest" in feed.content.decode()
    assert "no-store" not in feed.get("Cache-Control", "")


def test_reads_wait_for_the_lock_briefly_and_the_connection_keeps_the_writers_wait():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite readers never wait for a lock")

    def read_comments():
        return Comment.objects.count()

    with readers_locked_out(COMMENTS):
        started = time.monotonic()
        assert part(read_comments, missing=lambda: None) is None
        waited = time.monotonic() - started
    assert BRIEF <= waited < BRIEF + 1.5
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("3s",)
    assert part(read_comments, missing=lambda: None) == 0


def test_a_database_error_other_than_a_lock_wait_is_not_hidden_by_a_part():
    before = missing_count()

    def broken():
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError, match="server closed"):
        part(broken, missing=lambda: "left out")
    assert missing_count() == before


def test_a_reader_meeting_a_table_the_page_needs_is_told_503_after_the_brief_wait():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite readers never wait for a lock")
    article = ArticleFactory(title="Nà Tấu market days")
    reader = Client(raise_request_exception=False)
    with readers_locked_out(article._meta.db_table):
        response, seconds = timed_get(reader, article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "The site is busy" in response.content.decode()
    assert seconds < BRIEF + 1.5  # not the 3 s a write waits
    # The request's brief wait ended with it: the next write on this connection waits 3 s.
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("3s",)
    assert reader.get(article.get_absolute_url()).status_code == 200


def show_lock_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


def test_a_readers_pages_one_after_another_set_the_brief_wait_once(monkeypatch, settings):
    """The connection keeps the brief wait between readers' requests: no round trip to set
    it and none to reset it per page, and a page still waits briefly behind a lock."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite readers never wait for a lock")
    settings.NEWSROOM_PAGE_CACHE = False  # each page reads the article
    article = ArticleFactory(title="Mường Lay bridge opens")
    reader = Client(raise_request_exception=False)
    show_lock_timeout()  # the connection open, with the writers' wait
    changes = []
    original = parts._set_wait
    monkeypatch.setattr(
        parts, "_set_wait", lambda *a, **kw: changes.append(a[1]) or original(*a, **kw)
    )

    for _ in range(3):
        assert reader.get(article.get_absolute_url()).status_code == 200
    assert changes == ["500ms"]
    with readers_locked_out(article._meta.db_table):
        response, seconds = timed_get(reader, article.get_absolute_url())
    assert response.status_code == 503
    assert seconds < BRIEF + 1.5
    assert changes == ["500ms"]


def test_what_runs_after_a_readers_page_waits_as_writes_do():
    """Outside a reader's request the connection's own wait holds again, in a transaction
    too (made local to it: a rollback cannot undo it) and after it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite readers never wait for a lock")
    article = ArticleFactory()
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 200
    with transaction.atomic():
        assert show_lock_timeout() == "3s"
    assert reader.get(article.get_absolute_url()).status_code == 200
    with contextlib.suppress(ZeroDivisionError), transaction.atomic():
        assert show_lock_timeout() == "3s"
        raise ZeroDivisionError
    assert show_lock_timeout() == "3s"
    with transaction.atomic():
        assert show_lock_timeout() == "3s"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's driver errors")
def test_a_server_shutting_down_at_the_first_statement_answers_as_a_database_error():
    """The brief lock wait is set through the driver's own cursor: a server that is shutting
    down there must still raise Django's OperationalError (the styled 503), not psycopg's
    own error (a 500)."""
    import psycopg
    from psycopg.pq import TransactionStatus

    class ShuttingDown:
        def execute(self, *args):
            raise psycopg.errors.AdminShutdown("terminating connection: administrator command")

    driver = SimpleNamespace(
        info=SimpleNamespace(transaction_status=TransactionStatus.IDLE),
        cursor=lambda: contextlib.nullcontext(ShuttingDown()),
    )
    context = {
        "connection": SimpleNamespace(
            connection=driver,
            newsroom_lock_wait=None,
            get_autocommit=lambda: True,
            wrap_database_errors=connection.wrap_database_errors,
        ),
    }
    token = _state.set(_Request(reading=True))
    try:
        with pytest.raises(OperationalError):
            lock_wait_for_statement(lambda *args: None, "SELECT 1", None, False, context)
    finally:
        _state.reset(token)
