"""Bulk volume for benchmarks and query-plan tests: `generate_articles --count 100000`.

On PostgreSQL the rows are copied (COPY) in batches and the search vector is computed by
the database in the same statement that inserts each batch: a million articles in minutes
where the ORM's INSERTs take most of an hour. The folded search documents are derived as
Article.prepare_for_save() derives them, from memoised pieces; the first article of every
batch is derived by prepare_for_save() itself as well and must agree. Elsewhere (SQLite)
the articles go through bulk_create after prepare_for_save().
"""

import functools
import io
import random
import sys
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Tag,
    TaggedArticle,
    search_vector,
)
from articles.sanitize import html_to_text, sanitize_html
from comments.models import Comment
from core.text import nfc, normalize_comment, search_document, slugify_vi
from importing.bulk import CopyTable, reserve_ids
from sections.models import Section

PLACES = [
    "Điện Biên Phủ", "Mường Nhé", "Mường Lay", "Tuần Giáo", "Tủa Chùa", "Mường Chà",
    "Nậm Pồ", "Điện Biên Đông", "Mường Ảng", "Quài Tở", "Na Son", "Thanh Nưa",
]  # fmt: skip
SUBJECTS = [
    "farmers", "teachers", "border guards", "students", "cooperatives", "women's unions",
    "veterans", "health workers", "young volunteers", "tea growers", "coffee growers",
    "tourism operators", "ethnic communities", "local officials",
]  # fmt: skip
ACTIONS = [
    "expand", "celebrate", "restructure", "modernise", "protect", "promote", "rebuild",
    "digitise", "support", "prepare for", "review", "launch",
]  # fmt: skip
OBJECTS = [
    "rice terraces", "the new school year", "rural roads", "clean water projects",
    "OCOP products", "homestays", "the Ban flower festival", "e-commerce", "forest protection",
    "vocational training", "traffic safety", "the provincial Party Congress",
]  # fmt: skip
SENTENCES = [
    "Local authorities say the results so far have exceeded the targets for the year.",
    "Many households in remote villages have taken part, with support from commune officials.",
    "The programme is funded from the provincial budget and national target programmes.",
    "Officials stressed the need for close coordination between departments and localities.",
    "Residents said the changes had already made a difference to their daily lives.",
    "The province plans to replicate the model in other districts next year.",
]  # fmt: skip
TAG_WORDS = [
    "agriculture", "education", "tourism", "border", "health", "culture", "transport",
    "digital transformation", "poverty reduction", "emulation", "Party building", "festival",
    "OCOP", "coffee", "tea", "rice", "forestry", "ethnic minorities", "youth", "veterans",
]  # fmt: skip
COMMENTS = [
    "Cảm ơn tòa soạn đã đưa tin kịp thời.",
    "Mong tỉnh tiếp tục quan tâm đến bà con vùng cao.",
    "Great to see the province investing in this.",
    "Quê tôi ở Mường Chà, đọc bài này thấy rất tự hào!",
    "When will the results be published for the other districts?",
]  # fmt: skip
# Most comments are approved; some wait in the queue or were refused.
COMMENT_STATUSES = ["approved"] * 6 + ["pending", "pending", "rejected", "spam"]
SECTION_COLOURS = [(163, 17, 26), (22, 84, 140), (31, 110, 67), (140, 86, 16), (90, 48, 130)]


# The pieces are NFC already, as save() would store them; so are their concatenations.
PLACES, SUBJECTS, ACTIONS, OBJECTS, SENTENCES = (
    [nfc(text) for text in pieces] for pieces in (PLACES, SUBJECTS, ACTIONS, OBJECTS, SENTENCES)
)
# What prepare_for_save() derives, memoised: a few thousand distinct headlines, leads and
# paragraphs make every generated story.
folded = functools.lru_cache(maxsize=200_000)(search_document)


@functools.lru_cache(maxsize=4096)
def _paragraph(html: str) -> tuple[str, list[str]]:
    """A paragraph's sanitised HTML and its folded words."""
    clean = sanitize_html(html)
    return clean, folded(html_to_text(clean)).split()


def derive(article: Article, paragraphs: list[str]) -> None:
    """Fill what Article.prepare_for_save() derives, for a generated article whose body is
    `paragraphs` (the search vector excepted: the database computes it on insert). Every
    tag of the body becomes a space in its text, so its words are the paragraphs' words."""
    article.first_published_at = article._settled_at()
    pieces = [_paragraph(html) for html in paragraphs]
    article.body = "".join(clean for clean, _words in pieces)
    article.search_title = folded(article.title)
    article.search_lead = folded(article.lead)
    words = [word for _clean, paragraph_words in pieces for word in paragraph_words]
    article.search_body = f" {' '.join(words)} " if words else ""


