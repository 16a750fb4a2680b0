"""Writes to articles that span steps or carry a rule. The admin calls these; nothing else
re-implements them.

Every status change goes through one function per action, checks who may do it, bumps the
article's version (so a form opened before it cannot overwrite it), and records an
`ArticleTransition`. Notifications are sent after the transaction commits and a failed send
is only logged: mail never blocks or undoes a transition.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from articles.models import Article, ArticleAuthor, Author, Correction
from auditlog.services import AuditKind, audit_record, transition_action
from core.text import nfc
from editorial.checks import Problem, publish_problems
from editorial.models import (
    PRESENCE_SECONDS,
    ArticleTransition,
    Autosave,
    DeskPreference,
    EditingPresence,
    PreviewLink,
)
from editorial.notifications import (
    admin_link,
    author_emails,
    display_name,
    editor_emails,
    notify_after_commit,
)
from editorial.permissions import TRANSITIONS, allowed_actions, can_delete, can_edit, is_editor
from editorial.revisions import changes_since, snapshot

logger = logging.getLogger(__name__)

# The transitions as the admin's buttons name them, for the refusals.
TRANSITION_NAMES = {
    "submit": gettext_lazy("Submit for review"),
    "return": gettext_lazy("Return to author"),
    "publish": gettext_lazy("Publish"),
    "unpublish": gettext_lazy("Unpublish"),
}

Status = Article.Status


class EditConflict(Exception):
    """The article changed since the editing user opened it."""

    def __init__(self, *, article: Article, since_version: int):
        self.article = article
        self.since_version = since_version
        self.changes = changes_since(article=article, version=since_version)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.changes:
            return "This article was changed by someone else since you opened it."
        parts = []
        for who, when, fields in self.changes:
            what = ", ".join(fields) if fields else "no text fields"
            parts.append(f"{who} at {timezone.localtime(when):%H:%M:%S} ({what})")
        return "Since you opened this article it was saved by " + "; ".join(parts) + "."


class PublishChecksFailed(ValidationError):
    """The story fails checks before publishing (editorial.checks) and no reason was given
    to publish it anyway."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            {
                "override_reason": (
                    "Fix what is listed, or say why it goes out as it is: "
                    + " ".join(str(problem) for problem in problems)
                )
            }
        )


# --- Saving edits ----------------------------------------------------------------------


def _lock(article: Article, expected_version: int | None) -> Article:
    """Lock the article's row for this transaction; refuse if it moved past the version."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(article=current, since_version=expected_version)
    return current


def check_version(*, article: Article, expected_version: int) -> None:
    """Raise EditConflict when `article` was saved after `expected_version` was read.

    Called inside the transaction that will save, so the row stays locked until commit."""
    _lock(article, expected_version)


@transaction.atomic
def article_save(
    *, article: Article, by, expected_version: int | None = None, record_revision: bool = True
) -> Article:
    """Save an edit to `article` by `by`, refusing a save made from an outdated copy.

    With `record_revision` False the revision is left for `article_record_revision`, called
    once tags and bylines are saved too (the admin saves those after the article)."""
    if not can_edit(by, article):
        raise PermissionDenied("You may not edit this article.")
    if article.pk is None:
        article.created_by = by
        article.status = Status.DRAFT
        article.published_at = None
    else:
        current = _lock(article, expected_version)
        # Status and publish time change only through the transition services.
        article.status, article.published_at = current.status, current.published_at
        article.version = current.version + 1
    article.full_clean(exclude=["tags"])
    article._history_user = by
    if record_revision:
        article.save()
        article_add_creator_byline(article=article, by=by)
    else:
        _save_without_revision(article)
    return article


def _save_without_revision(article: Article) -> None:
    """Save `article` without a history record: the caller records the revision itself
    (article_record_revision) once the tags and bylines are saved too."""
    article.skip_history_when_saving = True
    try:
        article.save()
    finally:
        del article.skip_history_when_saving


def article_add_creator_byline(*, article: Article, by) -> None:
    """An article its creator saved without any byline gets the creator's own byline."""
    if article.created_by_id != by.pk or article.bylines.exists():
        return
    profile = Author.objects.filter(user=by).first()
    if profile is not None:
        ArticleAuthor.objects.create(article=article, author=profile, order=0)


