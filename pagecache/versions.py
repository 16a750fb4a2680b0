"""Versions of what readers see, and what is kept under them.

The page cache speaks of four things:

- the **site version**: every cached page and every fragment that shows other stories (the
  Recent news sidebar, the navigation, an article's related stories) is kept under it. Any
  change to what the public can see starts a new one after the transaction commits
  (pagecache.registry). A scheduled article needs no write to go live, so the site
  version also carries the time of the next scheduled publication and ends by itself then.
  It doubles as the pages' ETag: a conditional GET is answered 304 without rendering.
- an **article version**: an article's own parts (its text, picture, bylines, tags and
  corrections) are kept under it, so publishing one story does not make every other article
  render those again. A change to one article starts a new version of that article only.
- the **shared version**: what every article prints of others (sections, authors, tags);
  a change to one of those starts a new shared version, and every article's parts follow.
- a **row key**: article cards print only what their row is read with, so each is kept
  under a key made of the values its template prints (template_key): no version is
  needed, and a field added to the card template is part of the key at once.

With a read replica, each version records the primary's WAL position; what is kept under
it is built from the primary until the replica has replayed that far
(core.routers.reads_as_new_as).
"""

import datetime
import decimal
import uuid
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.template import Variable
from django.template.base import FilterExpression, Node
from django.template.loader import get_template
from django.template.smartif import TokenBase
from django.utils import timezone

from core.routers import primary_position, reads_as_new_as

SITE_VERSION_KEY = "newsroom:site-version"
SHARED_VERSION_KEY = "newsroom:shared-version"
# An article's version outlives the parts kept under it; one that expires (or is evicted)
# is started afresh on the next read, which only means its parts are built again.
ARTICLE_VERSION_SECONDS = 24 * 60 * 60


def article_version_key(pk) -> str:
    return f"newsroom:article-version:{pk}"


def _ended(site_version, now) -> bool:
    return site_version["next_change"] is not None and now >= site_version["next_change"]


# Where the next scheduled change comes from: functions of `now` giving the first moment
# after it when what readers see changes with no write (a scheduled story going live), or
# None. The articles app adds its own (pagecache.registry.watch_schedule).
SCHEDULES = []


def _next_scheduled(now):
    """The first moment after `now` when any schedule changes what readers see, or None."""
    moments = [moment for schedule in SCHEDULES if (moment := schedule(now)) is not None]
    return min(moments, default=None)


def new_site_version(now=None, *, renewing=None) -> dict:
    """Start a new site version and store it. `renewing`: the ended site version this
    replaces, if this is a renewal rather than a content change."""
    now = now or timezone.now()
    site_version = {
        "version": uuid.uuid4().hex[:16],
        "next_change": _next_scheduled(now),
        # With a read replica, what is kept under this version must be read from data at
        # least this new (core.routers.reads_as_new_as).
        "position": primary_position(),
    }
    if renewing is not None:
        # A content change may have stored its version while this one was being worked out:
        # that one was read after the change, so it wins (the cache has no compare-and-set,
        # this narrows the window to the two calls below).
        latest = cache.get(SITE_VERSION_KEY)
        if latest is not None and latest != renewing and not _ended(latest, now):
            return latest
    cache.set(SITE_VERSION_KEY, site_version, timeout=None)
    return site_version


def current_site_version(stored) -> dict:
    """`stored` (the site version as read from the cache), renewed if missing or ended."""
    now = timezone.now()
    if stored is None:
        return new_site_version(now)
    if _ended(stored, now):
        return new_site_version(now, renewing=stored)
    return stored


def _new_version() -> dict:
    return {"version": uuid.uuid4().hex[:16], "position": primary_position()}


def new_article_versions(articles) -> None:
    """Start a new version of each of `articles` (primary keys)."""
    versions = {article_version_key(pk): _new_version() for pk in articles}
    cache.set_many(versions, timeout=ARTICLE_VERSION_SECONDS)


def new_shared_version() -> None:
    cache.set(SHARED_VERSION_KEY, _new_version(), timeout=None)


def _first_version(key: str, *, timeout) -> dict:
    version = _new_version()
    if cache.add(key, version, timeout=timeout):
        return version
    # Another process started one meanwhile: use theirs.
    return cache.get(key) or version


# --- Kept under the site version ---------------------------------------------------------


def read_current(key: str):
    """The current site version and what is kept under `key` for it (None when nothing is,
    or only for an older one), in one cache round trip."""
    found = cache.get_many([SITE_VERSION_KEY, key])
    site_version = current_site_version(found.get(SITE_VERSION_KEY))
    return site_version, _kept_for(site_version, found.get(key))


