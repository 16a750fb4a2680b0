"""A picture's renditions are built by the task queue when it is saved (pictures/tasks.py),
so the first reader of a page finds them made: stored in the saving transaction with the
database backend for `db_worker`, run after the commit by default, retried when a build
fails, asked again when the focal point moves; a page that comes first makes them itself."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from live.models import LiveEntry
from pictures import renditions
from pictures.models import BodyImage
from pictures.renditions import RENDITIONS
from pictures.services import library_picture_create
from tests.factories import ArticleFactory, LiveCoverageFactory, UserFactory, jpeg

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK = "pictures.tasks.build_renditions"
# Each size of each place, for a picture large enough for every one of them.
EVERY_SIZE = sum(len(place.sizes) for place in RENDITIONS.values())


def run_worker():
    """What `manage.py db_worker` does, once over every task due now, then stops."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def time_passes():
    """Every waiting task is due."""
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def rendition_files_stored(settings) -> set[str]:
    folder = settings.MEDIA_ROOT / "cache"
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def another_process():
    """A process that has shown no picture yet (each keeps the renditions it used)."""
    renditions._known.clear()


def big_picture():
    return jpeg(2400, 1600)


def read_pages(client, article) -> list[dict]:
    """The article, its section and the home page, as a reader asks for them; the queries."""
    with CaptureQueriesContext(connection) as queries:
        for url in [article.get_absolute_url(), article.section.get_absolute_url(), "/"]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert b"/media/cache/" in response.content, url
    return queries.captured_queries


def kvstore_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "thumbnail_kvstore" in q["sql"]]


def test_by_default_a_saved_picture_has_its_renditions_made_after_the_commit(
    client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(image=big_picture())
    assert len(rendition_files_stored(settings)) == EVERY_SIZE
    assert DBTaskResult.objects.count() == 0  # run in this process, stored nowhere
    built = rendition_files_stored(settings)

    another_process()
    queries = read_pages(client, article)
    assert rendition_files_stored(settings) == built  # no reader made a rendition
    assert kvstore_queries(queries) == []  # sorl found each one in the cache, not the table


def test_without_the_task_the_first_reader_makes_the_renditions(client, settings):
    # The saving transaction never committed here, so no task ran: the page still shows its
    # picture, made on the spot (what a reader meets before the worker has run).
    article = ArticleFactory(image=big_picture())
    assert not (settings.MEDIA_ROOT / "cache").exists()
    queries = read_pages(client, article)
    assert rendition_files_stored(settings)
    assert kvstore_queries(queries)  # each new rendition written to sorl's table


# The worker closes its database connections between tasks: these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_the_task_is_stored_with_the_picture_and_run_by_the_worker(
    client, settings
):
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():  # as a service writes
        article = ArticleFactory(image=big_picture(), image_focal_x=30, image_focal_y=20)
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.task_path == TASK
    assert waiting.status == TaskResultStatus.READY
    assert waiting.task_result.kwargs == {
        "model": "articles.article",
        "field": "image",
        "name": article.image.name,
        "focal": [30, 20],
    }
    assert not (settings.MEDIA_ROOT / "cache").exists()  # nothing made by the saving process

    run_worker()
    waiting.refresh_from_db()
    assert waiting.status == TaskResultStatus.SUCCESSFUL
    built = rendition_files_stored(settings)
    assert len(built) == EVERY_SIZE

    another_process()
    queries = read_pages(client, article)
    assert rendition_files_stored(settings) == built
    assert kvstore_queries(queries) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_that_rolls_back_leaves_no_task_behind(settings):
    settings.TASKS = DATABASE_BACKEND
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(image=big_picture())
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after the save")
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_build_that_fails_is_tried_again_by_the_task_queue(settings, monkeypatch, client):
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        article = ArticleFactory(image=big_picture())
    real = renditions._make_renditions
    monkeypatch.setattr(renditions, "_make_renditions", lambda *args: ((), False))  # storage down

    run_worker()
    failed = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.FAILED)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_result.kwargs == {**failed.task_result.kwargs, "attempt": 1}
    assert retry.run_after > timezone.now()  # later, not at once
    run_worker()
    assert retry.status == TaskResultStatus.READY  # not due yet

    monkeypatch.setattr(renditions, "_make_renditions", real)
    time_passes()
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert len(rendition_files_stored(settings)) == EVERY_SIZE
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_with_the_worker_down_a_reader_still_gets_the_page_with_its_picture(client, settings):
    settings.TASKS = DATABASE_BACKEND
    article = ArticleFactory(image=big_picture())
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1  # waiting for a worker
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'srcset="/media/cache/' in html and 'width="800" height="533"' in html


def test_moving_the_focal_point_asks_for_the_renditions_again_and_other_edits_do_not(settings):
    settings.TASKS = DATABASE_BACKEND
    article = ArticleFactory(image=big_picture())
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1

    article = Article.objects.get(pk=article.pk)  # as the admin reads it
    article.title = "Mường Phăng festival opens"
    article.save()
    article.save(update_fields=["title"])
    Article.objects.only("pk", "title").get(pk=article.pk).save(update_fields=["title"])
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1

    article.image_focal_x, article.image_focal_y = 80, 10
    article.save()
    asked = [r.task_result.kwargs["focal"] for r in DBTaskResult.objects.order_by("enqueued_at")]
    assert asked == [[50, 50], [80, 10]]

    article.image = jpeg(1600, 1200, name="another.jpg")
    article.save()
    latest = DBTaskResult.objects.order_by("enqueued_at").last().task_result.kwargs
    assert latest["name"] == article.image.name != "another.jpg"


def test_a_library_picture_asks_for_its_renditions_too(settings):
    settings.TASKS = DATABASE_BACKEND
    picture = library_picture_create(
        image=big_picture(), description="Rice terraces", focal=(40, 60), by=UserFactory()
    )
    (waiting,) = DBTaskResult.objects.filter(task_path=TASK)
    assert waiting.task_result.kwargs == {
        "model": "pictures.bodyimage",
        "field": "image",
        "name": picture.image.name,
        "focal": [40, 60],
    }
    picture = BodyImage.objects.get(pk=picture.pk)
    picture.image_focal_x = 45
    picture.save()
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


def test_the_command_asks_for_every_published_picture_once(settings):
    settings.TASKS = DATABASE_BACKEND
    shown = ArticleFactory(image=big_picture())
    ArticleFactory(image=shown.image.name)  # the same file on a second story
    ArticleFactory(image=big_picture(), status=Article.Status.DRAFT)
    ArticleFactory()  # no picture
    DBTaskResult.objects.all().delete()

    call_command("build_renditions", verbosity=0)
    (asked,) = DBTaskResult.objects.filter(task_path=TASK)
    assert asked.task_result.kwargs["name"] == shown.image.name

    DBTaskResult.objects.all().delete()
    library_picture_create(image=big_picture(), description="Market", by=UserFactory())
    DBTaskResult.objects.all().delete()
    call_command("build_renditions", library=True, verbosity=0)
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


def test_a_live_entrys_picture_has_its_renditions_made_too(
    settings, django_capture_on_commit_callbacks
):
    coverage = LiveCoverageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        entry = LiveEntry.objects.create(
            coverage=coverage, picture=big_picture(), picture_alt="Crews at the landslide"
        )
    stem = entry.picture.name.rpartition(".")[0]
    made = {name for name in rendition_files_stored(settings) if name.startswith(stem + "/")}
    assert len(made) == EVERY_SIZE  # no focal point of its own: cut around the centre
