import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from articles.sanitize import html_to_text, sanitize_html
from core.models import NFCTextModel
from core.parts import OptionalColumnsQuerySet
from core.reversing import reverse_slug
from core.text import SearchTerm, search_document, slugify_vi
from pictures.fields import PictureField
from pictures.focal import focal_constraints, focal_field
from pictures.models import PictureRenditions


def base_slug(text: str, *, max_length: int) -> str:
    """The slug `text` gets when no other row has it yet (room is left for a "-2" suffix)."""
    return slugify_vi(text, max_length=max_length - 4) or "untitled"


def unique_slug(model, text: str, *, max_length: int, instance_pk=None, among=None) -> str:
    """A slug from `text` that no other row of `model` uses: "title", "title-2", ...

    `among`: the rows whose slugs count as taken (all of `model`'s by default)."""
    base = base_slug(text, max_length=max_length)
    others = model._default_manager.all() if among is None else among
    if instance_pk:
        others = others.exclude(pk=instance_pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


PUBLIC_SLUG_TAKEN = "Another published story has this address; choose another slug."
# Articles whose address is settled: published or scheduled at least once (or published
# now, however the row was written). Only their slugs are taken.
ADDRESSED = Q(first_published_at__isnull=False) | Q(status="published")


class Author(NFCTextModel):
    """A byline. Journalists with an account are linked to it; contributors need none."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    position = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "Optional line under the byline, e.g. "
            "“Member of the provincial Party Committee, Vice Chairperson …”."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text=_("The staff account that writes as this author, if any."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="author_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="author_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # NFC by NFCTextModel, here trimmed too.
        self.name = self.name.strip()
        self.position = self.position.strip()
        if not self.slug:
            self.slug = unique_slug(Author, self.name, max_length=140, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("articles:author", self.slug)


class TagQuerySet(models.QuerySet):
    def public(self):
        """Tags the public may know of: those a published article carries now. A tag used
        only on drafts, scheduled or unpublished stories has no page and is listed nowhere."""
        tagged = TaggedArticle.objects.filter(
            tag=models.OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return self.filter(models.Exists(tagged))


class Tag(NFCTextModel, TagBase):
    """A topic. Its slug is readable ASCII like every other slug ("Điện Biên Phủ" ->
    "dien-bien-phu"); taggit's default keeps the Vietnamese letters, which URLs can't route.

    Its page exists only while a published article carries it (`Tag.objects.public()`)."""

    # taggit's manager (natural keys: fixtures name tags) with public() on it.
    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse_slug("articles:tag", self.slug)

    def slugify(self, tag, i=None):
        slug = slugify_vi(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug


class TagAlias(NFCTextModel):
    """An address a tag had before: a renamed tag's old slug, or a tag merged into another.
    Its page redirects to the tag's own."""

    slug = models.SlugField(max_length=100, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["slug"]
        verbose_name = _("former tag address")
        verbose_name_plural = _("former tag addresses")

    def __str__(self):
        return f"{self.slug} → {self.tag.slug}"


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique"),
        ]

    def __str__(self):
        return f"{self.tag} on {self.content_object}"


# What no list prints: the body, the search documents, and the tags and bylines the revision
# history keeps (JSON decoded for every row read).
LISTING_DEFERRED = (
    "body",
    "search_title",
    "search_lead",
    "search_body",
    "search_vector",
    "tags_snapshot",
    "authors_snapshot",
)

# Counts that apps above this one keep about an article, by annotation name: each is a
# function returning the expression that computes it for the outer row. The comments app
# adds its counts in its AppConfig.ready(), so cards and the admin can print them while
# this app imports nothing of it. Cards can do without them: a listing whose count table is
# locked is read with the counts as None (core.parts.OptionalColumnsQuerySet).
ARTICLE_COUNTS: dict[str, Callable[[], models.Expression]] = {}


def register_count(name: str, expression: Callable[[], models.Expression]) -> None:
    """Make `Article.objects.with_counts(name)` annotate `name` with `expression()`."""
    ARTICLE_COUNTS[name] = expression


# Flags that apps above this one print on an article's card, by annotation name: each is a
# function of a time (an aware datetime, the listing's "now") returning the expression that
# computes the flag for the outer row then (the live app's "live coverage running now").
# The time is the listing's own, so a statement compiled once can be run for any moment
# (core.prepared). Read with the rows, so a card kept under what it prints
# (pagecache.versions.template_key) shows a flag's change at once; a listing whose table is
# locked is read with them as None, like the counts.
CARD_FLAGS: dict[str, Callable[[datetime.datetime], models.Expression]] = {}


def register_card_flag(
    name: str, expression: Callable[[datetime.datetime], models.Expression]
) -> None:
    """Make `Article.objects.for_listing()` annotate `name` with `expression(now)`."""
    CARD_FLAGS[name] = expression


class ArticleQuerySet(OptionalColumnsQuerySet):
    def published(self, *, at=None):
        """The one door to public content: published, publish time reached, and not past
        a scheduled unpublish time, now (or `at`, a statement prepared for any time:
        core.prepared)."""
        now = timezone.now() if at is None else at
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=ArticleStatus.PUBLISHED,
            published_at__lte=now,
        )

    def addressed(self):
        """Articles whose address is settled: published (or scheduled) at least once. Only
        their slugs are taken; a draft's slug is provisional and reserves nothing."""
        return self.filter(ADDRESSED)

    def for_listing(self, *, counts: bool = True, at=None):
        """What cards and lists print (section label included), in one query; not the body.
        With `counts`, what cards print of other tables, the approved-comment count and the
        flags apps add (CARD_FLAGS) as they are now (or at `at`, as published() takes it):
        columns the rows can be read without while their table is locked (None then). Lists
        that print no card (the sidebar, related stories, feeds) leave them out, and read no
        other table."""
        listing = self.select_related("section").defer(*LISTING_DEFERRED)
        if counts:
            now = timezone.now() if at is None else at
            flags = {name: expression(now) for name, expression in CARD_FLAGS.items()}
            listing = (
                listing.with_counts("approved_comment_count")
                .annotate(**flags)
                .optional("approved_comment_count", *flags)
            )
        return listing

    def with_bylines(self):
        """Prefetch the authors in byline order (one extra query for any number of articles)."""
        return self.prefetch_related(Article.bylines_prefetch())

    def with_words(self, terms):
        """Articles where each of `terms` matches a word of the folded headline, lead or
        body, on the stored search documents: a word starting with the term (a whole word
        for a short one) or one of its variants (core.text.SearchTerm)."""
        articles = self
        for term in terms:
            if not isinstance(term, SearchTerm):
                term = SearchTerm(term)
            match = Q()
            for words in term.spellings:
                needle = " " + " ".join(words) + (" " if term.whole or len(words) > 1 else "")
                match |= (
                    Q(search_title__contains=needle)
                    | Q(search_lead__contains=needle)
                    | Q(search_body__contains=needle)
                )
            articles = articles.filter(match)
        return articles

    def matching(self, terms):
        """Articles where every one of `terms` matches, by the rule of with_words: on
        PostgreSQL a full-text query on the GIN-indexed search vector, elsewhere with_words
        itself. Reader search and the admin's search both filter through it."""
        terms = [t if isinstance(t, SearchTerm) else SearchTerm(t) for t in terms]
        if not terms:
            return self.none()
        if connections[self.db].vendor != "postgresql":
            return self.with_words(terms)
        query = SearchQuery(search_tsquery(terms), search_type="raw", config=SEARCH_CONFIG)
        return self.filter(search_vector=query)

    def with_counts(self, *names: str):
        """Annotate each of the counts `names` (see register_count), one subquery each."""
        return self.annotate(**{name: ARTICLE_COUNTS[name]() for name in names})