def _kept_for(site_version: dict, stored):
    """The value of `stored` (as keep() stored it) if it was kept for `site_version`."""
    return stored[1] if stored is not None and stored[0] == site_version["version"] else None


def keep(key: str, site_version: dict, value) -> None:
    """Store `value` under `key` for `site_version` (see read_current)."""
    cache.set(key, (site_version["version"], value), settings.NEWSROOM_PAGE_CACHE_SECONDS)


def for_site_version(name: str, build):
    """`build()`, made once per site version and shared by every page and process.

    For the parts every page repeats (the Recent news sidebar, the section navigation), so a
    page rendered afresh does not rebuild them. One cache round trip reads the site version
    and the kept value together. Off (always built) when NEWSROOM_FRAGMENT_CACHE is False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return build()
    key = "fragment:" + name
    found = cache.get_many([SITE_VERSION_KEY, key])
    site_version = current_site_version(found.get(SITE_VERSION_KEY))
    return _kept_or_built(key, site_version, found.get(key), build)


def _kept_or_built(key: str, site_version: dict, stored, build):
    """The value `stored` under `key` if it was kept for `site_version`; else `build()`,
    kept under it. Built from data at least as new as the site version (a read replica
    may lag)."""
    if (value := _kept_for(site_version, stored)) is not None:
        return value
    with reads_as_new_as(site_version.get("position")):
        value = build()
    keep(key, site_version, value)
    return value


def for_article_fragment(article, name: str, build):
    """`build()` for the part `name` of `article`'s page that other apps show (its
    comments), kept per site version like for_site_version. Read in the article page's
    one round trip when `name` is registered (pagecache.registry.show_on_article_page)."""
    key = f"fragment:{name}:{article.pk}"
    ahead = getattr(article, "_read_ahead", None)
    if not settings.NEWSROOM_FRAGMENT_CACHE or ahead is None or key not in ahead["stored"]:
        return for_site_version(f"{name}:{article.pk}", build)
    return _kept_or_built(key, ahead["site_version"], ahead["stored"][key], build)


# --- Kept under an article's version -----------------------------------------------------

# Parts of the article page that other apps show, kept per site version (for_article_fragment)
# and read with the article's own parts.
ARTICLE_PAGE_FRAGMENTS: list[str] = []


def row_key(article) -> tuple:
    """What an article's row, read with its section, says about the version of what its
    parts print: the row's version and update time, the section's name and address."""
    return (article.version, article.updated, article.section.name, article.section.slug)


def for_article(article, *, own, around) -> dict:
    """The article page's kept parts, read in one cache round trip.

    `own()` builds the article's own parts: made once per version of the article (and of
    what all articles share) and shared by every process, so another story published or a
    comment approved leaves them as they are. A version missing from the cache (never
    made, or evicted) is started afresh, so parts kept under an older one are never taken
    for current. `around()` builds what changes with other content (comments, related
    stories): kept per site version. Both always built when NEWSROOM_FRAGMENT_CACHE is
    False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return {**own(), **around()}
    version_key, key = article_version_key(article.pk), f"article-parts:{article.pk}"
    around_key = f"fragment:article:{article.pk}"
    ahead = [f"fragment:{name}:{article.pk}" for name in ARTICLE_PAGE_FRAGMENTS]
    found = cache.get_many(
        [SITE_VERSION_KEY, SHARED_VERSION_KEY, version_key, key, around_key, *ahead]
    )
    shared = found.get(SHARED_VERSION_KEY) or _first_version(SHARED_VERSION_KEY, timeout=None)
    mine = found.get(version_key) or _first_version(version_key, timeout=ARTICLE_VERSION_SECONDS)
    # What was read with the row, before the versions: a write that sent no signal but
    # moved the row's version or update time still shows.
    stamp = (shared["version"], mine["version"], *row_key(article))
    stored = found.get(key)
    if stored is not None and stored[0] == stamp:
        parts = stored[1]
    else:
        # Read after the versions, so the parts are at least as new as they are kept as.
        with reads_as_new_as(shared["position"]), reads_as_new_as(mine["position"]):
            parts = own()
        cache.set(key, (stamp, parts), settings.NEWSROOM_PAGE_CACHE_SECONDS)
    site_version = current_site_version(found.get(SITE_VERSION_KEY))
    article._read_ahead = {"site_version": site_version, "stored": {k: found.get(k) for k in ahead}}
    return {**parts, **_kept_or_built(around_key, site_version, found.get(around_key), around)}


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
    found = cache.get_many(keys)
    built, missing = [], {}
    for cache_key, row in zip(keys, rows, strict=True):
        stored, current = found.get(cache_key), key(row)
        if stored is not None and stored[0] == current:
            built.append(stored[1])
        else:
            built.append(build(row))
            missing[cache_key] = (current, built[-1])
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
