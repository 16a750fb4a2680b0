"""Bulk volume for benchmarks and query-plan tests: `generate_articles --count 100000`."""

import io
import random
import sys
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import Article, ArticleAuthor, Author, Tag, TaggedArticle
from comments.models import Comment
from core.text import normalize_comment, slugify_vi
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
        "some drafts and scheduled stories, reader comments) for benchmarks and query-plan tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1954)
        parser.add_argument("--images", type=int, default=12, help="Distinct images to share.")

    def handle(self, *args, count, batch_size, seed, images, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        rng = random.Random(seed)
        sections = list(Section.objects.all())
        if not sections:
            raise CommandError("No sections: run migrations first.")
        authors = self._authors(rng, max(20, count // 100))  # ~100 stories per byline
        tags = self._tags()
        image_names = self._images(images)
        first = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        now = timezone.now()
        started = time.monotonic()
        show = sys.stderr.isatty() or options.get("verbosity", 1) > 1
        for start in range(0, count, batch_size):
            size = min(batch_size, count - start)
            with transaction.atomic():
                articles = [
                    self._article(rng, first + start + i + 1, sections, image_names, now)
                    for i in range(size)
                ]
                created = Article.objects.bulk_create(articles, batch_size=500)
                ArticleAuthor.objects.bulk_create(
                    [
                        ArticleAuthor(article=a, author=author, order=order)
                        for a in created
                        for order, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2))))
                    ],
                    batch_size=1000,
                )
                TaggedArticle.objects.bulk_create(
                    [
                        TaggedArticle(content_object=a, tag=tag)
                        for a in created
                        for tag in rng.sample(tags, rng.randint(1, 4))
                    ],
                    batch_size=1000,
                )
                Comment.objects.bulk_create(
                    [
                        self._comment(rng, a, k)
                        for a in created
                        if a.published_at is not None and a.published_at <= now
                        for k in range(rng.choice((0, 0, 1, 2, 3, 5, 8)))
                    ],
                    batch_size=1000,
                )
            if show:
                progress(start + size, count, started, sys.stderr)
        if show:
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Created {count:,} articles in {elapsed:.1f} s."))

    def _authors(self, rng, n):
        family = ["Nguyễn", "Lò", "Quàng", "Lường", "Trần", "Phạm", "Vì", "Giàng", "Hoàng"]
        given = ["Văn Săn", "Thị Hoa", "Đức Linh", "Quang Long", "An Chi", "Thanh Hà", "Minh Tú"]
        authors = []
        for i in range(n):
            name = f"{rng.choice(family)} {rng.choice(given)} {i + 1}"
            author, _ = Author.objects.get_or_create(
                slug=slugify_vi(name), defaults={"name": name, "position": "Reporter"}
            )
            authors.append(author)
        return authors

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
        return Comment(
            article=article,
            name=f"Reader {k + 1}",
            email=f"reader{k + 1}@example.com",
            body=normalize_comment(rng.choice(COMMENTS)),
            status=rng.choice(COMMENT_STATUSES),
            created=article.published_at + timedelta(minutes=10 * (k + 1)),
            ip_hash=f"{rng.getrandbits(256):064x}",
        )

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
        body = "".join(
            f"<p>{' '.join(rng.sample(SENTENCES, 3))}</p>" for _ in range(rng.randint(4, 9))
        )
        article = Article(
            title=title,
            slug=f"{slugify_vi(title, max_length=190)}-{n}",
            lead=f"In {place}, {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} "
            f"{rng.choice(OBJECTS)}. {rng.choice(SENTENCES)}",
            body=body,
            section=rng.choice(sections),
            image=rng.choice(image_names),
            image_alt=f"A scene in {place}",
            status=status,
            published_at=published_at,
        )
        # bulk_create skips save(): fill what save() derives, through the same code path.
        article.prepare_for_save()
        return article
