"""Writes on comments: posting and moderating. Views and the admin call these."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article
from auditlog.services import AuditKind, audit_event, audit_record_many
from comments.models import BannedWord, Comment
from comments.signals import approved_comments_changed
from core.text import find_banned_words, normalize_comment


class CommentsClosed(Exception):
    """The article does not take comments (closed by an editor)."""


class RateLimited(Exception):
    """Too many comments from one address within the window."""

    def __init__(self, *, limit: int, window: datetime.timedelta, retry_after: int):
        super().__init__(f"{limit} comments in {window}; retry after {retry_after} s")
        self.limit = limit
        self.window = window
        self.retry_after = retry_after  # seconds until one more comment is allowed


def banned_words() -> list[tuple[str, bool]]:
    """The banned words as (word, any_tones): the admin-editable list plus
    NEWSROOM_COMMENTS_BANNED_WORDS (matched tone for tone)."""
    return [
        *BannedWord.objects.values_list("word", "any_tones"),
        *((word, False) for word in settings.NEWSROOM_COMMENTS_BANNED_WORDS),
    ]


def banned_reason(*, name: str, body: str) -> str:
    """Why a comment goes to spam, telling a banned word in the reader's name apart from one
    in the text; empty when neither has one."""
    banned = banned_words()
    reasons = []
    for where, text in (("name", name), ("comment", body)):
        matches = list(dict.fromkeys(find_banned_words(text, banned)))
        if matches:
            noun = "Banned word" if len(matches) == 1 else "Banned words"
            reasons.append(f"{noun} in the {where}: " + ", ".join(matches))
    return Truncator("; ".join(reasons)).chars(300)


def _serialise_address(ip_hash: str) -> None:
    """Make posts from one address wait for each other, so the rate limit is exact.

    SQLite already runs one writer at a time (transaction_mode IMMEDIATE); PostgreSQL gets a
    transaction-scoped advisory lock keyed by the fingerprint.

    The comments table's lock that the post takes anyway (ROW EXCLUSIVE, which posts do not
    refuse each other) comes first: while the table is locked (a LOCK TABLE, a migration)
    each post waits for it once, DATABASE_LOCK_TIMEOUT, instead of first waiting as long for
    the address lock of a post from the same address that is itself waiting for the table.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Comment._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(ip_hash[:15] or "0", 16)])


@transaction.atomic
def comment_post(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    ip_hash: str = "",
    user_agent: str = "",
    at: datetime.datetime | None = None,
) -> Comment:
    """Post a reader's comment and decide whether it waits for a moderator.

    Refuses with CommentsClosed or RateLimited; raises ValidationError for a body or name that
    breaks the rules. Banned words send it to spam, the same text again from the same address
    within NEWSROOM_COMMENTS_DUPLICATE_WINDOW seconds is held, and everything else is pending
    (pre-moderation, the default) or approved (NEWSROOM_COMMENTS_PREMODERATION = False).
    """
    at = at or timezone.now()
    if not article.comments_open:
        raise CommentsClosed
    # Every post counts, also one whose address is unknown (an empty fingerprint): such
    # posts share one limit rather than skipping it.
    _serialise_address(ip_hash)
    limit = settings.NEWSROOM_COMMENTS_RATE_LIMIT
    window = datetime.timedelta(seconds=settings.NEWSROOM_COMMENTS_RATE_WINDOW)
    recent = list(
        Comment.objects.from_address(ip_hash, since=at - window)
        .order_by("-created")
        .values_list("created", flat=True)[:limit]
    )
    if len(recent) >= limit:
        retry_after = max(1, int((recent[-1] + window - at).total_seconds()) + 1)
        raise RateLimited(limit=limit, window=window, retry_after=retry_after)

    comment = Comment(
        article=article,
        name=name,
        email=email,
        body=normalize_comment(body),
        ip_hash=ip_hash,
        user_agent="".join(ch for ch in user_agent if ch.isprintable())[:300],
        created=at,
    )
    comment.full_clean()

    banned = banned_reason(name=comment.name, body=comment.body)
    duplicate_window = datetime.timedelta(seconds=settings.NEWSROOM_COMMENTS_DUPLICATE_WINDOW)
    if banned:
        comment.status = Comment.Status.SPAM
        comment.held_reason = banned
    elif (
        Comment.objects.from_address(ip_hash, since=at - duplicate_window)
        .filter(body=comment.body)
        .exists()
    ):
        comment.status = Comment.Status.PENDING
        minutes = round(duplicate_window.total_seconds() / 60)
        comment.held_reason = f"Same text from the same address within {minutes} minutes"
    elif settings.NEWSROOM_COMMENTS_PREMODERATION:
        comment.status = Comment.Status.PENDING
    else:
        comment.status = Comment.Status.APPROVED
    comment.save()
    if comment.status == Comment.Status.APPROVED:
        approved_comments_changed.send(sender=Comment)
    return comment


@transaction.atomic
def comments_moderate(*, comments, status: str, by, at: datetime.datetime | None = None) -> int:
    """Set the status of `comments` (a queryset) on a moderator's decision; returns how many
    changed."""
    if status not in Comment.Status.values:
        raise ValueError(f"unknown comment status {status!r}")
    at = at or timezone.now()
    changing = list(comments.exclude(status=status).select_related("article").order_by("pk"))
    if not changing:
        return 0
    # Readers' pages change only if a comment enters or leaves the approved ones.
    public = status == Comment.Status.APPROVED or any(
        c.status == Comment.Status.APPROVED for c in changing
    )
    changed = Comment.objects.filter(pk__in=[c.pk for c in changing]).update(
        status=status, moderated_by=by, moderated_at=at
    )
    audit_record_many(
        [
            audit_event(
                kind=AuditKind.MODERATION,
                by=by,
                action=f"Comment {c.get_status_display().lower()} → "
                f"{Comment.Status(status).label.lower()}",
                article=c.article,
                subject=_comment_subject(c),
                note=c.held_reason,
                at=at,
            )
            for c in changing
        ]
    )
    if changed and public:
        approved_comments_changed.send(sender=Comment)
    return changed


def _comment_subject(comment: Comment) -> str:
    return f"comment #{comment.pk} by {comment.name}: “{Truncator(comment.body).chars(120)}”"


@transaction.atomic
def comments_delete(*, comments, by) -> int:
    """Delete `comments` (a queryset) for good; the audit log keeps who deleted which
    comment, with its text. Returns how many were deleted."""
    doomed = list(comments.select_related("article").order_by("pk"))
    audit_record_many(
        [
            audit_event(
                kind=AuditKind.DELETION,
                by=by,
                action=f"Deleted a comment ({c.get_status_display().lower()})",
                article=c.article,
                subject=_comment_subject(c),
            )
            for c in doomed
        ]
    )
    Comment.objects.filter(pk__in=[c.pk for c in doomed]).delete()
    return len(doomed)
