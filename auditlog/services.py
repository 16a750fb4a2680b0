"""The one door to the audit log. The services that transition, moderate, restore, delete
and share call it inside their own transaction, so a refused or rolled-back write leaves
no event behind."""

import datetime

from django.utils import timezone
from django.utils.text import Truncator

from articles.models import ArticleStatus
from auditlog.models import AuditEvent, AuditKind


def _person(by) -> str:
    return by.get_username() if by is not None else ""


def audit_event(
    *,
    kind: str,
    by,
    action: str,
    article=None,
    article_title: str = "",
    subject: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
) -> AuditEvent:
    """An unsaved event (for audit_record_many); the article's headline is taken from
    `article` unless given."""
    return AuditEvent(
        kind=kind,
        by=by,
        by_name=_person(by),
        action=Truncator(action).chars(200),
        article=article,
        article_title=Truncator(article_title or (article.title if article else "")).chars(200),
        subject=Truncator(subject).chars(300),
        note=note,
        at=at or timezone.now(),
    )


def audit_record(**kwargs) -> AuditEvent:
    """Record one event (keyword arguments as audit_event's) and return it."""
    event = audit_event(**kwargs)
    event.full_clean()
    event.save()
    return event


def audit_record_many(events: list[AuditEvent]) -> None:
    """Record several events made by audit_event at once (a moderator's bulk decision)."""
    for event in events:
        event.normalize_text()
    AuditEvent.objects.bulk_create(events)


def transition_action(
    *,
    from_status: str,
    to_status: str,
    published_at: datetime.datetime | None = None,
    effective_at: datetime.datetime | None = None,
) -> str:
    """A transition as the log says it: “In review → Published for 2026-12-02 09:00”."""
    text = f"{ArticleStatus(from_status).label} → {ArticleStatus(to_status).label}"
    if published_at is not None:
        text += f" for {timezone.localtime(published_at):%Y-%m-%d %H:%M}"
    elif effective_at is not None:
        text += f" at {timezone.localtime(effective_at):%Y-%m-%d %H:%M}"
    return text


__all__ = ["AuditKind", "audit_event", "audit_record", "audit_record_many", "transition_action"]
