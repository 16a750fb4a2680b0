from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import NFCTextModel
from core.reversing import reverse_slug

# The lead and four featured stories.
SLOTS = 5


class HomePick(models.Model):
    """A story an editor pinned to the home page: slot 0 is the lead, 1.. the featured row."""

    SLOTS = SLOTS

    slot = models.PositiveSmallIntegerField(
        unique=True,
        help_text=_(
            "0 is the lead story; 1 to 4 are the featured stories, in that order. "
            "An empty slot shows the latest published story."
        ),
        verbose_name=_("slot"),
    )
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="home_pick",
        help_text=_("A pinned story that is not live (unpublished, scheduled) is skipped."),
        verbose_name=_("article"),
    )

    class Meta:
        verbose_name = _("home page pick")
        verbose_name_plural = _("home page picks")
        ordering = ["slot"]
        constraints = [
            models.CheckConstraint(condition=Q(slot__lt=SLOTS), name="home_pick_slot_range"),
        ]

    def __str__(self):
        return f"{self.slot}: {self.article}"


def validate_banner_link(value: str) -> None:
    """A page of this site ("/articles/…") or an http(s) address; nothing a browser would
    run ("javascript:")."""
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        ("https://", "http://")
    ):
        raise ValidationError(
            "Give a page of this site (starting with /) or an address starting with https://."
        )


class BreakingNewsQuerySet(models.QuerySet):
    def showing(self, now=None):
        """The banners on the pages at `now` (the newest first): started, not yet ended."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now).order_by("-starts_at", "-pk")


class BreakingNews(NFCTextModel):
    """One line with a link at the top of every page, from `starts_at` until `ends_at`: it
    goes away by itself then, on every cached page at once (the page cache's schedule).
    While two overlap, the one that started last shows."""

    text = models.CharField(
        max_length=160,
        help_text=_("One line, e.g. “Floods in Mường Nhé: roads closed”."),
        verbose_name=_("text"),
    )
    link = models.CharField(
        max_length=500,
        validators=[validate_banner_link],
        help_text=_("Where the line leads: a page of this site (/articles/…) or https://…."),
        verbose_name=_("link"),
    )
    starts_at = models.DateTimeField(
        default=timezone.now, help_text=_("Shown from then."), verbose_name=_("starts at")
    )
    ends_at = models.DateTimeField(
        help_text=_("Gone by itself at this time."), verbose_name=_("ends at")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by"))  # fmt: skip

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("breaking news banner")
        verbose_name_plural = _("breaking news banners")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="breaking_news_ends_after_it_starts",
                violation_error_message="The banner must end after it starts.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="breaking_news_text_not_empty"),
        ]
        indexes = [models.Index(fields=["ends_at"], name="breaking_news_ends_idx")]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        self.text = " ".join(self.text.split())


class PaperPage(NFCTextModel):
    """One of the paper's own pages (about us, contact, the editorial team, the corrections
    policy), written by editors and linked from every page's footer in `order`. Its HTML is
    cleaned by the article bodies' allow-list on save."""

    title = models.CharField(max_length=120, verbose_name=_("title"))
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_("Its address: /pages/<slug>/."),
        verbose_name=_("slug"),
    )
    body = models.TextField(verbose_name=_("body"))
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Its place among the footer's links, smallest first."),
        verbose_name=_("order"),
    )
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("page of the paper")
        verbose_name_plural = _("pages of the paper")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="paper_page_title_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="paper_page_slug_not_empty"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from articles.sanitize import sanitize_html

        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("frontpage:page", self.slug)
