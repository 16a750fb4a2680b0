"""Headlines and article bodies render every Vietnamese letter in the site's own serif face."""

import pytest

from core.text import VIETNAMESE_LETTERS
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERY_LETTER = " ".join(
    "".join(VIETNAMESE_LETTERS[i : i + 12]) for i in range(0, len(VIETNAMESE_LETTERS), 12)
)


def fonts_used(page, selector: str) -> dict[str, int]:
    """The faces the browser really drew `selector`'s text with, and how many glyphs each."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    used = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in used}


def test_headline_and_body_draw_every_vietnamese_letter_in_noto_serif(page, live_server):
    article = ArticleFactory(
        title=f"Điện Biên Phủ {EVERY_LETTER}",
        body=f"<p>{EVERY_LETTER}</p><p><strong>{EVERY_LETTER}</strong></p>",
    )
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate("() => document.fonts.ready")
    for selector in (
        "h1.article__title",
        ".article__body p:first-child",
        ".article__body strong",
    ):
        assert fonts_used(page, selector).keys() == {"Noto Serif"}, selector


def test_headlines_leave_room_for_stacked_marks(page, live_server):
    article = ArticleFactory(title="Ẳng Cang and Mường Ảng: ỖN ĐỊNH " * 4)
    page.goto(live_server.url + article.get_absolute_url())
    size, height = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('h1.article__title'));"
        " return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"
    )
    assert height >= 1.3 * size - 0.5