@transaction.atomic
def article_record_revision(*, article: Article, by) -> None:
    """Store the current tags and bylines beside the article and keep a revision of it all."""
    article.tags_snapshot, article.authors_snapshot = snapshot(article)
    article._history_user = by
    # A save (not a queryset update) so simple-history records the revision.
    article.save(update_fields=["tags_snapshot", "authors_snapshot"])


# --- Transitions -----------------------------------------------------------------------


def _transition(
    *,
    article: Article,
    by,
    action: str,
    note: str = "",
    at=None,
    checked: bool = True,
    recorded: dict | None = None,
) -> Article:
    """Move `article` by `action`; `checked` False only for the import, run by whoever has
    the server's shell and recorded as done by nobody.

    `at`: the publish time of a publish; for an unpublish, a future time at which the
    article comes down by itself (it stays published until then). `recorded`: more fields
    of the transition's log entry."""
    current = _lock(article, None)
    if checked and action not in allowed_actions(by, current):
        raise PermissionDenied(
            gettext("You may not do “%(action)s” to an article that is %(status)s.")
            % {"action": TRANSITION_NAMES[action], "status": current.get_status_display().lower()}
        )
    if current.status not in TRANSITIONS[action][0]:
        raise ValidationError(
            gettext("“%(action)s” does not apply to an article that is %(status)s.")
            % {"action": TRANSITION_NAMES[action], "status": current.get_status_display().lower()}
        )
    from_status, to_status = current.status, TRANSITIONS[action][1]
    later = action == "unpublish" and at is not None and at > timezone.now()
    if later:
        if current.published_at is None or at <= current.published_at:
            raise ValidationError(
                {"unpublish_at": gettext("An article comes down after it goes live.")}
            )
        current.unpublish_at = at
    else:
        current.status = to_status
        if action in ("publish", "unpublish"):
            current.unpublish_at = None
    if action == "publish":
        current.published_at = at or timezone.now()
    if action == "return":
        current.return_reason = note
    elif action == "submit":
        current.return_reason = ""
    current.version += 1
    current._history_user = by
    current.full_clean(exclude=["tags"])
    current.save()
    logged = ArticleTransition.objects.create(
        article=current,
        by=by,
        from_status=from_status,
        to_status=to_status,
        published_at=current.published_at if action == "publish" else None,
        effective_at=at if later else None,
        note=note,
        **(recorded or {}),
    )
    audit_record(
        kind=AuditKind.TRANSITION,
        by=by,
        article=current,
        action=transition_action(
            from_status=from_status,
            to_status=to_status,
            published_at=logged.published_at,
            effective_at=logged.effective_at,
        ),
        note=note,
        at=logged.at,
    )
    # The caller's copy follows the row, so a form or action sees the new state.
    for field in (
        "status", "published_at", "unpublish_at", "return_reason", "version", "slug",
        "first_published_at",
    ):  # fmt: skip
        setattr(article, field, getattr(current, field))
    return current


@transaction.atomic
def article_submit(*, article: Article, by, note: str = "") -> Article:
    """An author (or an editor) sends a Draft or Returned article to the editors."""
    article = _transition(article=article, by=by, action="submit", note=note.strip())
    notify_after_commit(
        recipients=editor_emails(exclude=by),
        subject=f"Submitted for review: {article.title}",
        body=f"{display_name(by)} submitted “{article.title}” for review.\n\n{admin_link(article)}",
    )
    return article


