"""The one door for writes to live stories: the admin and the demo loader call these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from auditlog.services import AuditKind, audit_record
from live.models import LiveCoverage, LiveEntry
from live.permissions import can_change, can_delete, can_feature, can_post, is_live_editor

# Fields of an entry a person writes (the rest are the service's).
ENTRY_FIELDS = (
    "posted_at", "text", "picture", "picture_alt", "picture_credit", "quote", "quote_by",
    "pinned", "key",
)  # fmt: skip


@transaction.atomic
def coverage_save(*, coverage: LiveCoverage, by, reporters=None) -> LiveCoverage:
    """Create or change a live story (its times, and who may post when `reporters` is
    given); editors only."""
    if not is_live_editor(by):
        raise PermissionDenied("Only editors set a story live.")
    if coverage.pk is None:
        coverage.created_by = by
    coverage.full_clean()
    coverage.save()
    if reporters is not None:
        coverage.reporters.set(reporters)
    return coverage


def _unpin_others(entry: LiveEntry) -> None:
    """Pinning an entry takes the pin from the story's other one (the database allows
    one); its row is locked so two editors pinning at once queue rather than fail."""
    if not entry.pinned:
        return
    others = LiveEntry.objects.select_for_update().filter(coverage=entry.coverage, pinned=True)
    if entry.pk is not None:
        others = others.exclude(pk=entry.pk)
    for other in others:
        other.pinned = False
        other.save(update_fields=["pinned", "updated"])


def _only_entry_fields(fields: dict) -> None:
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"Not an entry field: {', '.join(sorted(unknown))}")


def _cleaned_and_saved(entry: LiveEntry) -> LiveEntry:
    """Validate `entry`, unpin the story's other entry if this one is pinned (the one-pin
    constraint is then checked against the new state), and save it."""
    entry.full_clean(validate_constraints=False)
    _unpin_others(entry)
    entry.validate_constraints()
    entry.save()
    return entry


@transaction.atomic
def entry_post(*, coverage: LiveCoverage, by, **fields) -> LiveEntry:
    """Post an entry to `coverage` as `by` (an editor, or a reporter named on it); `fields`
    are LiveEntry's ENTRY_FIELDS (its time is now unless given). Pinning it unpins the
    story's other pinned entry. Raises PermissionDenied or ValidationError."""
    if not can_post(by, coverage):
        raise PermissionDenied("You may not post to this live story.")
    _only_entry_fields(fields)
    if (fields.get("pinned") or fields.get("key")) and not can_feature(by):
        raise PermissionDenied("Only editors pin an entry or mark it as key.")
    entry = LiveEntry(coverage=coverage, created_by=by, **fields)
    if entry.posted_at is None:
        entry.posted_at = timezone.now()
    return _cleaned_and_saved(entry)


@transaction.atomic
def entry_update(*, entry: LiveEntry, by, **fields) -> LiveEntry:
    """Change `entry` (ENTRY_FIELDS) as `by`: an editor, or its reporter while named on the
    story; only editors change whether it is pinned or key."""
    if not can_change(by, entry):
        raise PermissionDenied("You may not change this entry.")
    _only_entry_fields(fields)
    current = LiveEntry.objects.get(pk=entry.pk)
    featured = (fields.get("pinned", entry.pinned), fields.get("key", entry.key))
    if featured != (current.pinned, current.key) and not can_feature(by):
        raise PermissionDenied("Only editors pin an entry or mark it as key.")
    for name, value in fields.items():
        setattr(entry, name, value)
    return _cleaned_and_saved(entry)


@transaction.atomic
def entry_delete(*, entry: LiveEntry, by) -> None:
    """Delete `entry` (editors only), recorded in the audit log with its first words."""
    if not can_delete(by, entry):
        raise PermissionDenied("Only editors delete entries.")
    article = entry.coverage.article
    audit_record(
        kind=AuditKind.DELETION,
        by=by,
        action="Live entry deleted",
        article=article,
        subject=f"{timezone.localtime(entry.posted_at):%Y-%m-%d %H:%M}: {entry.headline}",
    )
    entry.delete()
