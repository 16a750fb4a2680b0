"""How errors are recorded and answered.

Every request carries a request id: the one nginx sent in `X-Request-ID` when
NEWSROOM_TRUST_REQUEST_ID says the proxy sets it (and it looks like an id), a new one
otherwise. It is echoed in the response's `X-Request-ID` header, stamped on every log
record written while the request runs, sent with error reports, and printed on the 500
and 503 pages, so a reader can quote it and an engineer can grep for it.

An error that comes from the database being unreachable, or from a bounded wait running
out (PostgreSQL's lock_timeout or statement_timeout, SQLite's busy timeout), is not a bug
of the page: it answers 503 with `Retry-After` and says that nothing was stored.

ADMINS are mailed at most once per kind of error per NEWSROOM_ERROR_MAIL_SECONDS in each
process (ThrottledAdminEmailHandler): an outage fails every request the same way, and one
mail per reader would bury the first. The log keeps every error.
"""

import copy
import datetime
import json
import logging
import re
import sys
import threading
import time
import traceback
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.log import AdminEmailHandler

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; other proxies use UUIDs. Anything else (too long,
# spaces, quotes, newlines that would forge a log line) is replaced by an id of our own.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
DATABASE_ERRORS = (OperationalError, InterfaceError)

_current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being answered in this thread, "-" outside a request."""
    return _current_request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request its id (first in MIDDLEWARE, so even a page served from the page
    cache carries the id of the request that asked for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = (
            request.headers.get(REQUEST_ID_HEADER, "") if settings.NEWSROOM_TRUST_REQUEST_ID else ""
        )
        request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else new_request_id()
        request.request_id = request_id
        token = _current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Stamps each log record with the current request id (`%(request_id)s`)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class RoutineTaskFilter(logging.Filter):
    """django-tasks writes each task's start and successful end at INFO: two lines for every
    task a change queues. They are made DEBUG records here, written only when the task
    logger is set to DEBUG (LOG_LEVEL=DEBUG, `db_worker -v 2`); a failure (ERROR, with the
    task's name and traceback) and anything above INFO pass as they are. A filter rather
    than the logger's level, which `manage.py db_worker` sets to INFO itself."""

    def filter(self, record):
        if record.levelno != logging.INFO:
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, request id, message, and for a
    request's error its method, path and status, with the traceback as one string."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        if getattr(record, "status_code", None) is not None:
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def sentry_before_send(event, hint):
    """Error reports carry the request id a reader can quote from the error page."""
    request_id = current_request_id()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def start_error_tracker() -> bool:
    """Send errors to Sentry (or a Sentry-compatible tracker) when SENTRY_DSN is set; no
    reader's address, cookies or form data are sent (sentry-sdk's default)."""
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        integrations=[DjangoIntegration()],
        traces_sample_rate=0.0,
        before_send=sentry_before_send,
    )
    return True


# kind of error -> (when it was last mailed, how many of that kind were held back since)
_mailed: dict[tuple, tuple[float, int]] = {}
_mailed_lock = threading.Lock()


def error_kind(record: logging.LogRecord) -> tuple:
    """What makes two error records the same error: the exception's type and the line that
    raised it, else the message's template (its arguments, such as the path, aside)."""
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        frames = traceback.extract_tb(error.__traceback__)
        where = (frames[-1].filename, frames[-1].lineno) if frames else ()
        return (type(error).__module__, type(error).__qualname__, *where)
    return (record.name, str(record.msg))


def forget_mailed_errors() -> None:
    """Start counting afresh (tests)."""
    with _mailed_lock:
        _mailed.clear()


class ThrottledAdminEmailHandler(AdminEmailHandler):
    """Django's mail to ADMINS, sent at most once per kind of error (error_kind) per
    NEWSROOM_ERROR_MAIL_SECONDS in this process (0: every error). The next mail of a kind
    says how many like it were held back."""

    def emit(self, record):
        window = settings.NEWSROOM_ERROR_MAIL_SECONDS
        kind, now = error_kind(record), time.monotonic()
        with _mailed_lock:
            last = _mailed.get(kind)
            if window and last is not None and now - last[0] < window:
                _mailed[kind] = (last[0], last[1] + 1)
                return
            held = last[1] if last else 0
            _mailed[kind] = (now, 0)
        if held:
            record = copy.copy(record)
            record.msg = (
                f"{record.msg}\n\n{held} more error(s) like this one were not mailed in the "
                f"{window} s before it (NEWSROOM_ERROR_MAIL_SECONDS); the log has every one."
            )
        super().emit(record)


def _request_id_of(request) -> str:
    return getattr(request, "request_id", None) or current_request_id()


def database_unavailable(request) -> HttpResponse:
    """The styled 503: the database did not answer in time. A form that was sent is named
    as not stored, with its text shown back so nothing the person wrote is lost."""
    retry_after = settings.NEWSROOM_RETRY_AFTER_SECONDS
    context = {
        "request_id": _request_id_of(request),
        "retry_minutes": max(1, -(-retry_after // 60)),
        "was_sent": request.method == "POST",
        "sent_texts": _sent_texts(request) if request.method == "POST" else [],
    }
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(retry_after)
    # Neither nginx nor a browser may keep this answer in place of the page.
    response["Cache-Control"] = "no-store"
    return response


# Text a person wrote (a value with a space in it, or a long one) is handed back; never
# secrets, and not the admin's own hidden fields (`_save`, `_continue`).
_SECRET_FIELD = re.compile(r"pass|token|csrf|secret|key", re.IGNORECASE)


def _sent_texts(request) -> list[str]:
    try:
        data = request.POST
    except Exception:  # an unreadable body has no text to give back
        return []
    return [
        value
        for name, values in data.lists()
        if not _SECRET_FIELD.search(name) and not name.startswith("_")
        for value in values
        if len(value) >= 40 or " " in value.strip()
    ]


def server_error(request) -> HttpResponse:
    """handler500: the styled 500 page with the request id, or the 503 when the error is
    the database's (connection lost, a lock or statement timeout, SQLite busy)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": _request_id_of(request)}))
