"""Whole-page caching for anonymous readers that never serves stale news.

Every cached page is stored under the current *content version*. Any change to what the
public can see (an article, section, author, tag, byline, correction, home-page pick or
comment saved or deleted) makes a new version after the transaction commits, so every
page — article, home, sections, tags, authors, feeds, sitemaps and every Recent news
sidebar — is rebuilt on its next request.
A scheduled article needs no write to go live, so the version also carries the time of the
next scheduled publication and expires by itself at that moment.

The version doubles as the pages' ETag: a conditional GET is answered 304 without rendering.

An article's own parts (its text, picture, bylines, tags and corrections) are kept apart from
the version, so publishing one story does not make every other article render those again:
they are stored under a stamp made of the article's own token, a token shared by all articles
(for the sections, authors and tags they print) and the article row's version and update
time (see for_article). A change starts a new token for each article it touches, or a new
shared token when it touches what many articles print. Article cards print only what their
row is read with, so they are kept under a stamp of that alone (for_each_row).
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction
from django.utils import timezone

from config.routers import primary_position, reads_as_new_as

STATE_KEY = "newsroom:content-state"
SHARED_TOKEN_KEY = "newsroom:shared-token"
# An article's token outlives the parts kept under it; one that expires (or is evicted) is
# started afresh on the next read, which only means its parts are built again.
ARTICLE_TOKEN_SECONDS = 24 * 60 * 60


def article_token_key(pk) -> str:
    return f"newsroom:article-token:{pk}"


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


def _new_token():
    return {"token": uuid.uuid4().hex[:16], "position": primary_position()}


def content_changed(sender=None, instance=None, *, articles=None, **kwargs) -> None:
    """Signal receiver: once the change is committed, start a new content version, and new
    tokens for the parts it touched (see touched_articles).

    `articles`: the articles whose own parts changed, when the caller knows (an empty list
    for a comment, which is no part of them); otherwise worked out from the signal."""
    if articles is None:
        articles = touched_articles(instance, **kwargs)

    def changed():
        _new_state(timezone.now())
        if articles is None:
            cache.set(SHARED_TOKEN_KEY, _new_token(), timeout=None)
        elif articles:
            tokens = {article_token_key(pk): _new_token() for pk in articles}
            cache.set_many(tokens, timeout=ARTICLE_TOKEN_SECONDS)

    transaction.on_commit(changed)


def touched_articles(instance, *, model=None, pk_set=None, reverse=False, **kwargs):
    """The primary keys of the articles whose own parts `instance` changed, or None when
    it may be any article's (a section, an author, a tag, or what is not known here)."""
    from articles.models import Article, HomePick, TaggedArticle

    if isinstance(instance, Article):
        return [instance.pk]
    if isinstance(instance, HomePick):
        return []  # the home page's choice of stories: no article's own parts
    if isinstance(instance, TaggedArticle):
        return [instance.content_object_id]
    if model is Article and reverse and pk_set is not None:
        # A tag's or an author's articles changed from their side (tag.article_set.add()).
        return list(pk_set)
    if model is not Article and getattr(instance, "article_id", None) is not None:
        # A byline, a correction, a comment: one article's.
        return [instance.article_id]
    return None


def read_current(key: str):
    """The current content state and what is stored under `key` for its version (None when
    nothing is, or only for an older version), in one cache round trip."""
    found = cache.get_many([STATE_KEY, key])
    state = current_state(found.get(STATE_KEY))
    return state, _kept_for(state, found.get(key))


def _kept_for(state: dict, stored):
    """The value of `stored` (as keep() stored it) if it was kept for the version of `state`."""
    return stored[1] if stored is not None and stored[0] == state["version"] else None


def keep(key: str, state: dict, value) -> None:
    """Store `value` under `key` for the version of `state` (see read_current)."""
    cache.set(key, (state["version"], value), settings.NEWSROOM_PAGE_CACHE_SECONDS)


def for_article(article, *, own, around) -> dict:
    """The article page's kept parts, read in one cache round trip.

    `own()` builds the article's own parts: made once per version of them and shared by
    every process, so another story published or a comment approved leaves them as they
    are. A token missing from the cache (never made, or evicted) is started afresh, so
    parts stored under an older token are never taken for current. `around()` builds what
    changes with other content (comments, related stories): kept per content version.
    Both always built when NEWSROOM_FRAGMENT_CACHE is False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return {**own(), **around()}
    token_key, key = article_token_key(article.pk), f"article-parts:{article.pk}"
    around_key = f"fragment:article:{article.pk}"
    found = cache.get_many([STATE_KEY, SHARED_TOKEN_KEY, token_key, key, around_key])
    shared = found.get(SHARED_TOKEN_KEY) or _first_token(SHARED_TOKEN_KEY, timeout=None)
    mine = found.get(token_key) or _first_token(token_key, timeout=ARTICLE_TOKEN_SECONDS)
    # What was read with the row, before the tokens: its version and update time (a write
    # that sent no signal but moved either still shows) and the section the parts print.
    stamp = (shared["token"], mine["token"], *row_stamp(article))
    stored = found.get(key)
    if stored is not None and stored[0] == stamp:
        parts = stored[1]
    else:
        # Read after the tokens, so the parts are at least as new as the tokens they are
        # kept as.
        with reads_as_new_as(shared["position"]), reads_as_new_as(mine["position"]):
            parts = own()
        cache.set(key, (stamp, parts), settings.NEWSROOM_PAGE_CACHE_SECONDS)
    state = current_state(found.get(STATE_KEY))
    if (value := _kept_for(state, found.get(around_key))) is not None:
        return {**parts, **value}
    with reads_as_new_as(state.get("position")):
        value = around()
    keep(around_key, state, value)
    return {**parts, **value}


def row_stamp(article) -> tuple:
    """What an article's row, read with its section, says about the version of what its
    parts and its card print: the row's version and update time, the section's name and
    address."""
    return (article.version, article.updated, article.section.name, article.section.slug)


def for_each_row(name: str, articles, stamp, build) -> list:
    """`build(article)` for each of `articles`, kept under `stamp(article)`: a stamp made
    only of what was read with the article's row, so no token is needed and a change to
    what it prints is never missed. One cache round trip for the whole list. Off (always
    built) when NEWSROOM_FRAGMENT_CACHE is False."""
    articles = list(articles)
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return [build(article) for article in articles]
    keys = [f"{name}:{article.pk}" for article in articles]
    found = cache.get_many(keys)
    built, missing = [], {}
    for key, article in zip(keys, articles, strict=True):
        stored, current = found.get(key), stamp(article)
        if stored is not None and stored[0] == current:
            built.append(stored[1])
        else:
            built.append(build(article))
            missing[key] = (current, built[-1])
    if missing:
        cache.set_many(missing, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return built


def _first_token(key: str, *, timeout) -> dict:
    token = _new_token()
    if cache.add(key, token, timeout=timeout):
        return token
    # Another process started one meanwhile: use theirs.
    return cache.get(key) or token


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
