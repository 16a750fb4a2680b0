"""Load the demo content into an empty database (used by `make run`)."""

import datetime
import io
import textwrap
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

from articles.models import Article
from frontpage.models import PaperPage
from pictures.services import library_picture_add_stored
from sections.models import Section

# One colour per section (by its position in the navigation), darkish so white text reads.
PALETTE = [
    (163, 17, 26),
    (11, 79, 138),
    (30, 110, 60),
    (120, 60, 140),
    (170, 90, 10),
    (20, 110, 120),
    (90, 90, 90),
    (140, 40, 90),
]
FONT_FILES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]


def _font(size: int):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def placeholder_picture(article: Article, colour: tuple[int, int, int]) -> bytes:
    """An honest placeholder: the section's colour, its name and the headline, 1200 × 800."""
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    # A lighter band along the top, like a section flag.
    draw.rectangle((0, 0, 1200, 90), fill=tuple(min(255, c + 40) for c in colour))
    draw.text((60, 22), article.section.name.upper(), font=_font(40), fill="white")
    headline = textwrap.fill(article.title, width=24)
    draw.multiline_text((60, 170), headline, font=_font(72), fill="white", spacing=18)
    draw.text((60, 720), "Demo picture", font=_font(30), fill=(235, 235, 235))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# The paper's own pages, as demo text an editor replaces (Pages of the paper in the admin).
DEMO_PAGES = {
    "about": (
        "About us",
        "<p>Điện Biên Phủ Online is the English edition of the provincial newspaper of Điện "
        "Biên. It carries the province's news: politics, business, social affairs, culture "
        "and tourism.</p><p><em>Demo text: the editors write this page under Pages of the "
        "paper in the admin.</em></p>",
    ),
    "contact": (
        "Contact the newsroom",
        "<p>The newsroom's address, telephone and e-mail go here.</p><p><em>Demo text: the "
        "editors write this page under Pages of the paper in the admin.</em></p>",
    ),
    "editorial-team": (
        "The editorial team",
        "<p>The editor-in-chief, the deputy editors and the English desk are listed "
        "here.</p><p><em>Demo text: the editors write this page under Pages of the paper "
        "in the admin.</em></p>",
    ),
    "corrections-policy": (
        "Corrections policy",
        "<p>When a story gets something wrong, we correct it in the story, say at its foot "
        "what was corrected and when, and list every correction on the "
        '<a href="/corrections/">Corrections</a> page.</p>',
    ),
}


def load_demo_pages() -> None:
    for order, (slug, (title, body)) in enumerate(DEMO_PAGES.items()):
        PaperPage.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "order": order}
        )


def load_demo_live_story() -> None:
    """The newest story as live coverage (started three hours ago, ending in nine), with a
    few entries: a pinned one, a key one, a picture and a quote. Written from the server's
    shell, which has no account to post as, so straight to the rows (no permission to check);
    editors' and reporters' entries go through live.services."""
    from django.utils import timezone

    from live.models import LiveCoverage, LiveEntry

    article = Article.objects.published().order_by("-published_at").first()
    if article is None or LiveCoverage.objects.exists():
        return
    now = timezone.now()
    coverage = LiveCoverage.objects.create(
        article=article,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now + datetime.timedelta(hours=9),
    )
    entries = [
        (170, {"text": "Our reporters are on their way. Demo entry: editors post these under "
               "Live coverage in the admin.", "key": True}),
        (120, {"text": "The provincial People's Committee meets this morning.",
               "picture": ContentFile(placeholder_picture(article, PALETTE[1]), name="l.jpg"),
               "picture_alt": "A placeholder picture with the story's headline"}),
        (60, {"quote": "Every commune will be reached by the end of the day.",
              "quote_by": "A spokesperson of the provincial People's Committee"}),
        (20, {"text": "Where to follow the story: this page takes in new entries by itself.",
              "pinned": True}),
    ]  # fmt: skip
    for minutes, fields in entries:
        LiveEntry.objects.create(
            coverage=coverage, posted_at=now - datetime.timedelta(minutes=minutes), **fields
        )


class Command(BaseCommand):
    help = (
        "Load fixtures/demo.json when the database has no articles yet, with a generated "
        "placeholder picture for each article (written to MEDIA_ROOT); otherwise do nothing."
    )

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write("Articles already exist: demo data not loaded.")
            return
        call_command("loaddata", "demo", verbosity=0)
        load_demo_pages()
        # loaddata writes rows as they are (raw), bypassing Article.save(): save each once so
        # the derived search documents exist. update_fields keeps the fixture's dates.
        colours = {
            section.pk: PALETTE[n % len(PALETTE)] for n, section in enumerate(Section.objects.all())
        }
        for article in Article.objects.select_related("section"):
            fields = ["title", "lead", "body"]
            if not article.image:
                picture = placeholder_picture(article, colours[article.section_id])
                article.image = ContentFile(picture, name=f"{article.slug[:60]}.jpg")
                article.image_alt = ""  # a placeholder says nothing a caption doesn't
                fields += ["image", "image_alt"]
            article.save(update_fields=fields)
            # The demo's pictures are in the library too, as an uploaded featured picture is,
            # so the chooser and the body editor's picture button have something to offer.
            library_picture_add_stored(
                name=article.image.name,
                description=article.image_alt or f"Demo picture for “{article.title}”",
                caption=article.image_caption,
                credit=article.image_credit or "Demo picture",
                by=None,
            )
        load_demo_live_story()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded demo data: {Article.objects.count()} articles.")
        )