class ArticleStatus(models.TextChoices):
    """Where an article is in the newsroom. "Scheduled" is PUBLISHED with a future time."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


# PostgreSQL text-search configuration: the documents are folded already, so no stemming
# or stop words, just the words.
SEARCH_CONFIG = "simple"
# The folded copies kept for search, derived from these public fields in Article.save().
SEARCH_SOURCES = {"title": "search_title", "lead": "search_lead", "body": "search_body"}


def search_tsquery(terms) -> str:
    """The raw PostgreSQL tsquery of `terms` (core.text.SearchTerm), by the rule of
    ArticleQuerySet.with_words. The words are letters and digits only
    (core.text.search_words), so they are safe operands."""

    def spelling(words, whole):
        if len(words) > 1:
            return " <-> ".join(words)
        return words[0] if whole else f"{words[0]}:*"

    return " & ".join(
        "(" + " | ".join(spelling(words, term.whole) for words in needed_spellings(term)) + ")"
        for term in terms
    )


def needed_spellings(term: SearchTerm) -> tuple[tuple[str, ...], ...]:
    """The spellings of `term` a match needs: a prefix another prefix spelling starts
    ("teachers" beside its stem "teacher") matches nothing more, so it is left out. The
    stories found are the same, and the planner, which takes the spellings' shares as
    independent, no longer counts the word's stories twice (1.9 times the matches)."""
    spellings = term.spellings
    if term.whole:
        return spellings
    prefixes = [words[0] for words in spellings if len(words) == 1]
    return tuple(
        words
        for words in spellings
        if len(words) > 1 or not any(p != words[0] and words[0].startswith(p) for p in prefixes)
    )


