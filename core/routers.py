"""Reads from a read replica, writes to the primary (installed when DATABASE_REPLICA_URL is set).

The `replica` alias is a streaming copy of `default`, so it lags behind it: a row committed
on the primary appears there a moment later (milliseconds on a healthy pair, longer under
load or after a network hiccup). Reads that must see the latest committed data therefore
stay on the primary:

- every read while `default` is inside a transaction (`transaction.atomic()`,
  `select_for_update()`, the services that lock a row and then read, the admin's change and
  delete views, which Django runs in a transaction): the transaction must read what it
  writes and lock what it reads;
- every read of a request that may follow a write of its own (PrimaryReadsMiddleware): an
  unsafe method (POST, ...), a session cookie (staff: readers never sign in; a session just
  created at sign-in is not on the replica yet) or a pending flash message (the page a
  reader is sent to after posting a comment);
- everything inside `primary_reads()`;
- the task queue (django-tasks' database backend): a worker must see the task a node just
  stored, and lock it;
- every read while the replica cannot be reached. A connection to it that fails (the
  standby stopped, restarting, or not answering within DATABASE_REPLICA_CONNECT_TIMEOUT)
  marks it unreachable for NEWSROOM_REPLICA_RETRY_SECONDS: reads go to the primary
  meanwhile, and the first request after that tries the replica again. The reader's
  request that met the failure is read again from the primary (PrimaryReadsMiddleware),
  so a stopped standby costs readers no error page. Its engine, `core.replica_db`, is
  PostgreSQL's, telling this module when a connection fails.

What is left goes to the replica: anonymous readers' pages, feeds and sitemaps, and
management commands' reads outside a transaction. Such a read can be as old as the
replica's lag. The page cache (pagecache/middleware.py) must not keep such a page under a
newer content version, so each content version records the primary's WAL position when it
began (`primary_position`), and a page or shared fragment built for that version reads the
primary until the replica has replayed up to it (`reads_as_new_as`).
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import HttpResponse

REPLICA_DB_ALIAS = "replica"
ROUTER = "core.routers.PrimaryReplicaRouter"

logger = logging.getLogger(__name__)

_primary_reads = ContextVar("primary_reads", default=False)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Send every read inside the block to the primary (read-your-writes)."""
    token = _primary_reads.set(True)
    try:
        yield
    finally:
        _primary_reads.reset(token)


# When the replica may be tried again (time.monotonic()), and how many of its connections
# failed in this process: one process's view, like its connections.
_unreachable = {"until": 0.0, "failures": 0}


def replica_unreachable() -> None:
    """A connection to the replica failed: read from the primary for the next
    NEWSROOM_REPLICA_RETRY_SECONDS. Logged once per outage, not once per request."""
    now = time.monotonic()
    if _unreachable["until"] <= now:
        logger.warning(
            "The read replica cannot be reached: reading from the primary for %s s",
            settings.NEWSROOM_REPLICA_RETRY_SECONDS,
        )
    _unreachable["until"] = now + settings.NEWSROOM_REPLICA_RETRY_SECONDS
    _unreachable["failures"] += 1


def replica_reachable() -> bool:
    """False while a failed connection to the replica is recent (see replica_unreachable)."""
    return _unreachable["until"] <= time.monotonic()


def forget_replica_failures() -> None:
    """Try the replica again at once (tests, and after an operator brought it back)."""
    _unreachable["until"] = 0.0


# Apps whose rows are read from the primary only (see above).
PRIMARY_ONLY_APPS = frozenset({"django_tasks_database"})


class PrimaryReplicaRouter:
    """`default` takes writes, migrations and the reads above; `replica` the other reads."""

    def db_for_read(self, model, **hints):
        if (
            _primary_reads.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block
            or not replica_reachable()
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows, so objects read from either may be related.
        aliases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS


class PrimaryReadsMiddleware:
    """Read from the primary for the whole of a request that may follow its own write."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.reads_own_writes(request):
            with primary_reads():
                return self.get_response(request)
        failures = request._replica_failures = _unreachable["failures"]
        response = self.get_response(request)
        if response.status_code >= 500 and _unreachable["failures"] != failures:
            # The replica went away under this reader's page (a safe request: reading it
            # twice changes nothing); the primary answers it instead of an error page.
            with primary_reads():
                return self.get_response(request)
        return response

    def process_exception(self, request, exception):
        """A view (or its template) that failed because the replica could not be reached
        answers a bare 503 here, which __call__ replaces with the primary's page: the
        failure is not logged as an error (nor sent to the admins), since the reader gets
        the page; the outage itself is logged once, by replica_unreachable()."""
        failures = getattr(request, "_replica_failures", None)
        if failures is None or _unreachable["failures"] == failures:
            return None
        if not isinstance(exception, DatabaseError):
            return None
        return HttpResponse(status=503)

    @classmethod
    def reads_own_writes(cls, request) -> bool:
        return (
            request.method not in cls.SAFE_METHODS
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        )


def records_positions() -> bool:
    """Whether versions record the primary's WAL position: PostgreSQL with the router
    installed (a read replica)."""
    return (
        ROUTER in settings.DATABASE_ROUTERS and connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
    )


def primary_position() -> str | None:
    """The primary's current WAL position (PostgreSQL with the router installed), else None."""
    if not records_positions():
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        # The insert position: it covers a commit record not yet written out (with
        # synchronous_commit off, the write position may lag behind it).
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


# The position this process last saw the replica reach: a standby only moves forward, so a
# version recorded at or before it needs no question to the replica.
_confirmed = {"position": None}


def _lsn(position: str) -> int:
    high, low = position.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def replica_has_caught_up(position: str) -> bool:
    """Whether the replica has replayed the primary's WAL up to `position`. A server that is
    not a standby (a test mirror) is as new as itself; an unreachable one is not."""
    confirmed = _confirmed["position"]
    if confirmed is not None and _lsn(position) <= _lsn(confirmed):
        return True
    try:
        with connections[REPLICA_DB_ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, NOT pg_is_in_recovery())",
                [position],
            )
            caught_up = bool(cursor.fetchone()[0])
    except DatabaseError:
        return False
    if caught_up:
        _confirmed["position"] = position
    return caught_up


@contextmanager
def reads_as_new_as(position: str | None) -> Iterator[None]:
    """Inside the block, read data at least as new as the primary's `position`: from the
    replica once it has replayed that far, else from the primary."""
    if position is not None and not _primary_reads.get() and not replica_has_caught_up(position):
        with primary_reads():
            yield
    else:
        yield
