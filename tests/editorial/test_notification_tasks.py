"""Workflow mail through the task backend: in-process after the commit by default, and with
the database backend stored in the transition's own transaction for `db_worker` to send."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from editorial import services
from tests.factories import EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """What `manage.py db_worker` does, once over everything waiting, then stops."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


# The worker closes its database connections between tasks: these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_the_mail_waits_for_a_worker_and_is_sent_once(settings):
    settings.TASKS = DATABASE_BACKEND
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter, title="Chà Cang bridge opens")
    services.article_submit(article=article, by=reporter)
    assert mail.outbox == []  # nothing is sent by the process that made the transition
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.task_path == "editorial.tasks.send_notification"
    assert waiting.status == TaskResultStatus.READY

    run_worker()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([editor.email], "Submitted for review: Chà Cang bridge opens")
    ]
    waiting.refresh_from_db()
    assert waiting.status == TaskResultStatus.SUCCESSFUL
    run_worker()  # a second worker pass finds nothing left to send
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transition_that_rolls_back_leaves_no_mail_behind(settings):
    settings.TASKS = DATABASE_BACKEND
    reporter = ReporterFactory()
    EditorFactory()
    article = article_by(reporter)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.article_submit(article=article, by=reporter)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after the transition")
    assert DBTaskResult.objects.count() == 0
    run_worker()
    assert mail.outbox == []


def test_by_default_the_mail_is_sent_in_process_after_the_commit(
    django_capture_on_commit_callbacks,
):
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(article=article, by=reporter)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert DBTaskResult.objects.count() == 0