DERIVED = ("title", "lead", "body", "first_published_at", "search_title", "search_lead",
           "search_body")  # fmt: skip


def check_derived(article: Article, using: str) -> None:
    """Derive `article`'s fields again through prepare_for_save(); raise CommandError
    where derive() disagrees (a rule of save() changed and the fast path did not follow)."""
    again = Article(
        **{f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}
    )
    again.prepare_for_save(using=using)
    differ = [name for name in DERIVED if getattr(again, name) != getattr(article, name)]
    if differ:
        raise CommandError(
            f"The generator derives {', '.join(differ)} unlike Article.prepare_for_save(); "
            "update importing/management/commands/generate_articles.py (derive)."
        )


class ArticleCopy:
    """Batches of generated articles and their rows (bylines, tags, comments) copied into
    PostgreSQL. The articles go through a temporary table so the INSERT that moves them
    computes the search vector with the expression save() writes (articles.models.search_vector)."""

    STAGING = "generated_article"

    def __init__(self, using: str, now):
        self.using = using
        connection = connections[using]
        self.articles = CopyTable(
            Article, connection, now=now, with_pk=True, exclude={"search_vector"},
            table=self.STAGING,
        )  # fmt: skip
        self.bylines = CopyTable(ArticleAuthor, connection, now=now)
        self.tagged = CopyTable(TaggedArticle, connection, now=now)
        self.comments = CopyTable(Comment, connection, now=now)
        vector = (
            Article.objects.using(using)
            .annotate(v=search_vector(F("search_title"), F("search_lead"), F("search_body")))
            .values("v")
        )
        sql, self.vector_params = vector.query.sql_with_params()
        expression = sql.removeprefix("SELECT ").rsplit(' AS "v" FROM', 1)[0]
        table = f'"{Article._meta.db_table}".'
        self.vector_sql = expression.replace(table, f'"{self.STAGING}".')
        columns = ", ".join(f'"{column}"' for column in self.articles.columns)
        self.insert_sql = (
            f'INSERT INTO "{Article._meta.db_table}" ({columns}, "search_vector") '
            f'SELECT {columns}, {self.vector_sql} FROM "{self.STAGING}"'
        )

    def ids(self, count: int) -> list[int]:
        with connections[self.using].cursor() as cursor:
            return reserve_ids(cursor, Article, count)

    def write(self, articles, bylines, tagged, comments) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f'CREATE TEMPORARY TABLE IF NOT EXISTS "{self.STAGING}" '
                f'(LIKE "{Article._meta.db_table}" INCLUDING DEFAULTS)'
            )
            self.articles.copy(cursor, articles)
            cursor.execute(self.insert_sql, self.vector_params)
            cursor.execute(f'TRUNCATE "{self.STAGING}"')
            self.bylines.copy(cursor, bylines)
            self.tagged.copy(cursor, tagged)
            self.comments.copy(cursor, comments)


def progress(done: int, total: int, started: float, stream) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    bar = "#" * filled + "-" * (width - filled)
    stream.write(f"\r[{bar}] {done:,}/{total:,} articles  {rate:,.0f}/s")
    stream.flush()


