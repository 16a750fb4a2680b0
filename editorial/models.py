from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import ArticleStatus
from core.models import NFCTextModel


class ArticleTransition(NFCTextModel):
    """One change of status: who moved the article, when, from which status to which."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("article"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    from_status = models.CharField(
        max_length=20, choices=ArticleStatus.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=20, choices=ArticleStatus.choices, verbose_name=_("to status")
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The publish time set by this transition, if any."),
        verbose_name=_("published at"),
    )
    effective_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a transition scheduled for later takes effect (an unpublish at a time)."),
        verbose_name=_("effective at"),
    )
    note = models.TextField(
        blank=True, help_text=_("The reason given, e.g. for a return."), verbose_name=_("note")
    )
    failed_checks = models.TextField(
        blank=True,
        help_text=_(
            "What the story failed of the checks before publishing, one per line "
            "(editorial.checks), when an editor published it anyway."
        ),
        verbose_name=_("failed checks"),
    )
    override_reason = models.TextField(
        blank=True,
        help_text=_("Why the editor published it despite the failed checks."),
        verbose_name=_("override reason"),
    )

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
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


class Autosave(models.Model):
    """What one journalist typed into one article's form and has not saved yet, sent by the
    form a few seconds after each change (static/admin/js/autosave.js). One row per person
    per article, replaced as they type: never a revision, never the article itself, so the
    article's state and its public pages do not move. No article: the add form's copy. A
    real save of the form deletes it (editorial.services.autosave_delete)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for the text typed into the add form, before the article exists."),
        verbose_name=_("article"),
    )
    data = models.JSONField(
        help_text=_("The form's text fields by name (title, lead, body, …)."),
        verbose_name=_("data"),
    )
    base_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The article's version the form was opened at."),
        verbose_name=_("base version"),
    )
    updated = models.DateTimeField(default=timezone.now, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        ordering = ["-updated"]
        get_latest_by = "updated"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="autosave_user_article_unique"
            ),
            # NULLs are distinct in a unique constraint: the add form's copy needs its own.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_user_new_article_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.article or 'a new article'}"


# An open form's heartbeat comes every PRESENCE_BEAT_SECONDS; a person whose form missed
# two is gone after PRESENCE_SECONDS.
PRESENCE_BEAT_SECONDS = 20
PRESENCE_SECONDS = 60


class EditingPresence(models.Model):
    """Someone has an article's form open for editing, renewed by the form's heartbeat
    (static/admin/js/presence.js). Kept in the database, not the cache: the embedded
    default cache is each process's own memory, and every worker must see every editor. A
    row not renewed for PRESENCE_SECONDS no longer counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    since = models.DateTimeField(
        default=timezone.now, help_text=_("When this person opened it."), verbose_name=_("since")
    )
    seen = models.DateTimeField(
        default=timezone.now, help_text=_("Their form's last heartbeat."), verbose_name=_("seen")
    )

    class Meta:
        verbose_name = _("editing presence")
        verbose_name_plural = _("editing presences")
        ordering = ["since"]
        get_latest_by = "seen"
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="presence_user_article_unique")
        ]
        indexes = [models.Index(fields=["article", "seen"], name="presence_article_seen_idx")]

    def __str__(self):
        return f"{self.user} editing {self.article}"


class PreviewLink(NFCTextModel):
    """A preview of an article that an editor shares with someone outside the admin (a source
    checking a quote): its address carries a signed token naming this row, it works until
    `expires_at` unless revoked first, and it shows the article as it is when opened."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="preview_links",
        verbose_name=_("article"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    expires_at = models.DateTimeField(
        help_text=_("The link answers “expired” from then on."), verbose_name=_("expires at")
    )
    shared_with = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Who the link is for, for the newsroom's own record (never shown on the preview)."
        ),
        verbose_name=_("shared with"),
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            models.Index(fields=["article", "-created_at"], name="previewlink_article_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="previewlink_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"Preview link {self.pk} of {self.article}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and not self.is_expired(now)


class DeskPreference(models.Model):
    """One journalist's own settings for the newsroom's admin, set by themselves only
    (editorial.services.desk_language_set). The admin speaks `language`; empty, it follows
    the browser's Accept-Language among settings.LANGUAGES. The public site is English for
    everyone, whatever is chosen here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="desk_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("", _("The browser's language")), *settings.LANGUAGES],
        help_text=_("The language of the admin; the public site stays in English."),
    )

    class Meta:
        verbose_name = _("desk preference")
        verbose_name_plural = _("desk preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["", *(code for code, _n in settings.LANGUAGES)]),
                name="deskpreference_language_known",
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.language or 'browser'}"