@transaction.atomic
def article_return(*, article: Article, by, reason: str) -> Article:
    """An editor returns an article in review to its author, with the reason why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the article goes back to its author.")})
    article = _transition(article=article, by=by, action="return", note=reason)
    notify_after_commit(
        recipients=author_emails(article, exclude=by),
        subject=f"Returned to you: {article.title}",
        body=f"{display_name(by)} returned “{article.title}” to you.\n\nReason:\n{reason}\n\n"
        f"{admin_link(article)}",
    )
    return article


def _in_english(make):
    with translation.override(settings.LANGUAGE_CODE):
        return make()


@transaction.atomic
def article_publish(
    *,
    article: Article,
    by,
    at: datetime.datetime | None = None,
    note: str = "",
    override_reason: str = "",
) -> Article:
    """An editor publishes now, or schedules for `at` in the future (goes live by itself).

    The story is checked first (editorial.checks.publish_problems, on the row as it is
    now): if anything fails, it is published only with an `override_reason`, kept in the
    transition log with what failed; else PublishChecksFailed."""
    override_reason = (override_reason or "").strip()
    problems = publish_problems(_lock(article, None))
    if problems and not override_reason:
        raise PublishChecksFailed(problems)
    recorded = {}
    if problems:
        recorded = {
            # The log is the newsroom's record, kept in the paper's language (English)
            # whatever language the editor's admin speaks.
            "failed_checks": _in_english(lambda: "\n".join(str(p) for p in problems)),
            "override_reason": override_reason,
        }
    article = _transition(
        article=article, by=by, action="publish", note=note.strip(), at=at, recorded=recorded
    )
    when = timezone.localtime(article.published_at)
    if article.is_scheduled:
        subject = f"Scheduled: {article.title}"
        body = (
            f"{display_name(by)} scheduled “{article.title}” to go live at {when:%Y-%m-%d %H:%M}."
        )
    else:
        subject = f"Published: {article.title}"
        body = f"{display_name(by)} published “{article.title}” ({when:%Y-%m-%d %H:%M})."
    notify_after_commit(
        recipients=author_emails(article, exclude=by),
        subject=subject,
        body=f"{body}\n\n{admin_link(article)}",
    )
    return article


@transaction.atomic
def article_unpublish(
    *, article: Article, by, note: str = "", at: datetime.datetime | None = None
) -> Article:
    """An editor takes a published (or scheduled) article down; its URL answers 404.

    With `at` in the future it comes down by itself at that second (an embargo's end, a
    takedown at a time), with no worker: the article stays published until then, and
    published() leaves it out from then on."""
    return _transition(article=article, by=by, action="unpublish", note=note.strip(), at=at)


TRANSITION_SERVICES = {
    "submit": article_submit,
    "return": article_return,
    "publish": article_publish,
    "unpublish": article_unpublish,
}


# --- The import ----------------------------------------------------------------------

IMPORT_NOTE = "Imported from the old site's export."


@transaction.atomic
def article_import_create(
    *, article: Article, authors: list[Author], tags: list[str], published_at=None
) -> Article:
    """The import's door for a new article: saved as a draft with its bylines and tags and
    a first revision, then published at `published_at` (logged as a transition) unless it
    is None. The import runs from the server's shell, so no account is recorded."""
    article.status, article.published_at, article.created_by = Status.DRAFT, None, None
    article.full_clean(exclude=["tags"])
    _save_without_revision(article)
    _set_bylines(article, authors)
    article.tags.add(*tags)
    article_record_revision(article=article, by=None)
    if published_at is not None:
        _transition(
            article=article,
            by=None,
            action="publish",
            note=IMPORT_NOTE,
            at=published_at,
            checked=False,
        )
    return article


@transaction.atomic
def article_import_update(*, article: Article, fields: dict, authors: list[Author]) -> list[str]:
    """The import's door for an article it made before: the fields of `fields` that differ
    and the bylines are updated as a new revision (its version goes up, so a form opened
    before it cannot overwrite it silently). Status and publish time stay. Returns the
    names of what changed."""
    current = _lock(article, None)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if [a.pk for a in current.ordered_authors] != [a.pk for a in authors]:
        changed.append("authors")
    if not changed:
        return []
    for name in changed:
        if name != "authors":
            setattr(current, name, fields[name])
    current.version += 1
    current.full_clean(exclude=["tags"])
    _save_without_revision(current)
    if "authors" in changed:
        current.bylines.all().delete()
        _set_bylines(current, authors)
    article_record_revision(article=current, by=None)
    for name in [*fields, "version"]:
        setattr(article, name, getattr(current, name))
    return changed


def _set_bylines(article: Article, authors: list[Author]) -> None:
    for order, author in enumerate(dict.fromkeys(authors)):
        byline = ArticleAuthor(article=article, author=author, order=order)
        byline.full_clean()
        byline.save()


# --- Corrections and revisions ---------------------------------------------------------


