"""What the tasks write to the log, as the logging settings configure it: nothing for a task
that starts and ends as it should (a line at DEBUG, for whoever asks for it), an ERROR with
the task's name, its traceback and the request id for one that fails — in the process that
runs it itself and in `manage.py db_worker` alike."""

import io
import json
import logging

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django_tasks import task

from core.errors import JSONFormatter, RequestIdMiddleware

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_LOGGERS = ("django_tasks", "django_tasks_db")


@task()
def routine() -> str:
    return "done"


@task()
def broken() -> None:
    raise RuntimeError("the task broke on purpose")


@pytest.fixture
def log_lines():
    """What the configured stderr handler writes, as JSON lines (the production format), with
    the task loggers at their configured levels (db_worker sets its own: other tests ran it)."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "stderr"]
    stream, formatter = io.StringIO(), handler.formatter
    previous = handler.setStream(stream)
    handler.setFormatter(JSONFormatter())
    levels = {name: logging.getLogger(name).level for name in TASK_LOGGERS}
    for name in TASK_LOGGERS:
        configured = django_settings.LOGGING["loggers"].get(name, {}).get("level", "NOTSET")
        logging.getLogger(name).setLevel(configured)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)
        handler.setFormatter(formatter)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def task_lines(lines):
    return [line for line in lines if line["logger"] == "django_tasks"]


def in_a_request(enqueue) -> str:
    """Run `enqueue` while a request is answered; the request's id."""

    def view(request):
        enqueue()
        return HttpResponse("ok")

    return RequestIdMiddleware(view)(RequestFactory().get("/"))["X-Request-ID"]


def test_a_task_that_starts_and_succeeds_writes_no_line(log_lines):
    result = routine.enqueue()
    assert result.return_value == "done"
    assert task_lines(log_lines()) == []


def test_a_task_that_fails_is_an_error_with_its_name_traceback_and_request_id(log_lines):
    request_id = in_a_request(broken.enqueue)
    (line,) = task_lines(log_lines())
    assert line["level"] == "ERROR"
    assert "path=tests.core.test_task_logs.broken state=FAILED" in line["message"]
    assert line["request_id"] == request_id
    assert "RuntimeError: the task broke on purpose" in line["exception"]


def test_with_log_level_debug_a_routine_task_is_written_at_debug(log_lines):
    logger = logging.getLogger("django_tasks")
    logger.setLevel(logging.DEBUG)
    routine.enqueue()
    lines = task_lines(log_lines())
    assert {line["level"] for line in lines} == {"DEBUG"}
    assert any(
        "path=tests.core.test_task_logs.routine state=SUCCESSFUL" in line["message"]
        for line in lines
    )


# The worker closes its database connections between tasks: these commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_writes_one_error_for_a_failed_task_and_nothing_for_a_routine_one(
    settings, log_lines
):
    settings.TASKS = DATABASE_BACKEND
    routine.enqueue()
    broken.enqueue()
    # As deploy/cluster.py and docs/production.md run it (verbosity 1 sets the task
    # loggers to INFO).
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=1)
    (line,) = task_lines(log_lines())
    assert line["level"] == "ERROR"
    assert "path=tests.core.test_task_logs.broken state=FAILED" in line["message"]
    assert "RuntimeError: the task broke on purpose" in line["exception"]