def search_vector(title, lead, body):
    """The weighted PostgreSQL search vector of folded texts (values or column references):
    title A, lead B, body C."""
    return (
        SearchVector(title, weight="A", config=SEARCH_CONFIG)
        + SearchVector(lead, weight="B", config=SEARCH_CONFIG)
        + SearchVector(body, weight="C", config=SEARCH_CONFIG)
    )


class Series(NFCTextModel):
    """Stories run in parts ("… (Part 1)", "… (Part 2)"): a name, what the series is about,
    and its parts in order (Article.series and Article.series_part). Readers see a series
    only through its published parts: the series page and an article's "Part 2 of 3" name
    and link published parts alone."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    description = models.TextField(blank=True, help_text=_("Shown at the top of the series page."))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="series_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="series_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        if not self.slug:
            self.slug = unique_slug(Series, self.name, max_length=200, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("articles:series", self.slug)

    def published_parts(self):
        """The parts readers may see, in order."""
        return Article.objects.published().filter(series=self).order_by("series_part", "pk")


class Article(PictureRenditions, NFCTextModel):
    """A story. The public sees it only through `Article.objects.published()`.

    Search reads folded copies of title, lead and body (and, on PostgreSQL, a search vector
    over them). They are computed in save(); a bulk `update()` of title, lead or body
    would leave them stale, so write articles through save().
    """

    Status = ArticleStatus

    title = models.CharField(max_length=200, help_text=_("The headline: at most 200 characters."))
    slug = models.SlugField(
        max_length=220,
        blank=True,
        help_text=_(
            "The article's address, made from the headline when left empty. A draft's "
            "is provisional: when the article is first published it keeps it unless a story "
            "published before has it, and then ends in “-2”."
        ),
    )
    lead = models.TextField(
        max_length=1000,
        help_text=_(
            "The standfirst: one or two sentences, printed after the dateline “ĐBP - ”. "
            "Do not type the dateline."
        ),
    )
    body = models.TextField(
        blank=True,
        help_text=_(
            "Paragraphs, headings, lists, links, quotes and figures with captions. "
            "Anything else is removed when saved."
        ),
    )
    section = models.ForeignKey(
        "sections.Section", on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    image = PictureField(
        upload_to="articles/%Y/%m/",
        blank=True,
        help_text=_(
            "A JPEG, PNG or WebP photo (no SVG), at most 15 MB and 40 megapixels. "
            "It is turned upright and stored without its metadata (camera, GPS position)."
        ),
    )
    image_alt = models.CharField(
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. "
            "Leave empty only for a purely decorative picture."
        ),
    )
    image_caption = models.CharField(max_length=500, blank=True)
    image_credit = models.CharField(max_length=200, blank=True)
    image_focal_x = focal_field("x")
    image_focal_y = focal_field("y")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the article goes live. A future time schedules it."),
    )
    unpublish_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When a published article comes down by itself (an embargo's end, a "
            "takedown at a time). Set with Unpublish; publishing again clears it."
        ),
    )
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the article first went live (or is scheduled to): from then on its "
            "address is its own. Cleared if it is taken down before it ever went live."
        ),
    )
    needs_headline = models.BooleanField(
        default=False,
        help_text=_(
            "Set when an imported export had no headline. Write a headline, then untick "
            "this: the article cannot be published while it is ticked."
        ),
    )
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_("The series this story is a part of, if any."),
    )
    series_part = models.PositiveSmallIntegerField(
        _("part"),
        null=True,
        blank=True,
        help_text=_("Its number in the series: 1 for Part 1. Required with a series."),
    )
    original_url = models.URLField(
        _("Vietnamese original"),
        max_length=500,
        blank=True,
        help_text=_(
            "The address of this story on the paper's Vietnamese site, if it has one: "
            "the page links to it (“Đọc bằng tiếng Việt”)."
        ),
    )
    comments_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_(
            "Readers may post comments. Untick to close comments: the form is replaced "
            "by a notice and approved comments stay visible."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    search_title = models.TextField(
        blank=True, editable=False, help_text=_("The headline folded for search (set on save).")
    )
    search_lead = models.TextField(
        blank=True, editable=False, help_text=_("The lead folded for search (set on save).")
    )
    search_body = models.TextField(
        blank=True, editable=False, help_text=_("The body text folded for search (set on save).")
    )
    search_vector = SearchVectorField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "PostgreSQL only: the weighted search vector over the folded texts, "
            "GIN-indexed (set on save; always empty on SQLite)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles_created",
        help_text=_("The account that created the article; it counts as one of its authors."),
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Goes up by one on every save; a save made from an older copy is refused."),
    )
    return_reason = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Why an editor returned the article to its author."),
    )
    # What the M2M relations held at each save, so every revision records its tags and
    # bylines (simple-history copies concrete fields only). Written by the services.
    tags_snapshot = models.JSONField(default=list, blank=True, editable=False)
    authors_snapshot = models.JSONField(default=list, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        # The search columns are derived from title, lead and body, which history keeps.
        excluded_fields=[
            "updated",
            "return_reason",
            "first_published_at",
            *SEARCH_SOURCES.values(),
            "search_vector",
        ],
        history_change_reason_field=None,
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", "Can publish, schedule, return and unpublish any article"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # A section's page and its bounded count (core.pagination): with unpublish_at in
            # the index, counting a section's newest thousand stories reads the index alone.
            models.Index(
                fields=["section", "status", "-published_at"],
                include=["unpublish_at"],
                name="article_section_pub_idx",
            ),
            # The page cache asks for the next scheduled unpublish on every content change.
            models.Index(fields=["unpublish_at"], name="article_unpublish_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED, needs_headline=True),
                name="article_published_has_headline",
                violation_error_message="Give the article a headline (and untick “Needs "
                "headline”) before publishing it.",
            ),
            models.CheckConstraint(condition=~Q(lead=""), name="article_lead_not_empty"),
            # Two public addresses can never be the same; drafts' provisional slugs may be.
            models.UniqueConstraint(
                fields=["slug"],
                condition=ADDRESSED,
                name="article_public_slug_unique",
                violation_error_message=PUBLIC_SLUG_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True, series_part__isnull=True)
                | Q(series__isnull=False, series_part__isnull=False, series_part__gte=1),
                name="article_series_has_part",
                violation_error_message="A story in a series has a part number (1 or more), "
                "and only a story in a series has one.",
            ),
            models.UniqueConstraint(
                fields=["series", "series_part"],
                name="article_series_part_unique",
                violation_error_message="Another story is already this part of the series.",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=False, unpublish_at__gt=models.F("published_at")),
                name="article_unpublish_after_publish",
                violation_error_message="An article comes down after it goes live.",
            ),
            *focal_constraints("article_image"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug(self.title)
        self._settle_slug()
        self.prepare_for_save(using=kwargs.get("using"))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCH_SOURCES):
            kwargs["update_fields"] = {*update_fields, *SEARCH_SOURCES.values(), "search_vector"}
        super().save(*args, **kwargs)
        if "search_vector" in self.__dict__ and not isinstance(self.search_vector, str | None):
            # The expression has been written; read the stored vector back only if asked.
            del self.__dict__["search_vector"]

    def get_absolute_url(self):
        # Every card and list prints it: reversed once, the slug put in (core.reversing).
        return reverse_slug("articles:detail", self.slug)

    def clean(self):
        # Validation checks the non-empty-slug constraint, so an empty slug is filled first.
        if not self.slug and self.title:
            self.slug = self._free_slug(self.title)
        if self.slug:
            self._settle_slug()
        # The database constraint says the same, but forms leave out first_published_at and
        # so skip it: a taken address is named on the slug field.
        if self.first_published_at is not None and self.slug:
            taken = Article.objects.addressed().filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                raise ValidationError({"slug": PUBLIC_SLUG_TAKEN})

    def _settle_slug(self) -> None:
        """Published for the first time: the provisional slug becomes the address, unless
        a story published before took it meanwhile (then it gets "-2", "-3", ...)."""
        if self.first_published_at is not None or self.status != ArticleStatus.PUBLISHED:
            return
        taken = Article.objects.addressed().filter(slug=self.slug).exclude(pk=self.pk)
        if taken.exists():
            self.slug = self._free_slug(self.slug)

    def _free_slug(self, text: str) -> str:
        """A slug from `text` that no story published (or scheduled) before has taken."""
        return unique_slug(
            Article, text, max_length=220, instance_pk=self.pk, among=Article.objects.addressed()
        )

    def prepare_for_save(self, *, using=None):
        """Normalise text and derive stored fields (the folded search documents, and on
        PostgreSQL the search vector). save() calls it; bulk writers must too."""
        self.normalize_text()
        self.first_published_at = self._settled_at()
        self.title = self.title.strip()
        self.lead = self.lead.strip()
        self.body = sanitize_html(self.body)
        self.search_title = search_document(self.title)
        self.search_lead = search_document(self.lead)
        self.search_body = search_document(html_to_text(self.body))
        using = using or router.db_for_write(Article, instance=self)
        if connections[using].vendor == "postgresql":
            self.search_vector = search_vector(
                Value(self.search_title), Value(self.search_lead), Value(self.search_body)
            )

    def _settled_at(self):
        """first_published_at as it follows the status: set when first published (moved
        with the publish time while the story has not gone live yet), cleared when it is
        taken down before it ever went live, and kept for good once it has."""
        settled, now = self.first_published_at, timezone.now()
        if settled is not None and settled <= now:
            return settled
        if self.status == ArticleStatus.PUBLISHED:
            return self.published_at
        if self.status == ArticleStatus.UNPUBLISHED:
            went_live = self.published_at is not None and self.published_at <= now
            return self.published_at if went_live else None
        return settled

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def has_come_down(self) -> bool:
        """Published, but past its scheduled unpublish time: readers no longer see it."""
        return (
            self.status == self.Status.PUBLISHED
            and self.unpublish_at is not None
            and self.unpublish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def display_status(self) -> str:
        """The status a journalist reads: "Scheduled" for a published article still to come,
        "Unpublished" for one past its scheduled unpublish time."""
        if self.is_scheduled:
            return str(_("Scheduled"))
        if self.has_come_down:
            return self.Status.UNPUBLISHED.label
        return self.get_status_display()

    def is_written_by(self, user) -> bool:
        """Whether `user` created the article or is one of its bylines."""
        if not user.is_authenticated or self.pk is None:
            return False
        return self.created_by_id == user.pk or self.bylines.filter(author__user=user).exists()

    @staticmethod
    def bylines_prefetch():
        """The authors in byline order, for prefetch_related() and prefetch_related_objects()."""
        return models.Prefetch("authors", queryset=Author.objects.order_by("bylines__order"))

    @property
    def ordered_authors(self):
        """Bylines in the order the editor set (uses the prefetch when there is one)."""
        if "authors" in getattr(self, "_prefetched_objects_cache", {}):
            return self.authors.all()
        return self.authors.order_by("bylines__order")


class ArticleAuthor(models.Model):
    """One byline of an article, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class Correction(NFCTextModel):
    """A dated note an editor appends to a published article; readers see every one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(help_text=_("What was wrong and what is right now. Plain text."))
    created = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-pk"]
        get_latest_by = "created"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="correction_not_empty")]

    def __str__(self):
        return f"Correction to {self.article} ({self.created:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self.text = self.text.strip()  # NFC by NFCTextModel
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#correction-{self.pk}"
