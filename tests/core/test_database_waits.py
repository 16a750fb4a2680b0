"""A write that meets a lock held elsewhere waits a bounded time, then answers the styled
503 with Retry-After, with nothing of it stored; once the lock is gone the same write goes
through. On PostgreSQL the wait is lock_timeout, set per connection; on SQLite the busy
timeout. The lock is held from a second connection, as a long transaction, a migration or
an operator's LOCK TABLE would."""

import contextlib
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.editorial.admin_forms import change_form_data
from tests.factories import ArticleFactory, EditorFactory

# Committed rows: the lock holder is another connection. serialized_rollback: see
# tests/comments/test_concurrency.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 0.5  # seconds, in place of the configured DATABASE_LOCK_TIMEOUT


@pytest.fixture
def short_lock_wait():
    """The site's connection, reconnected with a short lock wait set the way settings set
    the configured one (connection options, not a SET in the code under test)."""
    settings_dict = connection.settings_dict
    original = settings_dict.get("OPTIONS", {})
    options = dict(original)
    if connection.vendor == "postgresql":
        options["options"] = options["options"].replace(
            "-c lock_timeout=3000", f"-c lock_timeout={round(WAIT * 1000)}"
        )
        assert options["options"] != original["options"]
    else:
        options["timeout"] = WAIT
        options["init_command"] = original["init_command"].replace(
            "busy_timeout=10000", f"busy_timeout={round(WAIT * 1000)}"
        )
        assert options["init_command"] != original["init_command"]
    connection.close()
    settings_dict["OPTIONS"] = options
    yield
    connection.close()
    settings_dict["OPTIONS"] = original


@contextlib.contextmanager
def table_locked(table: str):
    """Another connection holds a lock that stops writes to `table` (on SQLite, to the
    database: its only lock) until the block ends. Reads go on."""
    holder = connections.create_connection("default")
    try:
        holder.connect()
        with holder.cursor() as cursor:
            if holder.vendor == "postgresql":
                cursor.execute("BEGIN")
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            else:
                cursor.execute("BEGIN IMMEDIATE")
            yield
            cursor.execute("ROLLBACK")
    finally:
        holder.close()


def comment_form(body):
    return {"name": "Nguyễn Văn An", "email": "an@example.com", "body": body, "website": ""}


def test_configured_lock_and_statement_timeouts_reach_every_postgresql_connection():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("3s",)
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("15s",)


def test_a_comment_meeting_a_held_lock_answers_503_soon_and_stores_nothing(short_lock_wait):
    article = ArticleFactory()
    url = reverse("comments:create", kwargs={"slug": article.slug})
    body = "Đường lên Mường Phăng đã được sửa xong, cảm ơn tòa soạn."
    reader = Client(raise_request_exception=False)
    with table_locked(Comment._meta.db_table):
        started = time.monotonic()
        response = reader.post(url, comment_form(body), REMOTE_ADDR="203.0.113.9")
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "What you sent was not stored" in html
    assert body in html  # the reader's text handed back
    assert WAIT <= waited < WAIT + 5
    assert Comment.objects.count() == 0

    again = reader.post(url, comment_form(body), REMOTE_ADDR="203.0.113.9")
    assert again.status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == [body]


def test_an_editors_save_meeting_a_held_lock_is_told_it_was_not_stored(short_lock_wait):
    editor = EditorFactory()
    article = ArticleFactory(title="Before the lock")
    url = reverse("admin:articles_article_change", args=[article.pk])
    desk = Client(raise_request_exception=False)
    desk.force_login(editor)
    form = change_form_data(desk.get(url), title="Written while the table was locked")
    with table_locked(Article._meta.db_table):
        response = desk.post(url, form)
    assert response.status_code == 503
    assert "What you sent was not stored" in response.content.decode()
    assert "Written while the table was locked" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Before the lock"

    saved = desk.post(url, form)
    assert saved.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Written while the table was locked"


def test_a_statement_running_past_the_statement_timeout_is_cancelled():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no statement timeout")
    from django.db import OperationalError

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '200ms'")
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(3)")
        assert time.monotonic() - started < 2
        cursor.execute("RESET statement_timeout")
