from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import ArticleStatus
from core.models import NFCTextModel


class ArticleTransition(NFCTextModel):
    """One change of status: who moved the article, when, from which status to which."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="transitions"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=ArticleStatus.choices)
    to_status = models.CharField(max_length=20, choices=ArticleStatus.choices)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="The publish time set by this transition, if any."
    )
    effective_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a transition scheduled for later takes effect (an unpublish at a time).",
    )
    note = models.TextField(blank=True, help_text="The reason given, e.g. for a return.")
    failed_checks = models.TextField(
        blank=True,
        help_text="What the story failed of the checks before publishing, one per line "
        "(editorial.checks), when an editor published it anyway.",
    )
    override_reason = models.TextField(
        blank=True, help_text="Why the editor published it despite the failed checks."
    )

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(failed_checks="") | ~models.Q(override_reason=""),
                name="transition_failed_checks_have_a_reason",
            )
        ]

    def __str__(self):
        return f"{self.article}: {self.from_status} -> {self.to_status}"
