"""Page parts a page can go without while their table is locked.

A lock that stops readers (PostgreSQL's ACCESS EXCLUSIVE: a `LOCK TABLE`, most `ALTER
TABLE`s of a migration) must not hold readers behind it. So:

- Reads wait briefly. In a GET or HEAD request every statement waits for a lock at most
  DATABASE_READ_LOCK_TIMEOUT (0.25 s), against the DATABASE_LOCK_TIMEOUT (3 s) writes wait.
  Each PostgreSQL connection remembers the wait its session has and changes it before a
  statement that needs the other (lock_wait_for_statement): readers' requests one after
  another keep the brief wait and send nothing for it, and the first statement after
  them outside a reader's request (a POST, a command) has the writers' wait back first.
  A part read outside such a request (the page a failed form post shows again) waits as
  briefly, for the part's statements only.
- A part the page can do without (the comments under an article, the comment counts on
  cards) reads through `part()`: when its lock wait runs out, the page is answered without
  it, with what `missing()` gives in its place ("The comments cannot be shown for a
  moment"). After one part of a request has waited in vain, later parts of the same
  request give up at once: one brief wait per request, however many parts read the locked
  table. Any other read that meets the lock answers the styled 503 (core/errors.py), after
  the brief wait.
- An incomplete page is kept nowhere: the response says `Cache-Control: no-store`, so the
  page cache, nginx and browsers keep none of it, and no kept fragment built while a part
  was missing is stored (`missing_count()` tells them). The next request renders the page
  again, whole once the lock is gone.

A listing can do without some of its columns the same way: `OptionalColumnsQuerySet.optional`
names annotations (a count over another table) that are read as NULL when their table is
locked, the rows themselves still being read.

Only a lock wait running out counts as missing. Any other database error (a server that is
down, a statement timeout) is raised as before. Inside a transaction (the admin's change
views, tests) a part is read like anything else: a lock error there would break the whole
transaction, so it is not caught.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, models
from django.utils.cache import patch_cache_control
from psycopg.pq import TransactionStatus

from core.routers import REPLICA_DB_ALIAS, ROUTER

T = TypeVar("T")

# PostgreSQL's lock_not_available: lock_timeout ran out (or a NOWAIT lock was refused).
LOCK_NOT_AVAILABLE = "55P03"
READ_METHODS = ("GET", "HEAD")


@dataclass
class _Request:
    missing: int = 0  # parts answered without their data in this request
    depth: int = 0  # nesting of parts
    # In a request, a part after one that waited in vain gives up at once; outside one (a
    # command, a shell) the state lasts as long as the thread, so each part tries.
    in_request: bool = True
    # A GET or HEAD: every statement waits briefly (see lock_wait_for_statement).
    reading: bool = False


_state: ContextVar[_Request | None] = ContextVar("page_parts", default=None)


def _current() -> _Request:
    state = _state.get()
    if state is None:
        # Outside a request (a management command, a test calling a tag): its own state.
        state = _Request(in_request=False)
        _state.set(state)
    return state


def missing_count() -> int:
    """How many parts the page being answered was given without their data (so far). A
    kept fragment compares it before and after building: a rise means it is incomplete."""
    return _current().missing


def is_lock_timeout(error: BaseException) -> bool:
    """Whether `error` is a lock wait that ran out (PostgreSQL's lock_timeout, SQLite's
    busy timeout), rather than any other database error."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(error) or "database table is locked" in str(error)


def part(build: Callable[[], T], *, missing: Callable[[], T]) -> T:
    """`build()`, its reads waiting at most DATABASE_READ_LOCK_TIMEOUT for a lock; when that
    runs out (or ran out for an earlier part of this request), `missing()` instead, and the
    page is marked incomplete (never stored, `Cache-Control: no-store`)."""
    state = _current()
    if any(connections[alias].in_atomic_block for alias in _read_aliases()):
        return build()
    if state.missing and state.in_request:
        state.missing += 1
        return missing()
    # Its statements wait briefly (lock_wait_for_statement), in a request that writes too.
    state.depth += 1
    try:
        return build()
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        state.missing += 1
        return missing()
    finally:
        state.depth -= 1


def _read_aliases() -> list[str]:
    """The databases a page's reads may go to: the primary, and the replica when the router
    sends readers there (core/routers.py)."""
    if ROUTER in settings.DATABASE_ROUTERS:
        return [DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS]
    return [DEFAULT_DB_ALIAS]


def _brief() -> str:
    return f"{max(1, round(settings.DATABASE_READ_LOCK_TIMEOUT * 1000))}ms"


def _wanted_wait() -> str | None:
    """The lock wait the next statement of this thread should have: the brief one in a GET
    or HEAD request and inside a part, None (the connection's own, DATABASE_LOCK_TIMEOUT)
    anywhere else."""
    state = _state.get()
    if state is None or not (state.reading or state.depth):
        return None
    return _brief() if settings.DATABASE_READ_LOCK_TIMEOUT else None