class Command(BaseCommand):
    help = (
        "Create COUNT realistic published articles in bulk (authors, tags, shared images, "
        "some drafts and scheduled stories, reader comments) for benchmarks and query-plan "
        "tests. On PostgreSQL the rows are copied in batches (--orm: through bulk_create)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1954)
        parser.add_argument("--images", type=int, default=12, help="Distinct images to share.")
        parser.add_argument(
            "--orm", action="store_true", help="Write through bulk_create on PostgreSQL too."
        )

    def handle(self, *args, count, batch_size, seed, images, orm=False, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        rng = random.Random(seed)
        sections = list(Section.objects.all())
        if not sections:
            raise CommandError("No sections: run migrations first.")
        authors = self._authors(rng, max(20, count // 100))  # ~100 stories per byline
        tags = self._tags()
        image_names = self._images(images)
        using = router.db_for_write(Article)
        now = timezone.now()
        fast = None
        if connections[using].vendor == "postgresql" and not orm:
            fast = ArticleCopy(using, now)
        first = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        started = time.monotonic()
        show = sys.stderr.isatty() or options.get("verbosity", 1) > 1
        for start in range(0, count, batch_size):
            size = min(batch_size, count - start)
            with transaction.atomic(using=using):
                if fast:
                    numbers = fast.ids(size)
                else:
                    numbers = range(first + start + 1, first + start + size + 1)
                articles = []
                for n in numbers:
                    article, paragraphs = self._article(rng, n, sections, image_names, now)
                    if fast:
                        article.pk = n
                        derive(article, paragraphs)
                    else:
                        # bulk_create skips save(): fill what save() derives, the same way.
                        article.prepare_for_save(using=using)
                    articles.append(article)
                if fast:
                    check_derived(articles[0], using)
                else:
                    articles = Article.objects.bulk_create(articles, batch_size=500)
                # The rows pointing at the articles, by attribute name.
                bylines = [
                    {"article_id": a.pk, "author_id": author.pk, "order": order}
                    for a in articles
                    for order, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2))))
                ]
                tagged = [
                    {"content_object_id": a.pk, "tag_id": tag.pk}
                    for a in articles
                    for tag in rng.sample(tags, rng.randint(1, 4))
                ]
                comments = [
                    self._comment(rng, a, k)
                    for a in articles
                    if a.published_at is not None and a.published_at <= now
                    for k in range(rng.choice((0, 0, 1, 2, 3, 5, 8)))
                ]
                if fast:
                    fast.write([a.__dict__ for a in articles], bylines, tagged, comments)
                else:
                    for model, rows in (
                        (ArticleAuthor, bylines),
                        (TaggedArticle, tagged),
                        (Comment, comments),
                    ):
                        model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
            if show:
                progress(start + size, count, started, sys.stderr)
        if show:
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {count:,} articles in {elapsed:.1f} s "
                f"({count / max(elapsed, 1e-6) * 60:,.0f} a minute"
                f"{', copied' if fast else ''})."
            )
        )

    def _authors(self, rng, n):
        family = ["Nguyễn", "Lò", "Quàng", "Lường", "Trần", "Phạm", "Vì", "Giàng", "Hoàng"]
        given = ["Văn Săn", "Thị Hoa", "Đức Linh", "Quang Long", "An Chi", "Thanh Hà", "Minh Tú"]
        wanted = {}
        for i in range(n):
            name = f"{rng.choice(family)} {rng.choice(given)} {i + 1}"
            wanted.setdefault(slugify_vi(name), name)
        existing = set(Author.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        # bulk_create skips save(): the names are NFC and trimmed, and the slug is given.
        Author.objects.bulk_create(
            [
                Author(slug=slug, name=name, position="Reporter")
                for slug, name in wanted.items()
                if slug not in existing
            ],
            batch_size=1000,
        )
        by_slug = Author.objects.in_bulk(list(wanted), field_name="slug")
        return [by_slug[slug] for slug in wanted]

    def _tags(self):
        tags = []
        for word in TAG_WORDS:
            tag = Tag.objects.filter(name=word).first() or Tag.objects.create(name=word)
            tags.append(tag)
        return tags

    def _images(self, n):
        names = []
        for i in range(n):
            name = f"generated/placeholder-{i}.jpg"
            if not default_storage.exists(name):
                image = Image.new("RGB", (1200, 800), SECTION_COLOURS[i % len(SECTION_COLOURS)])
                ImageDraw.Draw(image).rectangle((80, 560, 1120, 720), fill=(255, 255, 255))
                buffer = io.BytesIO()
                image.save(buffer, "JPEG", quality=80)
                name = default_storage.save(name, ContentFile(buffer.getvalue()))
            names.append(name)
        return names

    def _comment(self, rng, article, k):
        # bulk_create skips save(): store the body as save() would (NFC, trimmed).
        return {
            "article_id": article.pk,
            "name": f"Reader {k + 1}",
            "email": f"reader{k + 1}@example.com",
            "body": normalize_comment(rng.choice(COMMENTS)),
            "status": rng.choice(COMMENT_STATUSES),
            "created": article.published_at + timedelta(minutes=10 * (k + 1)),
            "ip_hash": f"{rng.getrandbits(256):064x}",
        }

    def _article(self, rng, n, sections, image_names, now):
        place = rng.choice(PLACES)
        title = (f"{place} {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(OBJECTS)}")[
            :180
        ]
        roll = rng.random()
        if roll < 0.02:
            status, published_at = Article.Status.DRAFT, None
        elif roll < 0.03:
            status, published_at = Article.Status.PUBLISHED, now + timedelta(days=rng.randint(1, 9))
        else:
            status = Article.Status.PUBLISHED
            published_at = now - timedelta(minutes=n % 2_600_000 + rng.randint(1, 50))
        paragraphs = [
            f"<p>{' '.join(rng.sample(SENTENCES, 3))}</p>" for _ in range(rng.randint(4, 9))
        ]
        article = Article(
            title=title,
            slug=f"{slugify_vi(title, max_length=190)}-{n}",
            lead=f"In {place}, {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} "
            f"{rng.choice(OBJECTS)}. {rng.choice(SENTENCES)}",
            body="".join(paragraphs),
            section=rng.choice(sections),
            image=rng.choice(image_names),
            image_alt=f"A scene in {place}",
            status=status,
            published_at=published_at,
        )
        return article, paragraphs
