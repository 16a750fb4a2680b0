"""Shared caches in front of the nodes are told of every change (pagecache/shared.py): pages
may then be kept for minutes, never past the next scheduled change, and only the short
window applies while a change is untold."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pagecache import shared
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CACHES = ["http://10.0.0.5:6081/", "http://10.0.0.6:6081/"]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FakeCaches:
    """The transport: records what each cache was told; refuses while `down`."""

    def __init__(self):
        self.told, self.down = [], False

    def __call__(self, address, version):
        if self.down:
            raise ConnectionRefusedError(f"{address} refused the connection")
        self.told.append((address, version))


@pytest.fixture
def caches(monkeypatch, page_cache_on):
    fake = FakeCaches()
    monkeypatch.setattr(shared, "transport", fake)
    return fake


@pytest.fixture
def told(settings, caches):
    settings.NEWSROOM_SHARED_CACHE_PURGE_URLS = CACHES
    settings.NEWSROOM_SHARED_CACHE_TOLD_SECONDS = 300
    return caches


def shared_seconds(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def page_version(response) -> str:
    """The site version's part of the page's ETag, as deploy/varnish.vcl reads it."""
    return re.fullmatch(r'W/"([0-9a-f]+)\.\d+"', response["ETag"]).group(1)


def test_with_no_shared_cache_configured_nothing_is_sent_and_pages_keep_one_second(
    client, caches, commit
):
    commit(lambda: ArticleFactory(title="Chà Cang bridge reopens"))
    response = client.get("/")
    assert "Chà Cang bridge reopens" in response.content.decode()
    assert shared_seconds(response) == 1
    assert caches.told == []


def test_a_change_tells_every_shared_cache_its_version_after_the_commit(client, told, commit):
    def publish():
        ArticleFactory(title="Mường Nhé roads reopen")
        assert told.told == []  # not before the commit

    commit(publish)
    response = client.get("/")
    assert told.told == [(address, page_version(response)) for address in CACHES]
    assert shared_seconds(response) == 300
    assert response["X-Page-Cache"] == "miss"
    # Kept by the page cache, the page says what holds when it is served.
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert shared_seconds(hit) == 300


def test_several_changes_in_one_transaction_are_told_once(told, commit):
    commit(lambda: [ArticleFactory() for _ in range(3)])
    assert len(told.told) == len(CACHES)


def test_a_change_that_rolls_back_tells_nothing(told, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ArticleFactory()
        raise RuntimeError("the request failed")
    assert told.told == []


def test_a_told_page_is_kept_no_longer_than_the_next_scheduled_change(client, told, commit):
    in_100_s = timezone.now() + datetime.timedelta(seconds=100)
    commit(lambda: ArticleFactory(title="Goes live in 100 s", published_at=in_100_s))
    response = client.get("/")
    assert "Goes live in 100 s" not in response.content.decode()
    assert 95 <= shared_seconds(response) <= 100


def run_worker():
    """What `manage.py db_worker` does, once over every task due now, then stops."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def time_passes():
    """Every waiting task is due."""
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))


# The worker closes its database connections between tasks: these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cache_that_cannot_be_told_is_told_by_the_task_queue_and_meanwhile_pages_keep_one_second(  # noqa: E501
    client, settings, told
):
    settings.TASKS = DATABASE_BACKEND
    told.down = True
    with transaction.atomic():  # as a service writes
        ArticleFactory(title="Tủa Chùa tea fair opens")
    # Told after the commit, by this process: refused.
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.task_path == "pagecache.shared.tell_shared_caches"
    assert waiting.run_after > timezone.now()  # once every node reads the new version
    assert shared_seconds(client.get("/")) == 1

    time_passes()
    run_worker()  # still down: this attempt fails, the next is stored
    waiting.refresh_from_db()
    assert waiting.status == TaskResultStatus.FAILED
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_result.kwargs == {"attempt": 1}
    assert told.told == []
    assert shared_seconds(client.get("/")) == 1

    told.down = False
    time_passes()
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    response = client.get("/")
    assert told.told == [(address, page_version(response)) for address in CACHES]
    assert shared_seconds(response) == 300
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_a_change_is_told_at_once_and_again_by_the_worker(
    client, settings, told
):
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        ArticleFactory()
    version = page_version(client.get("/"))
    assert told.told == [(address, version) for address in CACHES]  # by this process
    time_passes()
    run_worker()
    assert told.told == [(address, version) for address in CACHES] * 2
