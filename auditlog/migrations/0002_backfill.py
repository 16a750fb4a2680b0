"""The events recorded before the audit log, copied into it: every transition of the
articles' logs, the latest moderation decision on each comment (the only one a comment
kept), and the article and comment deletions the admin logged (LogEntry). Restores were
recorded as ordinary revisions and cannot be told apart; they start with the log."""

from django.db import migrations

from auditlog.services import transition_action

BATCH = 2000


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("auditlog", "AuditEvent")
    Transition = apps.get_model("editorial", "ArticleTransition")
    Comment = apps.get_model("comments", "Comment")
    LogEntry = apps.get_model("admin", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    statuses = {"pending": "pending", "approved": "approved", "rejected": "rejected"}

    def name(user):
        return user.username if user is not None else ""

    events = []

    def add(**kwargs):
        events.append(AuditEvent(**kwargs))
        if len(events) >= BATCH:
            AuditEvent.objects.bulk_create(events)
            events.clear()

    for t in Transition.objects.select_related("by", "article").iterator(chunk_size=BATCH):
        add(
            kind="transition",
            at=t.at,
            by=t.by,
            by_name=name(t.by),
            action=transition_action(
                from_status=t.from_status,
                to_status=t.to_status,
                published_at=t.published_at,
                effective_at=t.effective_at,
            ),
            article=t.article,
            article_title=t.article.title,
            note=t.note,
        )
    moderated = Comment.objects.filter(moderated_at__isnull=False).select_related(
        "moderated_by", "article"
    )
    for c in moderated.iterator(chunk_size=BATCH):
        add(
            kind="moderation",
            at=c.moderated_at,
            by=c.moderated_by,
            by_name=name(c.moderated_by),
            action=f"Comment → {statuses.get(c.status, c.status)}",
            article=c.article,
            article_title=c.article.title,
            subject=f"comment #{c.pk} by {c.name}: “{c.body[:120]}”",
            note=c.held_reason,
        )
    kinds = {}
    for app_label, model, what in (
        ("articles", "article", "an article"),
        ("comments", "comment", "a comment"),
    ):
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is not None:
            kinds[content_type.pk] = what
    deletions = LogEntry.objects.filter(action_flag=3, content_type_id__in=list(kinds))
    for entry in deletions.select_related("user").iterator(chunk_size=BATCH):
        add(
            kind="deletion",
            at=entry.action_time,
            by=entry.user,
            by_name=name(entry.user),
            action=f"Deleted {kinds[entry.content_type_id]}",
            article_title=entry.object_repr[:200]
            if kinds[entry.content_type_id] == "an article"
            else "",
            subject=entry.object_repr[:300] if kinds[entry.content_type_id] == "a comment" else "",
        )
    AuditEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0001_initial"),
        ("editorial", "0004_scheduled_unpublish"),
        ("comments", "0003_banned_word_any_tones"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
