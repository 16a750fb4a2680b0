"""The audit log: one row per decision someone took on the newsroom's content.

Rows are written only by the services that make the change (auditlog.services.audit_record,
called inside their transaction), so an event is in the log exactly when its write
committed. Nobody edits or deletes a row: the admin page is read-only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import NFCTextModel


class AuditKind(models.TextChoices):
    TRANSITION = "transition", "Transition"
    MODERATION = "moderation", "Moderation decision"
    RESTORE = "restore", "Revision restored"
    DELETION = "deletion", "Deletion"
    PREVIEW_LINK = "preview_link", "Preview link"


class AuditEvent(NFCTextModel):
    """Who did what, when, to which article. The article's headline and the person's user
    name are kept beside the links, so the log still reads after either is deleted."""

    Kind = AuditKind

    at = models.DateTimeField("date", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the import, run from the server's shell.",
    )
    by_name = models.CharField(
        "user name",
        max_length=150,
        blank=True,
        help_text="The person's user name at the time; empty for the import.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(
        max_length=200, help_text="What happened, e.g. “In review → Published”."
    )
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty once the article is deleted; its headline stays.",
    )
    article_title = models.CharField("article", max_length=200, blank=True)
    subject = models.CharField(
        max_length=300, blank=True, help_text="What else it concerned, e.g. which comment."
    )
    note = models.TextField(blank=True, help_text="The reason given, if any.")

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        verbose_name = "audit event"
        verbose_name_plural = "audit events"
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
            models.Index(fields=["by", "-at"], name="audit_by_at_idx"),
            models.Index(fields=["article", "-at"], name="audit_article_at_idx"),
            models.Index(fields=["kind", "-at"], name="audit_kind_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AuditKind.values), name="audit_kind_valid"),
        ]

    def __str__(self):
        return f"{self.by_name or '—'}: {self.action}"