@transaction.atomic
def correction_add(*, article: Article, by, text: str) -> Correction:
    """An editor appends a dated correction note to a published article."""
    if not is_editor(by):
        raise PermissionDenied(gettext("Only editors add corrections."))
    if article.status != Status.PUBLISHED:
        raise ValidationError(gettext("Corrections are added to published articles."))
    correction = Correction(article=article, by=by, text=text)
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def article_restore_revision(*, article: Article, revision, by) -> Article:
    """Put a past revision's text, section, tags, bylines and image back, as a new revision.

    Status and publish time are not part of a revision and stay as they are."""
    if not is_editor(by):
        raise PermissionDenied("Only editors restore revisions.")
    if revision.id != article.pk:
        raise ValidationError(gettext("That revision belongs to another article."))
    current = _lock(article, None)
    restored = ["title", "lead", "body", "section_id"]
    restored += ["image", "image_alt", "image_caption", "image_credit"]
    restored += ["image_focal_x", "image_focal_y"]
    for name in restored:
        setattr(current, name, getattr(revision, name))
    current.version += 1
    current.full_clean(exclude=["tags"])
    _save_without_revision(current)
    current.tags.set(revision.tags_snapshot or [])
    keep = [a["id"] for a in revision.authors_snapshot or []]
    existing = set(Author.objects.filter(pk__in=keep).values_list("pk", flat=True))
    current.bylines.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=current, author_id=pk, order=order)
        for order, pk in enumerate(k for k in keep if k in existing)
    )
    article_record_revision(article=current, by=by)
    saved_by = revision.history_user.get_username() if revision.history_user else "the import"
    audit_record(
        kind=AuditKind.RESTORE,
        by=by,
        article=current,
        action="Restored a revision",
        subject=f"the revision of {timezone.localtime(revision.history_date):%Y-%m-%d %H:%M:%S}"
        f" saved by {saved_by}",
    )
    return current


# --- Autosave and presence -------------------------------------------------------------

# The article form's fields an autosave keeps, all text (a select's value, a tag list).
AUTOSAVE_FIELDS = (
    "title", "slug", "section", "lead", "body", "tags", "image_alt", "image_caption",
    "image_credit", "image_focal_x", "image_focal_y",
)  # fmt: skip


def _may_type_into(user, article: Article | None) -> bool:
    return can_edit(user, Article() if article is None else article)


@transaction.atomic
def autosave_store(
    *, user, article: Article | None, data: dict, base_version: int | None = None
) -> Autosave:
    """Keep what `user` typed into `article`'s form (None: the add form), replacing their
    previous copy. Writes nothing else: no revision, no version, no page changes."""
    if not _may_type_into(user, article):
        raise PermissionDenied("You may no longer edit this article.")
    if not isinstance(data, dict):
        raise ValidationError("The fields come as an object, by name.")
    fields = {}
    for name in AUTOSAVE_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValidationError(f"The field {name} must be text.")
        fields[name] = nfc(value)
    if base_version is not None and (not isinstance(base_version, int) or base_version < 0):
        raise ValidationError("The version must be a whole number.")
    copy, _ = Autosave.objects.update_or_create(
        user=user,
        article=article,
        defaults={"data": fields, "base_version": base_version, "updated": timezone.now()},
    )
    return copy


def autosave_delete(*, user, article: Article | None) -> None:
    """Forget `user`'s unsaved copy of `article`'s form (None: the add form's): they saved
    the form for real, or chose to discard it."""
    Autosave.objects.filter(user=user, article=article).delete()


@transaction.atomic
def presence_beat(*, user, article: Article) -> EditingPresence:
    """`user` still has `article`'s form open. The first beat after an absence starts a new
    stay ("editing since"); stays that ended are removed on the way."""
    if not can_edit(user, article):
        raise PermissionDenied("You may not edit this article.")
    now = timezone.now()
    gone = now - datetime.timedelta(seconds=PRESENCE_SECONDS)
    EditingPresence.objects.filter(article=article, seen__lt=gone).delete()
    presence, created = EditingPresence.objects.get_or_create(
        user=user, article=article, defaults={"since": now, "seen": now}
    )
    if not created:
        presence.seen = now
        presence.save(update_fields=["seen"])
    return presence


def presence_leave(*, user, article: Article) -> None:
    """`user` closed `article`'s form (or left the page)."""
    EditingPresence.objects.filter(user=user, article=article).delete()


# --- Deleting --------------------------------------------------------------------------


@transaction.atomic
def article_delete(*, article: Article, by) -> None:
    """Delete `article` (its comments, transitions and bylines go with it), if `by` may:
    an editor any article, a reporter only their own never-submitted draft. The audit log
    keeps who deleted which headline and in which status."""
    if not can_delete(by, article):
        raise PermissionDenied("You may not delete this article.")
    audit_record(
        kind=AuditKind.DELETION,
        by=by,
        article=article,
        action=f"Deleted an article ({article.display_status.lower()})",
    )
    article.delete()


