"""Revisions of an article: what each save changed, as readable text.

django-simple-history keeps a copy of the article's concrete fields at every save; the
services store the tags and bylines beside them (tags_snapshot, authors_snapshot), so
every revision records those too.
"""

import datetime

from articles.models import Article

# Fields a revision keeps, in the order a comparison shows them.
REVISION_FIELDS = ["title", "lead", "body", "section", "tags", "authors", "image"]


def changes_since(*, article: Article, version: int) -> list[tuple[str, datetime.datetime, list]]:
    """Who saved `article` after `version`, when, and which revision fields they changed."""
    records = list(article.history.filter(version__gt=version).order_by("history_date"))
    previous = article.history.filter(version__lte=version).order_by("-history_date").first()
    changes = []
    for record in records:
        fields = changed_fields(previous, record) if previous is not None else []
        if previous is not None and previous.status != record.status:
            fields.append(f"status {previous.get_status_display()} → {record.get_status_display()}")
        who = record.history_user.get_username() if record.history_user else "someone"
        changes.append((who, record.history_date, fields))
        previous = record
    return changes


def snapshot(article: Article) -> tuple[list[str], list[dict]]:
    tags = sorted(article.tags.values_list("name", flat=True))
    authors = [
        {"id": b.author_id, "name": b.author.name}
        for b in article.bylines.select_related("author").order_by("order", "pk")
    ]
    return tags, authors


def changed_fields(old, new) -> list[str]:
    """The revision fields that differ between two historical records."""
    fields = []
    for name in REVISION_FIELDS:
        if revision_value(old, name) != revision_value(new, name):
            fields.append(name)
    return fields


def revision_value(record, name: str) -> str:
    """A revision field as readable text (tags and bylines from their snapshots)."""
    if name == "tags":
        return ", ".join(record.tags_snapshot or [])
    if name == "authors":
        return ", ".join(a["name"] for a in record.authors_snapshot or [])
    if name == "section":
        return str(record.section) if record.section_id else ""
    if name == "image":
        return str(record.image or "")
    return getattr(record, name) or ""
