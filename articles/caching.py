"""Whole-page caching for anonymous readers that never serves stale news.

Every cached page is stored under the current *content version*. Any change to what the
public can see (an article, section, author, tag, byline or comment saved or deleted) makes a
new version after the transaction commits, so every page — article, home, sections, tags,
authors, feeds, sitemaps and every Recent news sidebar — is rebuilt on its next request.
A scheduled article needs no write to go live, so the version also carries the time of the
next scheduled publication and expires by itself at that moment.

The version doubles as the pages' ETag: a conditional GET is answered 304 without rendering.

An article's own parts (its text, picture, bylines, tags and corrections) are kept apart from
the version, so publishing one story does not make every other article render those again:
they are stored under a stamp made of the article's own token, a token shared by all articles
(for the sections, authors and tags they print) and the article row's version and update
time (see for_article). A change starts a new token for each article it touches, or a new
shared token when it touches what many articles print.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction
from django.utils import timezone

from config.routers import primary_position, reads_as_new_as

STATE_KEY = "newsroom:content-state"
SHARED_TOKEN_KEY = "newsroom:shared-token"


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
            cache.set_many({article_token_key(pk): _new_token() for pk in articles}, timeout=None)

    transaction.on_commit(changed)


def touched_articles(instance, *, model=None, pk_set=None, reverse=False, **kwargs):
    """The primary keys of the articles whose own parts `instance` changed, or None when
    it may be any article's (a section, an author, a tag, or what is not known here)."""
    from articles.models import Article, TaggedArticle

    if isinstance(instance, Article):
        return [instance.pk]
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
    stored = found.get(key)
    return state, (stored[1] if stored is not None and stored[0] == state["version"] else None)


def keep(key: str, state: dict, value) -> None:
    """Store `value` under `key` for the version of `state` (see read_current)."""
    cache.set(key, (state["version"], value), settings.NEWSROOM_PAGE_CACHE_SECONDS)


def for_article(article, build):
    """`build()` (the article's own parts), made once per version of them and shared by
    every process: another story published or a comment approved leaves them as they are.

    One cache round trip reads the two tokens and the stored parts. A token missing from
    the cache (never made, or evicted) is started afresh, so parts stored under an older
    token are never taken for current. Off (always built) when NEWSROOM_FRAGMENT_CACHE is
    False.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return build()
    token_key, key = article_token_key(article.pk), f"article-parts:{article.pk}"
    found = cache.get_many([SHARED_TOKEN_KEY, token_key, key])
    shared = found.get(SHARED_TOKEN_KEY) or _first_token(SHARED_TOKEN_KEY)
    own = found.get(token_key) or _first_token(token_key)
    # The row's version and update time too: a write that sent no signal but moved either
    # (a queryset update, a raw SQL fix) still shows.
    stamp = (shared["token"], own["token"], article.version, article.updated)
    stored = found.get(key)
    if stored is not None and stored[0] == stamp:
        return stored[1]
    # Read after the tokens, so the parts are at least as new as the tokens they are kept as.
    with reads_as_new_as(shared["position"]), reads_as_new_as(own["position"]):
        value = build()
    cache.set(key, (stamp, value), settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return value


def _first_token(key: str) -> dict:
    token = _new_token()
    if cache.add(key, token, timeout=None):
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
