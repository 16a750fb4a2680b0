"""The layout measured in Chromium: the home page's length on a phone with the demo data,
grids of cards that leave no card alone on a row, and a sidebar that never makes a short
page longer than its content."""

import pytest
from django.core.management import call_command

from articles.models import Correction
from tests.factories import ArticleFactory, SectionFactory, initial_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# About five screens of a phone.
HOME_MAX_HEIGHT_ON_A_PHONE = 4500

# Cards of each grid grouped by row (their top edge); a row is full when its cards' widths
# and gaps add up to the grid's width.
ROWS_OF_EACH_GRID = """() => [...document.querySelectorAll('.card-grid')].map(grid => {
  const gap = parseFloat(getComputedStyle(grid).columnGap) || 0;
  const rows = {};
  for (const card of grid.children) {
    const box = card.getBoundingClientRect();
    (rows[Math.round(box.top)] ||= []).push(box.width);
  }
  const filled = ws => ws.reduce((a, b) => a + b, 0) + gap * (ws.length - 1);
  return {width: grid.getBoundingClientRect().width, rows: Object.values(rows).map(filled)};
})"""


def _height(page, url, viewport):
    page.set_viewport_size(viewport)
    page.goto(url)
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_home_page_with_the_demo_data_is_at_most_five_phone_screens_long(page, live_server):
    initial_sections()  # an earlier transactional test's flush may have removed them
    call_command("load_demo", verbosity=0)
    height = _height(page, live_server.url + "/", PHONE)
    assert height <= HOME_MAX_HEIGHT_ON_A_PHONE, f"the home page is {height} px long at 390 px"
    # Compact rows: after the lead, a story's picture stands beside its headline.
    picture = page.locator(".home-featured .card__picture").first.bounding_box()
    title = page.locator(".home-featured .card__title").first.bounding_box()
    assert picture["width"] < 150 and title["x"] > picture["x"] + picture["width"]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 12])
@pytest.mark.parametrize("width", [390, 700, 1024, 1280])
def test_no_card_is_left_alone_on_a_row_of_a_grid(page, live_server, count, width):
    section = SectionFactory(slug="business", name="Business")
    for n in range(count):
        ArticleFactory(section=section, title=f"Story {n}")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + section.get_absolute_url())
    grids = page.evaluate(ROWS_OF_EACH_GRID)
    assert grids, "the section page shows its stories in a grid"
    for grid in grids:
        for row in grid["rows"]:
            assert row == pytest.approx(grid["width"], abs=2), (count, width, grid)


def test_the_sidebar_does_not_make_the_corrections_page_longer(page, live_server):
    corrected = ArticleFactory(title="A corrected story")
    Correction.objects.create(article=corrected, text="An earlier version misspelt Mường Nhé.")
    for n in range(12):
        ArticleFactory(title=f"Recent story {n}", lead="A lead of thirty words. " * 6)
    _height(page, live_server.url + "/corrections/", DESKTOP)
    # The main column's grid cell stretches to the row: measure what it holds.
    main_bottom = page.evaluate(
        "Math.max(...[...document.querySelector('.layout__main').children]"
        ".map(e => e.getBoundingClientRect().bottom + scrollY))"
    )
    side = page.locator(".recent-news")
    assert side.is_visible() and side.locator(".recent-news__item").count() >= 1
    side_bottom = page.evaluate(
        "document.querySelector('.recent-news').getBoundingClientRect().bottom + scrollY"
    )
    assert side_bottom <= main_bottom + 1, (side_bottom, main_bottom)


def test_the_recent_news_label_runs_into_the_lead_with_no_dash_on_its_own(page, live_server):
    ArticleFactory(title="A story", lead="Điện Biên province markets itself.")
    ArticleFactory(title="Another story")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/corrections/")
    lead = page.locator(".recent-news__lead").first
    text = lead.inner_text()
    label = lead.locator(".recent-news__section").inner_text()
    assert text.startswith(label + " - ĐBP - ")
    # The label and the lead share their first line.
    assert lead.locator(".recent-news__section").bounding_box()["y"] == pytest.approx(
        lead.bounding_box()["y"], abs=4
    )
