"""Versions of what readers see, and what is kept under them.

The page cache speaks of four things:

- the **site version**: every cached page and every fragment that shows other stories (the
  Recent news sidebar, the navigation, an article's related stories) is kept under it. Any
  change to what the public can see bumps it in the transaction that makes the change
  (pagecache.registry). A scheduled article needs no write to go live, so the site
  version also carries the time of the next scheduled change and ends by itself then.
  It doubles as the pages' ETag: a conditional GET is answered 304 without rendering.
- an **article version**: an article's own parts (its text, picture, bylines, tags and
  corrections) are kept under it, so publishing one story does not make every other article
  render those again. A change to one article bumps that article's version only.
- the **shared version**: what every article prints of others (sections, authors, tags);
  a change to one of those bumps the shared version, and every article's parts follow.
- a **row key**: article cards print only what their row is read with, so each is kept
  under a key made of the values its template prints (template_key): no version is
  needed, and a field added to the card template is part of the key at once.

Versions live in the database (pagecache.models.ContentVersion), committed with the content
they describe; the cache only holds what is kept under them, each entry with the version it
was built for. A cache that restarts empty, comes back from an old snapshot, evicts, or is a
different one in every process (the embedded default's local memory, several workers) can
therefore only miss, never serve a page the database has moved past. Each process reads the
site version at most every NEWSROOM_VERSION_CHECK_SECONDS (one small query), and at once
after a change it committed itself.

With a read replica, each version read records the primary's WAL position; what is kept under
it is built from the primary until the replica has replayed that far
(core.routers.reads_as_new_as).
"""

import datetime
import decimal
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.template import Variable
from django.template.base import FilterExpression, Node
from django.template.loader import get_template
from django.template.smartif import TokenBase
from django.utils import timezone

from core.parts import missing_count
from core.routers import primary_position, primary_reads, reads_as_new_as, records_positions
from pagecache.models import ContentVersion

SITE = "site"
SHARED = "shared"
# The site token the shared caches in front of the nodes were last told of (pagecache/shared.py).
TOLD = "shared-caches-told"


def article_key(pk) -> str:
    return f"article:{pk}"


# Where the next scheduled change comes from: functions of `now` giving the first moment
# after it when what readers see changes with no write (a scheduled story going live), or
# None. The articles app adds its own (pagecache.registry.watch_schedule).
SCHEDULES = []


def _next_scheduled(now):
    """The first moment after `now` when any schedule changes what readers see, or None.
    Read from the primary, with the version: a replica may not have the newest schedule."""
    with primary_reads():
        moments = [moment for schedule in SCHEDULES if (moment := schedule(now)) is not None]
    return min(moments, default=None)


# --- Bumped with the content -------------------------------------------------------------


def bump(keys) -> None:
    """New versions of `keys`, written in the current transaction of the default database,
    so they commit (or roll back) with the change they describe. The site row comes first
    in every bump, so concurrent writers queue on it in one order."""
    order = {SITE: 0, SHARED: 1}
    keys = sorted(set(keys), key=lambda key: (order.get(key, 2), key))
    if not keys:
        return
    _write([(key, uuid.uuid4().hex) for key in keys])
    forget()


def _write(tokens) -> None:
    """Give each (key, token) of `tokens` its token, counting the change, in the current
    transaction of the default database."""
    now = timezone.now()
    connection = connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (key, number, token, changed_at) VALUES (%s, 1, %s, %s) "
            f"ON CONFLICT (key) DO UPDATE SET number = {table}.number + 1, "
            "token = excluded.token, changed_at = excluded.changed_at",
            [(key, token, now) for key, token in tokens],
        )


def record(key: str, token: str) -> None:
    """Set `key`'s token: a fact about the versions (pagecache/shared.py), not a new
    version, so nothing kept is touched."""
    _write([(key, token)])


def site_token() -> str:
    """The site version's token as the primary has it now."""
    return _tokens([SITE])[SITE]


