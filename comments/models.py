"""Reader comments. The public sees them only through `Comment.objects.approved()`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from comments.validators import (
    BODY_MAX_CODE_POINTS,
    MAX_LENGTH,
    MIN_LENGTH,
    NAME_MAX_CODE_POINTS,
    NAME_MAX_LENGTH,
    NAME_TOO_LONG_FOR_STORAGE,
    validate_comment_body,
    validate_visible_name,
)
from core.models import NFCTextModel
from core.text import fold, match_form, normalize_comment


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one door to what readers see: approved comments, oldest first."""
        return self.filter(status=CommentStatus.APPROVED).order_by("created", "pk")

    def from_address(self, ip_hash: str, *, since):
        return self.filter(ip_hash=ip_hash, created__gte=since)


def count_subquery(comments=None, article_ref=None):
    """How many of `comments` (default: all) the article `article_ref` points at has
    (default: the outer row's pk), for annotating article lists without one query per row."""
    comments = Comment.objects.all() if comments is None else comments
    counts = (
        comments.filter(article=article_ref if article_ref is not None else OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)


def approved_count_subquery(article_ref=None):
    """The approved-comment count of the article `article_ref` points at (default: the outer
    row's pk)."""
    return count_subquery(Comment.objects.approved(), article_ref)


class Comment(NFCTextModel):
    """A reader's comment under an article. Pending until a moderator approves it (unless
    NEWSROOM_COMMENTS_PREMODERATION is off); posted through `comments.services.comment_post`."""

    Status = CommentStatus

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("article"),
    )
    name = models.CharField(
        # Code points; the rule readers are told (80 characters as they see them) is
        # validate_visible_name's.
        max_length=NAME_MAX_CODE_POINTS,
        validators=[validate_visible_name, ProhibitNullCharactersValidator()],
        error_messages={"max_length": NAME_TOO_LONG_FOR_STORAGE},
        help_text=format_lazy(
            _(
                "The name the reader signs with (at most {} characters as the reader sees "
                "them); shown with the comment."
            ),
            NAME_MAX_LENGTH,
        ),
        verbose_name=_("name"),
    )
    email = models.EmailField(help_text=_("Never shown publicly."), verbose_name=_("email"))
    body = models.TextField(
        validators=[validate_comment_body, ProhibitNullCharactersValidator()],
        help_text=format_lazy(
            _(
                "{} to {} characters as the reader sees them. Shown as plain text: HTML and "
                "links are not active."
            ),
            MIN_LENGTH,
            MAX_LENGTH,
        ),
        verbose_name=_("body"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Only approved comments are shown under the article."),
        verbose_name=_("status"),
    )
    held_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "Why the comment was held or marked as spam when posted. "
            "Moderators only; empty for the ordinary moderation queue."
        ),
        verbose_name=_("held reason"),
    )
    created = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created"))
    ip_hash = models.CharField(
        _("address fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "A keyed hash of the poster's network address (the /64 network for IPv6): "
            "enough to spot one sender, never the address itself."
        ),
    )
    user_agent = models.CharField(
        max_length=300, blank=True, editable=False, verbose_name=_("user agent")
    )
    moderated_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("moderated at")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("moderated by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "pk"]
        get_latest_by = "created"
        indexes = [
            models.Index(
                fields=["article", "status", "created"], name="comment_article_status_idx"
            ),
            models.Index(fields=["status", "created"], name="comment_status_created_idx"),
            models.Index(fields=["ip_hash", "created"], name="comment_address_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
            # A database counts code points, not the characters a reader sees (a flag is two,
            # a family emoji seven), so it holds the bounds every valid comment is within:
            # five characters are at least five code points, 500 at most BODY_MAX_CODE_POINTS.
            # The 5-to-500 rule itself is validate_comment_body's.
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("body"), MIN_LENGTH))
                & Q(LessThanOrEqual(Length("body"), BODY_MAX_CODE_POINTS)),
                name="comment_body_length_bounds",
                violation_error_message=f"A comment has {MIN_LENGTH} to {MAX_LENGTH} characters.",
            ),
            models.CheckConstraint(
                condition=Q(GreaterThan(Length("name"), 0)), name="comment_name_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.article}"

    def save(self, *args, **kwargs):
        self.body = normalize_comment(self.body)
        self.name = self.name.strip()  # NFC by NFCTextModel
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return (
            reverse("articles:detail", kwargs={"slug": self.article.slug}) + f"#comment-{self.pk}"
        )

    def clean(self):
        # Validate and store what will be saved: NFC, one kind of line break, trimmed.
        self.body = normalize_comment(self.body)
        self.name = self.name.strip()  # NFC already: clean_fields() ran first


class BannedWord(NFCTextModel):
    """A word or phrase that sends a comment to spam (core.text.find_banned_words): matched
    on whole words, tone for tone unless `any_tones` is set."""

    word = models.CharField(
        max_length=100,
        unique=True,
        help_text=_(
            "A word or phrase, matched tone for tone: “ngu” does not catch “ngủ” or "
            "“ngũ”. Capitals, look-alike letters, hidden characters and letters written apart "
            "(“n-g-u”, “n g u”) do not matter. Only whole words match."
        ),
        verbose_name=_("word"),
    )
    any_tones = models.BooleanField(
        _("match any tones"),
        default=False,
        help_text=_(
            "For a word written without tones: also catch it written with any tones "
            "and marks (“lua dao” then catches “lừa đảo”, but also innocent words that differ "
            "only in tones)."
        ),
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Why it is banned (optional)."),
        verbose_name=_("note"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")
        ordering = ["word"]
        constraints = [
            models.CheckConstraint(condition=~Q(word=""), name="banned_word_not_empty"),
        ]

    def __str__(self):
        return self.word

    def clean(self):
        if self.any_tones and fold(self.word) != match_form(self.word):
            raise ValidationError(
                {
                    "any_tones": "Write the word without tones or marks to match it with any "
                    f"tones (“{fold(self.word)}”), or leave this unticked to match “{self.word}” "
                    "as written."
                }
            )

    def save(self, *args, **kwargs):
        self.word = self.word.strip()  # NFC by NFCTextModel
        super().save(*args, **kwargs)
