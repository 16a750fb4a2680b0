"""A live story in a real browser at 390 px: the page asks for updates on its poll
interval, is answered 304 while nothing changed, takes in a new entry without a reload,
and stops asking once the coverage has ended."""

import datetime
import os
import time

import pytest
from django.utils import timezone

from live.services import coverage_save, entry_post
from tests.factories import EditorFactory, LiveCoverageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("NEWSROOM_SHOTS")  # a folder to keep screenshots in, if set


@pytest.fixture(autouse=True)
def _fast_polls(settings, page_cache_on):
    # Production asks every 30 s; the page reads the interval from data-live-poll.
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1


def wait_until(page, check, seconds=10):
    """Playwright hands the page's events over while it is waited on, not in a sleep."""
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return check()


def test_a_new_entry_appears_after_the_poll_without_a_reload(page, live_server):
    editor = EditorFactory()
    coverage = LiveCoverageFactory(article__title="Floods in Mường Nhé: live")
    entry_post(coverage=coverage, by=editor, text="Rain has fallen since dawn.", key=True)
    polls = []
    page.on(
        "response",
        lambda response: polls.append(response.status) if "/live/" in response.url else None,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + coverage.article.get_absolute_url())
    page.evaluate("window.__same_page = true")
    assert wait_until(page, lambda: 304 in polls), polls

    entry_post(coverage=coverage, by=editor, text="Soldiers arrive with boats in Chà Cang.")
    first = page.locator(".live__entries > li").first
    first.get_by_text("Soldiers arrive with boats in Chà Cang.").wait_for(timeout=10_000)
    assert page.evaluate("window.__same_page") is True  # no reload
    assert 200 in polls[polls.index(304) :]
    assert page.locator(".live__announce").inner_text() == "1 new update"
    assert page.locator(".live__entries > li").count() == 2
    newest = page.locator(".live__entries time").first.get_attribute("datetime")
    assert page.locator(".live-marker time").get_attribute("datetime") == newest
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px"
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "live-390-after-poll.png"), full_page=True)

    coverage.ends_at = timezone.now() + datetime.timedelta(milliseconds=200)
    coverage_save(coverage=coverage, by=editor)
    page.locator('#live[data-live-state="ended"]').wait_for(timeout=10_000)
    assert "Live coverage ended" in page.locator(".live__heading").inner_text()
    assert page.locator(".live-marker").count() == 0
    asked = len(polls)
    page.wait_for_timeout(3000)
    assert len(polls) == asked, "the page still asks for updates after the coverage ended"
