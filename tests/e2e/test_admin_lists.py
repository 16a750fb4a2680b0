"""The article list and the audit log fit the screen, in English and in Vietnamese: at
1280 px no column is cut off, the page does not scroll sideways and a headline reads several
words a line; at 390 px (a phone) each story is a card with its headline across the
screen."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from auditlog.models import AuditEvent
from auditlog.services import audit_record
from editorial.services import desk_language_set
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLES, AUDIT = "/admin/articles/article/", "/admin/auditlog/auditevent/"
# How wide the headline column must be at least, by list and screen width: at 1280 px the
# article list's headline reads five or six words a line, the audit log's (one column of
# five) three or four; on a phone each headline runs across its card.
TITLE_WIDTH = {(ARTICLES, 1280): 280, (ARTICLES, 390): 300, (AUDIT, 1280): 160, (AUDIT, 390): 300}

# Every measurement at once: how far the page and the list's own box scroll sideways, the
# widest cell's right edge against the list's, and the headline cells' widths.
MEASURE = """() => {
    const results = document.querySelector("#changelist .results");
    const box = results.getBoundingClientRect();
    const cells = [...results.querySelectorAll("th, td")].filter(c => c.offsetParent !== null);
    const titles = [...results.querySelectorAll("tbody .field-title, tbody .field-article_link")];
    return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        list: results.scrollWidth - results.clientWidth,
        beyond: Math.max(...cells.map(c => c.getBoundingClientRect().right)) - box.right,
        titles: titles.map(t => t.getBoundingClientRect().width),
    };
}"""


@pytest.fixture
def newsroom(db):
    """A day's list: long headlines, long section and author names, every status."""
    sections = [
        SectionFactory(name="News - Politics", slug="news-politics"),
        SectionFactory(name="Culture - Tourism", slug="culture-tourism"),
    ]
    authors = [AuthorFactory(name="Nguyễn Thị Thanh Hương"), AuthorFactory(name="Lò Văn Mạnh")]
    now = timezone.now()
    statuses = [
        {"status": Article.Status.PUBLISHED, "published_at": now - datetime.timedelta(hours=2)},
        {"status": Article.Status.PUBLISHED, "published_at": now + datetime.timedelta(hours=5)},
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.IN_REVIEW, "published_at": None},
        {"status": Article.Status.UNPUBLISHED, "published_at": now - datetime.timedelta(days=3)},
    ]
    editor = EditorFactory(username="minh")
    for n in range(15):
        article = ArticleFactory(
            title=f"Điện Biên Phủ province launches the campaign to bring clean water to "
            f"highland villages in Mường Nhé, part {n}",
            section=sections[n % 2],
            authors=authors if n % 3 else authors[:1],
            **statuses[n % len(statuses)],
        )
        if n % 4 == 0:
            CommentFactory(article=article)
        audit_record(
            kind=AuditEvent.Kind.TRANSITION,
            by=editor,
            article=article,
            action="In review → Published for 2026-12-02 09:00",
            note="Checked the figures with the provincial water board.",
        )
    return editor


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", [ARTICLES, AUDIT], ids=["articles", "audit"])
def test_the_list_fits_the_screen_with_its_headlines_readable(
    browser, live_server, newsroom, width, path, language
):
    # Vietnamese column headers and filters are longer than the English ones.
    desk_language_set(user=newsroom, language=language)
    tab = browser.new_page(viewport={"width": width, "height": 900})
    try:
        sign_in(tab, live_server, newsroom)
        tab.goto(live_server.url + path)
        assert tab.locator("html").get_attribute("lang") == language
        sizes = tab.evaluate(MEASURE)
    finally:
        tab.close()

    assert sizes["page"] <= 0, "the page scrolls sideways"
    assert sizes["list"] <= 0, "the list scrolls sideways inside its box"
    assert sizes["beyond"] <= 1, "a column runs past the list's edge"
    assert len(sizes["titles"]) == 15
    assert min(sizes["titles"]) >= TITLE_WIDTH[path, width]
