"""A journalist signs in, chooses Vietnamese from the admin's header and works on a desk in
Vietnamese that fits the screen, on a desktop and on a phone."""

from pathlib import Path

import pytest

from editorial import services
from tests.factories import EditorFactory, ReporterFactory, article_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/vi")
# How far the page scrolls sideways, and any heading or link of the desk cut off at its box.
OVERFLOW = """() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    cut: [...document.querySelectorAll(".desk-panel__title, #user-tools a, #user-tools button")]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim()),
})"""


@pytest.fixture
def desk(db):
    reporter, editor = ReporterFactory(), EditorFactory(username="lan")
    for title in ("Mường Thanh rice harvest", "Clean water for highland villages in Mường Nhé"):
        services.article_submit(article=article_by(reporter, title=title), by=reporter)
    return editor


@pytest.mark.parametrize("width", [1280, 390])
def test_a_journalist_chooses_vietnamese_and_sees_the_desk_in_vietnamese(
    browser, live_server, desk, width
):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto(f"{live_server.url}/admin/login/")
        tab.fill("#id_username", desk.username)
        tab.fill("#id_password", "correct horse battery staple")
        tab.click("input[type=submit]")
        assert tab.locator("html").get_attribute("lang") == "en"

        tab.click("#user-tools a:text('Language')")
        tab.check("input[name=language][value=vi]")
        tab.click("input[type=submit]")
        assert tab.locator("html").get_attribute("lang") == "vi"
        assert "Trang quản trị giờ hiển thị bằng Tiếng Việt." in tab.inner_text("ul.messagelist")

        tab.click("a:text('Trang chủ')")
        assert tab.locator("html").get_attribute("lang") == "vi"
        assert tab.locator("h1").first.inner_text() == "Bàn làm việc của bạn"
        text = tab.inner_text("#content")
        assert "Chờ duyệt" in text
        assert "Mường Thanh rice harvest" in text
        assert "Bình luận chờ duyệt" in text
        sizes = tab.evaluate(OVERFLOW)
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"desk-vi-{width}.png"), full_page=True)
    finally:
        tab.close()

    assert sizes["page"] <= 0, "the desk scrolls sideways"
    assert sizes["cut"] == [], "text cut off"