# --- Preview links for people outside the newsroom -----------------------------------

PREVIEW_LINK_SALT = "editorial.preview-link"
PREVIEW_LINK_LIFETIMES = {
    "1h": (gettext_lazy("1 hour"), datetime.timedelta(hours=1)),
    "24h": (gettext_lazy("24 hours"), datetime.timedelta(hours=24)),
    "7d": (gettext_lazy("7 days"), datetime.timedelta(days=7)),
}
PREVIEW_LINK_DEFAULT_LIFETIME = "24h"


class PreviewLinkGone(Exception):
    """The link was genuine but no longer opens: expired, revoked, or its article deleted."""

    def __init__(self, *, reason: str, link: PreviewLink | None = None):
        self.reason = reason  # "expired", "revoked" or "deleted"
        self.link = link
        super().__init__(reason)


def preview_link_token(link: PreviewLink) -> str:
    """The signed token of `link`'s address: its id, its article's and its expiry time, so
    a token altered in any way, or made for another article, is refused."""
    payload = {"l": link.pk, "a": link.article_id, "e": int(link.expires_at.timestamp())}
    return signing.dumps(payload, salt=PREVIEW_LINK_SALT, compress=False)


def preview_link_open(*, token: str, now: datetime.datetime | None = None) -> PreviewLink:
    """The link a token names, if it still opens. Raises signing.BadSignature for a token
    the site did not sign and PreviewLinkGone for a link expired, revoked or deleted."""
    payload = signing.loads(token, salt=PREVIEW_LINK_SALT)
    now = now or timezone.now()
    link = (
        PreviewLink.objects.filter(pk=payload.get("l"), article_id=payload.get("a"))
        .select_related("article__section")
        .first()
    )
    if link is None:
        raise PreviewLinkGone(reason="deleted")
    if link.revoked_at is not None:
        raise PreviewLinkGone(reason="revoked", link=link)
    if link.is_expired(now) or now.timestamp() >= payload.get("e", 0):
        raise PreviewLinkGone(reason="expired", link=link)
    return link


@transaction.atomic
def preview_link_create(
    *, article: Article, by, lifetime: str = PREVIEW_LINK_DEFAULT_LIFETIME, shared_with: str = ""
) -> PreviewLink:
    """An editor makes a link that opens `article`'s preview for anyone who has it, for
    `lifetime` (a key of PREVIEW_LINK_LIFETIMES)."""
    if not is_editor(by):
        raise PermissionDenied("Only editors share previews.")
    if lifetime not in PREVIEW_LINK_LIFETIMES:
        raise ValidationError({"lifetime": gettext("Choose how long the link works.")})
    label, duration = PREVIEW_LINK_LIFETIMES[lifetime]
    now = timezone.now()
    link = PreviewLink(
        article=article,
        created_by=by,
        created_at=now,
        expires_at=now + duration,
        shared_with=shared_with.strip(),
    )
    link.full_clean()
    link.save()
    audit_record(
        kind=AuditKind.PREVIEW_LINK,
        by=by,
        article=article,
        action=f"Shared a preview link for {label}",
        subject=f"link #{link.pk}, until {timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}",
        note=link.shared_with,
        at=now,
    )
    return link


@transaction.atomic
def preview_link_revoke(*, link: PreviewLink, by) -> PreviewLink:
    """An editor withdraws a link before it expires: from now on it answers 410."""
    if not is_editor(by):
        raise PermissionDenied("Only editors revoke preview links.")
    link = PreviewLink.objects.select_for_update().select_related("article").get(pk=link.pk)
    if link.revoked_at is not None:
        return link
    link.revoked_at, link.revoked_by = timezone.now(), by
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        kind=AuditKind.PREVIEW_LINK,
        by=by,
        article=link.article,
        action="Revoked a preview link",
        subject=f"link #{link.pk}",
        note=link.shared_with,
        at=link.revoked_at,
    )
    return link


@transaction.atomic
def desk_language_set(*, user, language: str) -> DeskPreference:
    """`user`'s own choice of the admin's language ("" for the browser's). There is no `for`
    argument: a journalist sets their own language and nobody else's."""
    preference = DeskPreference.objects.select_for_update().filter(user=user).first()
    preference = preference or DeskPreference(user=user)
    preference.language = language
    preference.full_clean()
    preference.save()
    return preference