def told_token() -> str:
    """The site token the shared caches were last told of (pagecache/shared.py)."""
    return _tokens([TOLD])[TOLD]


# The names under which with_version_tokens() reads an article's tokens with its row.
TOKENS_READ_WITH_ROW = ("pagecache_shared_token", "pagecache_article_token")


def with_version_tokens(articles):
    """`articles` (a queryset) with each row's tokens for its parts (the shared version's
    and the article's own) read in the same statement, so for_article() needs no query of its
    own for them. Without a read replica only: with one, the tokens come from the primary."""
    if not tokens_read_with_row():
        return articles

    def token(key):
        rows = ContentVersion.objects.filter(key=key).values("token")[:1]
        return Coalesce(Subquery(rows), Value("0"))

    shared, own = TOKENS_READ_WITH_ROW
    key = Concat(Value("article:"), Cast(OuterRef("pk"), output_field=CharField()))
    return articles.annotate(**{shared: token(SHARED), own: token(key)})


def tokens_read_with_row() -> bool:
    """Whether with_version_tokens() reads the tokens in the rows' statement (no replica)."""
    return not records_positions()


def _tokens(keys) -> dict:
    """The current token of each of `keys` ("0" for one never bumped), read from the
    primary: a replica may not have the latest bump yet."""
    rows = ContentVersion.objects.using(DEFAULT_DB_ALIAS).filter(key__in=keys)
    found = dict(rows.values_list("key", "token"))
    return {key: found.get(key, "0") for key in keys}


# --- The site version, as this process last read it --------------------------------------


@dataclass(frozen=True)
class SiteVersion:
    version: str  # what pages are kept under, and their ETag
    shared: str  # the shared version's token
    next_change: datetime.datetime | None
    # A change the shared caches have not been told of yet (pagecache/shared.py).
    untold: bool
    position: str | None  # the primary's WAL position when read (with a replica)
    site_token: str
    read_at: float  # time.monotonic() when read

    def ended(self, now) -> bool:
        return self.next_change is not None and now >= self.next_change


_last_read: dict[str, SiteVersion] = {}


def forget() -> None:
    """Read the site version afresh next time (after a change this process made), and drop
    this process's copy of the pages (read_page): they were kept under an older version."""
    _last_read.pop(SITE, None)
    with _recent_lock:
        _recent.clear()
        _recent_size[0] = 0


def site_version() -> SiteVersion:
    """The current site version: read from the database when this process last read it more
    than NEWSROOM_VERSION_CHECK_SECONDS ago, or the next scheduled change has come."""
    now, clock = timezone.now(), time.monotonic()
    last = _last_read.get(SITE)
    if (
        last is not None
        and clock - last.read_at < settings.NEWSROOM_VERSION_CHECK_SECONDS
        and not last.ended(now)
    ):
        return last
    position = primary_position()
    tokens = _tokens([SITE, SHARED, TOLD])
    if last is not None and last.site_token == tokens[SITE] and not last.ended(now):
        # Nothing was written since: the schedule read then still holds.
        next_change = last.next_change
    else:
        next_change = _next_scheduled(now)
    stamp = "0" if next_change is None else str(int(next_change.timestamp() * 1000))
    current = SiteVersion(
        version=f"{tokens[SITE][:16]}.{stamp}",
        shared=tokens[SHARED],
        next_change=next_change,
        untold=tokens[TOLD] != tokens[SITE],
        position=position,
        site_token=tokens[SITE],
        read_at=clock,
    )
    _last_read[SITE] = current
    return current


# --- Kept under the site version ---------------------------------------------------------


def read_page(key: str):
    """The current site version and the page kept under `key` for it (None when nothing is,
    or only for an older one): from this process's copy of what it served last, else one
    cache round trip."""
    current = site_version()
    if (page := _recalled(key, current.version)) is not None:
        return current, page
    page = _kept_for(current, cache.get(key))
    if page is not None:
        _remember(key, current.version, page)
    return current, page


