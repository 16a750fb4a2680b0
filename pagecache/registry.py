"""Which changes refresh which cached pages: the one place that starts new versions.

Apps say, once in their AppConfig.ready(), which of their models readers see and which
articles' own parts a change to a row touches (pagecache.versions explains the versions):

    watch(Article, articles=lambda article: [article.pk])
    watch(Section, articles=EVERY_ARTICLE)   # printed by every article: a new shared version
    watch(HomePick, articles=NO_ARTICLE)     # the home page's choice only: the site version

A bulk write that sends no model signal sends a signal of its own app, watched the same
way (watch_signal). Every change bumps the site version in its own transaction (the
versions live in the database, pagecache.models); a change that needs no write (a scheduled
story going live) is announced ahead by a schedule (watch_schedule).
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from pagecache import shared, versions

# What a change touches besides the site version, when it is not a function giving the
# articles whose own parts it changed:
EVERY_ARTICLE = "every article"  # what every article prints (a section, an author, a tag)
NO_ARTICLE = "no article"  # only the pages that list or count things (a home-page pick)

Touched = Callable[..., Iterable[int] | None] | str


def changed(*, articles: Iterable[int] | None = None) -> None:
    """Bump the site version, and the versions of `articles` (primary keys), or the shared
    version when it is None (any article), in the current transaction: they commit with the
    change, or not at all."""
    keys = [versions.SITE]
    if articles is None:
        keys.append(versions.SHARED)
    else:
        keys.extend(versions.article_key(pk) for pk in articles)
    versions.bump(keys)
    # This process reads the new version at once; the others within
    # NEWSROOM_VERSION_CHECK_SECONDS.
    transaction.on_commit(versions.forget, robust=True)
    # Shared caches in front of the nodes are told after the commit (when configured).
    shared.changed()


def _touched(articles: Touched, *args, **kwargs) -> Iterable[int] | None:
    if articles == EVERY_ARTICLE:
        return None
    if articles == NO_ARTICLE:
        return ()
    return articles(*args, **kwargs)


def watch(model, *, articles: Touched, saves: bool = True) -> None:
    """Saving or deleting a `model` row changes what readers see; `articles(row)` gives the
    articles whose own parts it touched (or pass EVERY_ARTICLE / NO_ARTICLE). With `saves`
    False only a deletion does (the app signals the saves that matter itself)."""

    def receiver(sender, instance, **kwargs):
        changed(articles=_touched(articles, instance))

    uid = f"pagecache-{model._meta.label_lower}"
    if saves:
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-delete")


def watch_m2m(through, *, articles: Touched) -> None:
    """Adding to, removing from or clearing a many-to-many relation through `through`;
    `articles(instance, reverse=..., model=..., pk_set=...)` as m2m_changed sends them."""

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action.startswith("post_"):
            changed(
                articles=_touched(articles, instance, reverse=reverse, model=model, pk_set=pk_set)
            )

    uid = f"pagecache-m2m-{through._meta.label_lower}"
    m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=uid)


def watch_signal(signal, *, articles: Touched) -> None:
    """An app's own signal for a write that sends no model signal (a bulk update);
    `articles(**what_the_signal_sends)`."""

    def receiver(sender, **kwargs):
        changed(articles=_touched(articles, **kwargs))

    signal.connect(receiver, weak=False, dispatch_uid=f"pagecache-signal-{id(signal)}")


def watch_schedule(next_change: Callable) -> None:
    """`next_change(now)` gives the first moment after `now` when what readers see changes
    by itself (a scheduled story goes live), or None: the site version ends at that moment."""
    if next_change not in versions.SCHEDULES:
        versions.SCHEDULES.append(next_change)


def show_on_article_page(name: str) -> None:
    """The article page shows the part `name` (pagecache.versions.for_article_fragment):
    read it in the page's one cache round trip with the article's own parts."""
    if name not in versions.ARTICLE_PAGE_FRAGMENTS:
        versions.ARTICLE_PAGE_FRAGMENTS.append(name)
