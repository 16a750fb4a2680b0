"""The view beacon in a real browser: an article page a reader sees counts one view, a
reload within the hour none, and the most read list names the story."""

import time

import pytest

from mostread.models import ArticleView
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _views_in_the_database(views_in_the_database):
    pass


# Headless Chromium says so in its user agent, which the counter takes for a robot's.
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0"


@pytest.fixture
def page(browser):
    context = browser.new_context(user_agent=READER)
    yield context.new_page()
    context.close()


def wait_for_views(expected, seconds=10):
    deadline = time.monotonic() + seconds
    while ArticleView.objects.count() < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return ArticleView.objects.count()


def test_a_page_a_reader_sees_counts_one_view_and_a_reload_none(page, live_server):
    article = ArticleFactory(title="Read in Chromium")
    page.goto(live_server.url + article.get_absolute_url())
    assert wait_for_views(1) == 1
    page.reload()
    page.wait_for_load_state("load")
    time.sleep(1)
    assert ArticleView.objects.count() == 1
    page.goto(live_server.url + "/")
    assert "Read in Chromium" in page.locator(".most-read").inner_text()


def test_a_page_opened_hidden_counts_only_once_it_is_shown(page, live_server):
    article = ArticleFactory()
    # Hidden from the start: the beacon waits for the page to be shown.
    page.add_init_script(
        "Object.defineProperty(document, 'visibilityState', {get: () => window.__shown ? "
        "'visible' : 'hidden'});"
    )
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("load")
    time.sleep(1)
    assert ArticleView.objects.count() == 0
    page.evaluate("window.__shown = true; document.dispatchEvent(new Event('visibilitychange'))")
    assert wait_for_views(1) == 1


def test_headless_chromium_as_it_announces_itself_is_not_counted(browser, live_server):
    tab = browser.new_page()
    try:
        tab.goto(live_server.url + ArticleFactory().get_absolute_url())
        tab.wait_for_load_state("load")
        time.sleep(1)
        assert ArticleView.objects.count() == 0
    finally:
        tab.close()
