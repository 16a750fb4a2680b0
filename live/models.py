"""Live coverage of a story: its times, who may post to it, and its entries."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.sanitize import html_to_text, sanitize_html
from core.models import NFCTextModel
from pictures.fields import PictureField
from pictures.models import PictureRenditions


class LiveState(models.TextChoices):
    UPCOMING = "upcoming", "Starts soon"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class LiveCoverage(NFCTextModel):
    """A story followed live: readers' pages take in its entries while now is between
    `starts_at` and `ends_at`, and the page turns to "ended" at `ends_at` by itself (the
    page cache's schedule), with no one having to remember it. Editors post entries, and
    so do the reporters an editor names here."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="live_coverage",
        help_text=_("The story the entries appear under. Readers see them once it is published."),
    )
    starts_at = models.DateTimeField(
        default=timezone.now, help_text=_("The page says “Live” from then.")
    )
    ends_at = models.DateTimeField(
        help_text=_(
            "The coverage ends by itself at this time: the page stops taking in "
            "updates and says “Ended”. Move it later to carry on."
        )
    )
    reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("Reporters who may post entries to this story (editors always may)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-starts_at", "-pk"]
        get_latest_by = "starts_at"
        verbose_name = _("live story")
        verbose_name_plural = _("live stories")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="live_coverage_ends_after_it_starts",
                violation_error_message="The live coverage must end after it starts.",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="live_coverage_ends_idx")]

    def __str__(self):
        return str(self.article)

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    def state(self, now=None) -> LiveState:
        now = now or timezone.now()
        if now < self.starts_at:
            return LiveState.UPCOMING
        return LiveState.LIVE if now < self.ends_at else LiveState.ENDED


def clean_entry_text(text: str) -> str:
    """An entry's text as stored: through the article bodies' allow-list; text typed without
    any tag becomes paragraphs (a blank line between them), escaped."""
    text = (text or "").strip()
    if not text:
        return ""
    if "<" not in text:
        text = linebreaks(text, autoescape=True)
    return sanitize_html(text).strip()


class LiveEntry(PictureRenditions, NFCTextModel):
    """One short update of a live story: text, a picture, a quote, or several of these,
    at its time. One entry of a story may be pinned above the others; any may be key
    (listed at the top as the story's key moments)."""

    coverage = models.ForeignKey(
        LiveCoverage,
        verbose_name=_("live story"),
        on_delete=models.CASCADE,
        related_name="entries",
        help_text=_("The story the entry appears under."),
    )
    posted_at = models.DateTimeField(
        "time",
        default=timezone.now,
        db_index=True,
        help_text=_(
            "Shown beside the entry (GMT+7); entries are listed newest first. "
            "It may not be in the future."
        ),
    )
    text = models.TextField(
        blank=True,
        help_text=_(
            "A few sentences. A blank line starts a new paragraph; links, bold and "
            "italics may be written in HTML."
        ),
    )
    picture = PictureField(
        upload_to="live/%Y/%m/",
        blank=True,
        help_text=_(
            "A JPEG, PNG or WebP photo (no SVG), at most 15 MB and 40 megapixels, "
            "stored without its metadata."
        ),
    )
    picture_alt = models.CharField(
        "picture description",
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required with a picture."
        ),
    )
    picture_credit = models.CharField(max_length=200, blank=True)
    quote = models.TextField(blank=True, help_text=_("Words someone said, without quote marks."))
    quote_by = models.CharField(
        "quote from",
        max_length=200,
        blank=True,
        help_text=_(
            "Who said it, e.g. “Lò Văn Mừng, chairman of the provincial People's "
            "Committee”. Required with a quote."
        ),
    )
    pinned = models.BooleanField(
        default=False,
        help_text=_("Shown above every other entry. Pinning one unpins the story's other."),
    )
    key = models.BooleanField(
        _("key entry"), default=False, help_text=_("Listed at the top among the key moments.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-posted_at", "-pk"]
        get_latest_by = "posted_at"
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        constraints = [
            models.UniqueConstraint(
                fields=["coverage"],
                condition=Q(pinned=True),
                name="live_entry_one_pinned_per_story",
                violation_error_message="Another entry of this story is already pinned.",
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(picture="") | ~Q(quote=""),
                name="live_entry_not_empty",
                violation_error_message="Write some text, add a picture or a quote.",
            ),
            models.CheckConstraint(
                condition=Q(quote="") | ~Q(quote_by=""),
                name="live_entry_quote_has_speaker",
                violation_error_message="Say who said the quote.",
            ),
            models.CheckConstraint(
                condition=Q(quote_by="") | ~Q(quote=""),
                name="live_entry_speaker_has_quote",
                violation_error_message="A speaker is given with a quote only.",
            ),
            models.CheckConstraint(
                condition=Q(picture="") | ~Q(picture_alt=""),
                name="live_entry_picture_described",
                violation_error_message="Describe the picture for readers who cannot see it.",
            ),
        ]
        indexes = [
            models.Index(fields=["coverage", "-posted_at"], name="live_entry_story_time_idx")
        ]

    def __str__(self):
        return f"{self.posted_at:%Y-%m-%d %H:%M}: {self.headline}"

    def get_absolute_url(self):
        return f"{self.coverage.article.get_absolute_url()}#live-entry-{self.pk}"

    def clean(self):
        super().clean()
        # A clock a minute ahead of the server's is not "in the future".
        if self.posted_at and self.posted_at > timezone.now() + datetime.timedelta(minutes=1):
            raise ValidationError({"posted_at": "An entry's time may not be in the future."})

    def normalize_text(self) -> None:
        super().normalize_text()
        self.text = clean_entry_text(self.text)
        self.quote = " ".join(self.quote.split())
        self.quote_by = " ".join(self.quote_by.split())

    @property
    def headline(self) -> str:
        """The entry's first words, for its structured data and lists: its text, else the
        quote, else the picture's description."""
        words = " ".join(html_to_text(self.text).split()) or self.quote or self.picture_alt
        return Truncator(words).chars(110)