def _set_wait(cursor, wait: str | None, *, local: bool) -> None:
    """Give the session (or, `local`, the transaction the statement begins) the lock wait
    `wait`, None being the one the connection was opened with."""
    if wait is not None:
        cursor.execute("SELECT set_config('lock_timeout', %s, %s)", [wait, local])
    elif local:
        cursor.execute(
            "SELECT set_config('lock_timeout', reset_val, true) FROM pg_settings "
            "WHERE name = 'lock_timeout'"
        )
    else:
        cursor.execute("RESET lock_timeout")


def lock_wait_for_statement(execute, sql, params, many, context):
    """Every PostgreSQL connection's execute wrapper (installed when it opens): before a
    statement, the session's lock wait becomes the one the statement should have
    (_wanted_wait) if it has another.

    The connection remembers the wait its session has, so a change costs a round trip only
    when the kind of work on the connection changes: a reader's requests one after another
    make none (the session keeps the brief wait between them), the first write after them
    (a POST, a command, a test) makes one, back to the connection's own. Inside a
    transaction a SET would be undone by its rollback, so the change is made local to the
    transaction, at its first statement, and the session keeps the wait it had."""
    connection = context["connection"]
    wanted = _wanted_wait()
    if getattr(connection, "newsroom_lock_wait", None) != wanted:
        driver = connection.connection
        if driver.info.transaction_status == TransactionStatus.IDLE:
            # A cursor of the driver's own (the statement's may be a named, server-side one):
            # not through the wrappers (nor counted as a query), but its errors as Django's
            # (a server shutting down is an OperationalError, the 503).
            with connection.wrap_database_errors, driver.cursor() as cursor:
                if connection.get_autocommit():
                    _set_wait(cursor, wanted, local=False)
                    connection.newsroom_lock_wait = wanted
                else:
                    # This statement begins the transaction: the wait lasts as long as it.
                    _set_wait(cursor, wanted, local=True)
    return execute(sql, params, many, context)


def install_lock_waits(sender, connection, **kwargs):
    """connection_created: a new PostgreSQL connection has the wait it was opened with, and
    the wrapper that changes it as its statements need (lock_wait_for_statement)."""
    if connection.vendor != "postgresql":
        return
    connection.newsroom_lock_wait = None
    if lock_wait_for_statement not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, lock_wait_for_statement)


class IncompletePagesMiddleware:
    """Each request starts with every part present. In a GET or HEAD every read waits
    briefly for a lock (lock_wait_for_statement), the page cache's version check included.
    A response given without a part says `Cache-Control: no-store`, so neither nginx nor a
    browser keeps it (the page cache, inside, checks missing_count())."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _state.set(_Request(reading=request.method in READ_METHODS))
        try:
            response = self.get_response(request)
            if _state.get().missing:
                patch_cache_control(response, no_store=True, no_cache=True, private=True)
                for directive in ("public", "s-maxage", "max-age"):
                    _drop_directive(response, directive)
            return response
        finally:
            _state.reset(token)


def _drop_directive(response, name: str) -> None:
    value = response.get("Cache-Control", "")
    kept = [d for d in value.split(",") if d.strip() and d.strip().split("=")[0] != name]
    response["Cache-Control"] = ", ".join(d.strip() for d in kept)


class OptionalColumnsQuerySet(models.QuerySet):
    """A queryset some of whose annotations are page parts (`optional(...)`): when the
    table one of them reads is locked past the brief wait, the rows are read with those
    columns as None instead, and the page is marked incomplete (see part())."""

    _optional_columns: tuple[str, ...] = ()

    def optional(self, *names: str):
        """Mark the annotations `names` as columns the rows can be read without."""
        clone = self._chain()
        clone._optional_columns = (*self._optional_columns, *names)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._optional_columns = self._optional_columns
        return clone

    def _fetch_all(self):
        if self._result_cache is None and self._optional_columns:
            self._result_cache = part(
                lambda: list(self._iterable_class(self)),
                missing=lambda: list(self._iterable_class(self._without_optional_columns())),
            )
        super()._fetch_all()

    def _without_optional_columns(self):
        clone = self._chain()
        clone.query = _nulled(self.query, self._optional_columns)
        return clone


def _nulled(query, names):
    """A copy of `query` with the annotations `names` replaced by NULL (in every query of a
    UNION too)."""
    query = query.clone()
    for name in names:
        if name in query.annotations:
            field = query.annotations[name].output_field
            query.annotations[name] = models.Value(None, output_field=field)
    query.combined_queries = tuple(_nulled(q, names) for q in query.combined_queries)
    return query
