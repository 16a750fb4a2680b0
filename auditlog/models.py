"""The audit log: one row per decision someone took on the newsroom's content.

Rows are written only by the services that make the change (auditlog.services.audit_record,
called inside their transaction), so an event is in the log exactly when its write
committed. Nobody edits or deletes a row: the admin page is read-only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import NFCTextModel


class AuditKind(models.TextChoices):
    TRANSITION = "transition", _("Transition")
    MODERATION = "moderation", _("Moderation decision")
    RESTORE = "restore", _("Revision restored")
    DELETION = "deletion", _("Deletion")
    PREVIEW_LINK = "preview_link", _("Preview link")


class AuditEvent(NFCTextModel):
    """Who did what, when, to which article. The article's headline and the person's user
    name are kept beside the links, so the log still reads after either is deleted."""

    Kind = AuditKind

    at = models.DateTimeField(_("date"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for the import, run from the server's shell."),
    )
    by_name = models.CharField(
        _("user name"),
        max_length=150,
        blank=True,
        help_text=_("The person's user name at the time; empty for the import."),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    action = models.CharField(
        max_length=200,
        help_text=_("What happened, e.g. “In review → Published”."),
        verbose_name=_("action"),
    )
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty once the article is deleted; its headline stays."),
        verbose_name=_("article"),
    )
    article_title = models.CharField(_("article"), max_length=200, blank=True)
    subject = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("What else it concerned, e.g. which comment."),
        verbose_name=_("subject"),
    )
    note = models.TextField(
        blank=True, help_text=_("The reason given, if any."), verbose_name=_("note")
    )

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
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