def keep_page(key: str, current: SiteVersion, page) -> None:
    """Store `page`, a (status, headers, content) tuple, under `key` for the site version
    `current` (see read_page), in the cache and in this process's copy."""
    keep(key, current, page)
    _remember(key, current.version, page)


# --- This process's copy of what it served last ------------------------------------------

# The pages and kept parts this process read or kept last, each with what it was kept under
# (the site version; an article's parts, their stamp), up to NEWSROOM_PAGE_CACHE_LOCAL_BYTES,
# the least recently used dropped first. The cache (Redis) stays the copy every process
# shares; this one saves its round trips for what is read most (the front page, the story of
# the day, the navigation and Recent news every page repeats). A copy is used only for what
# it was kept under, checked as the cache's copy is, so it is never older than what the cache
# would have answered; forget() empties it.
_recent: OrderedDict[str, tuple[object, object, int]] = OrderedDict()
_recent_size = [0]
_recent_lock = threading.Lock()


def _recalled(key: str, stamp):
    """This process's copy of `key` if it was kept under `stamp`, else None."""
    with _recent_lock:
        recent = _recent.get(key)
        if recent is None or recent[0] != stamp:
            return None
        _recent.move_to_end(key)
        return recent[1]


def _size(value) -> int:
    """About how many bytes `value` holds: its text, else a small constant per item."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(item) for item in value.values()) + 64
    if isinstance(value, list | tuple):
        return sum(_size(item) for item in value) + 64
    return 64


def _remember(key: str, stamp, value) -> None:
    size = _size(value) + 256
    limit = settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES
    if size > limit:
        return
    with _recent_lock:
        if (old := _recent.pop(key, None)) is not None:
            _recent_size[0] -= old[2]
        _recent[key] = (stamp, value, size)
        _recent_size[0] += size
        while _recent_size[0] > limit:
            _key, (_stamp, _value, dropped) = _recent.popitem(last=False)
            _recent_size[0] -= dropped


def _kept_for(current: SiteVersion, stored):
    """The value of `stored` (as keep() stored it) if it was kept for `current`."""
    return stored[1] if stored is not None and stored[0] == current.version else None


def keep(key: str, current: SiteVersion, value) -> None:
    """Store `value` under `key` for the site version `current` (see read_current)."""
    cache.set(key, (current.version, value), settings.NEWSROOM_PAGE_CACHE_SECONDS)


def for_site_version(name: str, build):
    """`build()`, made once per site version and shared by every page and process.

    For the parts every page repeats (the Recent news sidebar, the section navigation), so a
    page rendered afresh does not rebuild them: one cache round trip. Off (always built)
    when NEWSROOM_FRAGMENT_CACHE is False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return build()
    key, current = "fragment:" + name, site_version()
    if (value := _recalled(key, current.version)) is not None:
        return value
    return _kept_or_built(key, current, cache.get(key), build)


def for_site_version_at_most(name: str, build, *, seconds: float):
    """`build()` as for_site_version, but built again after `seconds` too (the Most read
    box, whose counts move with no change to the site): kept with the moment it ends."""
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return build()
    key, current, now = "fragment:" + name, site_version(), time.time()
    kept = _recalled(key, current.version)
    if kept is None:
        kept = _kept_for(current, cache.get(key))
        if kept is not None and kept[0] > now:
            _remember(key, current.version, kept)
    if kept is not None and kept[0] > now:
        return kept[1]
    missing = missing_count()
    with reads_as_new_as(current.position):
        kept = (now + seconds, build())
    if missing_count() == missing:
        cache.set(key, (current.version, kept), seconds)
        _remember(key, current.version, kept)
    return kept[1]


def _kept_or_built(key: str, current: SiteVersion, stored, build):
    """The value `stored` under `key` if it was kept for `current`; else `build()`, kept
    under it. Built from data at least as new as the site version (a read replica may
    lag)."""
    if (value := _kept_for(current, stored)) is not None:
        _remember(key, current.version, value)
        return value
    missing = missing_count()
    with reads_as_new_as(current.position):
        value = build()
    # Built without one of its parts (a locked table, core/parts.py): answered, not kept.
    if missing_count() == missing:
        keep(key, current, value)
        _remember(key, current.version, value)
    return value


