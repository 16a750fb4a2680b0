"""The shared caches in front of the nodes (Varnish in the cluster, a CDN), told when what
readers see changes: they may keep a page for minutes, and a story taken down still leaves
them within a second.

Every change starts a new site version (pagecache.registry.changed). With addresses to tell
(NEWSROOM_SHARED_CACHE_PURGE_URLS), the change's transaction also

- stores the task tell_shared_caches, run a moment later (NEWSROOM_VERSION_CHECK_SECONDS
  and SETTLE_SECONDS: once every node reads the new version). With the database backend it
  is written in the change's own transaction, so it exists exactly when the change
  committed; it tells the caches again, for a cache that cannot check versions itself (a
  CDN) and may have kept a copy that a node still on the old version made after the first
  tell;
- and, right after the commit, the process that made the change tells them itself, so a
  takedown waits for no worker.

Telling is one request per address: `BAN <address>` with `X-Content-Version:` the first 16
characters of the site version's token, which begin every page's ETag. deploy/varnish.vcl
bans every page of another version and from then on keeps only pages of that one, so a
page a node still on the old version answers is shown but not kept. Every change bans every
page, as the app's own page cache keys every page on the one site version: any publication
changes the Recent news box on all of them.

A tell that fails (a cache down or unreachable) is retried by the task queue (RETRY_SECONDS
apart). Until one succeeds the site version is "untold" (pagecache.versions.TOLD, read with
it) and pages carry the short s-maxage (NEWSROOM_SHARED_CACHE_SECONDS). A told page may be
kept NEWSROOM_SHARED_CACHE_TOLD_SECONDS, never past the next scheduled change (a story
going live or leaving at a set time, with no write): the cache lets it go on time, told of
nothing. With no addresses nothing is sent, and every page carries the short s-maxage.
"""

import logging
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pagecache import versions

logger = logging.getLogger(__name__)

# Per address: a cache that does not answer in this time is told again by the task queue.
TIMEOUT_SECONDS = 2
# After NEWSROOM_VERSION_CHECK_SECONDS, the time a page a node made from the old version
# takes to reach the cache.
SETTLE_SECONDS = 0.5
# Between the attempts of a tell that failed; after the last the version stays untold (the
# short s-maxage) until the next change is told.
RETRY_SECONDS = (1, 2, 4, 8, 15, 30, *(60,) * 15)


def shared_max_age(current: versions.SiteVersion, now=None) -> int:
    """The s-maxage of a page made for the site version `current`."""
    if not settings.NEWSROOM_SHARED_CACHE_PURGE_URLS or current.untold:
        return settings.NEWSROOM_SHARED_CACHE_SECONDS
    seconds = settings.NEWSROOM_SHARED_CACHE_TOLD_SECONDS
    if current.next_change is not None:
        # Rounded down: the cache lets the page go at, or just before, the change.
        left = (current.next_change - (now or timezone.now())).total_seconds()
        seconds = min(seconds, max(int(left), 0))
    return seconds


def http_ban(address: str, version: str) -> None:
    """Tell the cache at `address` (deploy/varnish.vcl) of `version`; an OSError unless it
    answers 2xx."""
    request = urllib.request.Request(address, method="BAN", headers={"X-Content-Version": version})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
        answer.read()


# How one cache is told: `transport(address, version)`, raising OSError when it was not.
# A CDN's purge API is called here instead (docs/scaling.md gives the requests).
transport = http_ban


def tell() -> list[str]:
    """Tell every shared cache the site version the primary has now; the addresses that
    could not be told. When all were, the version is recorded as told."""
    token = versions.site_token()
    failed = []
    for address in settings.NEWSROOM_SHARED_CACHE_PURGE_URLS:
        try:
            transport(address, token[:16])
        except OSError as error:
            logger.warning("Could not tell the shared cache at %s: %s", address, error)
            failed.append(address)
    if not failed:
        versions.record(versions.TOLD, token)
        versions.forget()
    return failed


class SharedCacheNotTold(Exception):
    """A shared cache could not be told of the current site version."""


@task()
def tell_shared_caches(attempt: int = 0) -> str:
    """Tell the shared caches the current site version; when one cannot be, try again later
    (a backend that runs tasks later, such as the database's) and fail this attempt."""
    if attempt and versions.site_token() == versions.told_token():
        return "told already"
    failed = tell()
    if not failed:
        return "told"
    if attempt < len(RETRY_SECONDS) and tell_shared_caches.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=RETRY_SECONDS[attempt])
        tell_shared_caches.using(run_after=run_after).enqueue(attempt=attempt + 1)
    raise SharedCacheNotTold(f"not told: {', '.join(failed)}")


def changed() -> None:
    """In the transaction of a change to what readers see: the shared caches are told of it
    after the commit (and not at all if it rolls back). Once per transaction."""
    if not settings.NEWSROOM_SHARED_CACHE_PURGE_URLS:
        return
    connection = transaction.get_connection()
    if any(callback in (_tell, _enqueue) for _, callback, _ in connection.run_on_commit):
        return
    if tell_shared_caches.get_backend().supports_defer:
        settle = settings.NEWSROOM_VERSION_CHECK_SECONDS + SETTLE_SECONDS
        tell_shared_caches.using(run_after=timezone.now() + timedelta(seconds=settle)).enqueue()
        transaction.on_commit(_tell, robust=True)
    else:
        # Run in this process (the embedded default): the task itself, after the commit.
        transaction.on_commit(_enqueue, robust=True)


def _tell() -> None:
    tell()  # one that failed is told by the task stored with the change


def _enqueue() -> None:
    tell_shared_caches.enqueue()
