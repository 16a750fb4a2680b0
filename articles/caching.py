"""Whole-page caching for anonymous readers that never serves stale news.

Every cached page is stored under the current *content version*. Any change to what the
public can see (an article, section, author, tag, byline or comment saved or deleted) makes a
new version after the transaction commits, so every page — article, home, sections, tags,
authors, feeds, sitemaps and every Recent news sidebar — is rebuilt on its next request.
A scheduled article needs no write to go live, so the version also carries the time of the
next scheduled publication and expires by itself at that moment.

The version doubles as the pages' ETag: a conditional GET is answered 304 without rendering.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction
from django.utils import timezone

from config.routers import primary_position, reads_as_new_as

STATE_KEY = "newsroom:content-state"


def _expired(state, now) -> bool:
    return state["next_change"] is not None and now >= state["next_change"]


def _new_state(now, *, renewing=None):
    """Start a new version and store it. `renewing`: the expired state this replaces, if
    this is a renewal rather than a content change."""
    from articles.models import Article

    # Not public content, so not published(): the first scheduled story still to come. Read
    # where articles are written: a story scheduled a moment ago may not be on a read replica.
    next_change = (
        Article.objects.using(router.db_for_write(Article))
        .filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    state = {
        "version": uuid.uuid4().hex[:16],
        "next_change": next_change,
        # With a read replica, what is stored under this version must be read from data at
        # least this new (config.routers.reads_as_new_as).
        "position": primary_position(),
    }
    if renewing is not None:
        # A content change may have stored its state while this one was being worked out:
        # that one was read after the change, so it wins (the cache has no compare-and-set,
        # this narrows the window to the two calls below).
        latest = cache.get(STATE_KEY)
        if latest is not None and latest != renewing and not _expired(latest, now):
            return latest
    cache.set(STATE_KEY, state, timeout=None)
    return state


def current_state(state) -> dict:
    """`state` (as read from the cache), renewed if it is missing or expired."""
    now = timezone.now()
    if state is None:
        return _new_state(now)
    if _expired(state, now):
        return _new_state(now, renewing=state)
    return state


def content_changed(**kwargs) -> None:
    """Signal receiver: start a new content version once the change is committed."""
    transaction.on_commit(lambda: _new_state(timezone.now()))


def read_current(key: str):
    """The current content state and what is stored under `key` for its version (None when
    nothing is, or only for an older version), in one cache round trip."""
    found = cache.get_many([STATE_KEY, key])
    state = current_state(found.get(STATE_KEY))
    stored = found.get(key)
    return state, (stored[1] if stored is not None and stored[0] == state["version"] else None)


def keep(key: str, state: dict, value) -> None:
    """Store `value` under `key` for the version of `state` (see read_current)."""
    cache.set(key, (state["version"], value), settings.NEWSROOM_PAGE_CACHE_SECONDS)


def for_current_version(name: str, build):
    """`build()`, made once per content version and shared by every page and process.

    For the parts every page repeats (the Recent news sidebar, the section navigation), so a
    page rendered afresh does not rebuild them. One cache round trip reads the version and
    the stored value together. Off (always built) when NEWSROOM_FRAGMENT_CACHE is False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return build()
    key = "fragment:" + name
    state, value = read_current(key)
    if value is not None:
        return value
    # Read after the version, so the value is at least as new as the version it is kept as.
    with reads_as_new_as(state.get("position")):
        value = build()
    keep(key, state, value)
    return value