def for_article_fragment(article, name: str, build):
    """`build()` for the part `name` of `article`'s page that other apps show (its
    comments), kept per site version like for_site_version. Read in the article page's
    one round trip when `name` is registered (pagecache.registry.show_on_article_page)."""
    key = f"fragment:{name}:{article.pk}"
    ahead = getattr(article, "_read_ahead", None)
    if not settings.NEWSROOM_FRAGMENT_CACHE or ahead is None or key not in ahead["stored"]:
        return for_site_version(f"{name}:{article.pk}", build)
    current = ahead["site_version"]
    if (value := _recalled(key, current.version)) is not None:
        return value
    return _kept_or_built(key, current, ahead["stored"][key], build)


# --- Kept under an article's version -----------------------------------------------------

# Parts of the article page that other apps show, kept per site version (for_article_fragment)
# and read with the article's own parts.
ARTICLE_PAGE_FRAGMENTS: list[str] = []


def row_key(article) -> tuple:
    """What an article's row, read with its section, says about the version of what its
    parts print: the row's version and update time, the section's name and address."""
    return (article.version, article.updated, article.section.name, article.section.slug)


def for_article(article, *, own, around) -> dict:
    """The article page's kept parts: one query for the versions, at most one cache round
    trip (none for what this process kept itself).

    `own()` builds the article's own parts: made once per version of the article (and of
    what all articles share) and shared by every process, so another story published or a
    comment approved leaves them as they are. `around()` builds what changes with other
    content (comments, related stories): kept per site version. Both always built when
    NEWSROOM_FRAGMENT_CACHE is False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return {**own(), **around()}
    current = site_version()
    # Read again, not current.position: the site version may be up to
    # NEWSROOM_VERSION_CHECK_SECONDS old, and parts kept under the tokens read below must
    # come from a replica at least as new as those tokens. Costs a query only with a replica.
    position = primary_position()
    shared, own_token = TOKENS_READ_WITH_ROW
    if position is None and hasattr(article, own_token):
        # Read with the row (with_version_tokens), in the same statement: as new as it.
        tokens = {
            SHARED: getattr(article, shared),
            article_key(article.pk): getattr(article, own_token),
        }
    else:
        tokens = _tokens([SHARED, article_key(article.pk)])
    key, around_key = f"article-parts:{article.pk}", f"fragment:article:{article.pk}"
    ahead = [f"fragment:{name}:{article.pk}" for name in ARTICLE_PAGE_FRAGMENTS]
    # With what was read with the row: a write that sent no signal but moved the row's
    # version or update time still shows.
    stamp = (tokens[SHARED], tokens[article_key(article.pk)], *row_key(article))
    # What this process kept itself is not read from the cache: one round trip for the rest.
    parts = _recalled(key, stamp)
    recalled = {
        k: (current.version, value)
        for k in (around_key, *ahead)
        if (value := _recalled(k, current.version)) is not None
    }
    wanted = [k for k in (key, around_key, *ahead) if k not in recalled]
    if parts is not None:
        wanted.remove(key)
    found = {**(cache.get_many(wanted) if wanted else {}), **recalled}
    if parts is None:
        parts = _own_parts(key, stamp, found.get(key), own, position)
    article._read_ahead = {"site_version": current, "stored": {k: found.get(k) for k in ahead}}
    return {**parts, **_kept_or_built(around_key, current, found.get(around_key), around)}


def _own_parts(key: str, stamp: tuple, stored, own, position) -> dict:
    """The article's own parts as `stored` under `key` if kept for `stamp`, else `own()`."""
    if stored is not None and stored[0] == stamp:
        _remember(key, stamp, stored[1])
        return stored[1]
    # Read after the versions, so the parts are at least as new as they are kept as.
    missing = missing_count()
    with reads_as_new_as(position):
        parts = own()
    if missing_count() == missing:
        cache.set(key, (stamp, parts), settings.NEWSROOM_PAGE_CACHE_SECONDS)
        _remember(key, stamp, parts)
    return parts


# --- Kept under a row key ----------------------------------------------------------------


def for_each_row(name: str, rows, key, build) -> list:
    """`build(row)` for each of `rows`, kept under `key(row)`: a key made only of what was
    read with the row, so no version is needed and a change to what it prints is never
    missed. One cache round trip for the whole list. Off (always built) when
    NEWSROOM_FRAGMENT_CACHE is False."""
    rows = list(rows)
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return [build(row) for row in rows]
    keys = [f"{name}:{row.pk}" for row in rows]
    stamps = [key(row) for row in rows]
    # What this process kept itself is not read from the cache.
    recalled = {
        cache_key: (stamp, value)
        for cache_key, stamp in zip(keys, stamps, strict=True)
        if (value := _recalled(cache_key, stamp)) is not None
    }
    wanted = [cache_key for cache_key in keys if cache_key not in recalled]
    found = {**(cache.get_many(wanted) if wanted else {}), **recalled}
    built, missing = [], {}
    for cache_key, row, current in zip(keys, rows, stamps, strict=True):
        stored = found.get(cache_key)
        if stored is not None and stored[0] == current:
            built.append(stored[1])
            if cache_key not in recalled:
                _remember(cache_key, current, stored[1])
        else:
            parts_missing = missing_count()
            built.append(build(row))
            if missing_count() == parts_missing:
                missing[cache_key] = (current, built[-1])
                _remember(cache_key, current, built[-1])
    if missing:
        cache.set_many(missing, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return built


def template_key(template_name: str, name: str):
    """A function giving, for an object, a key that changes whenever what `template_name`
    prints of it as `name` can change: a row key that follows the template, so a field
    added to it is part of the key without anyone remembering.

    Each `{{ name.x.y }}` (tag arguments and conditions included) gives its value; where the
    path meets a method (`get_absolute_url`, ...), the key holds instead every value the
    object at that point was read with, which is all such a method can derive from without a
    query, and costs no URL reversing or formatting."""
    paths = [path.split(".")[1:] for path in _printed_paths(template_name, name)]

    def key(obj) -> tuple:
        values, rows = [], {}
        for attributes in paths:
            value = obj
            for attribute in attributes:
                found = getattr(value, attribute, None)
                if callable(found):
                    value = rows.get(id(value)) or rows.setdefault(id(value), _row(value))
                    break
                value = found
            values.append(_plain(value))
        return tuple(values)

    return key


# Values a key keeps as they are; anything else (a picture's file, say) by its text.
_PLAIN = frozenset(
    {str, int, float, bool, type(None), tuple, datetime.datetime, datetime.date, decimal.Decimal}
)


def _plain(value):
    return value if type(value) in _PLAIN else str(value)


def _row(obj) -> tuple:
    """Every value `obj` was read with (its fields and annotations), in the order read."""
    return tuple(_plain(value) for attribute, value in vars(obj).items() if attribute[0] != "_")


@memoize
def _printed_paths(template_name: str, name: str) -> tuple[str, ...]:
    """The variables starting with `name.` that the template's nodes refer to, sorted."""
    found = set()

    def add(variable):
        if isinstance(variable, Variable) and variable.lookups and variable.lookups[0] == name:
            found.add(variable.var)

    def visit(value):
        if isinstance(value, FilterExpression):
            add(value.var)
            for _filter, args in value.filters:
                for is_lookup, arg in args:
                    if is_lookup:
                        add(arg)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, Node | TokenBase):
            # A tag's arguments, a block's nodes, an {% if %} condition's operands.
            for attribute, item in vars(value).items():
                if attribute not in ("origin", "token"):
                    visit(item)

    visit(get_template(template_name).template.nodelist)
    return tuple(sorted(found))
