"""The article page in Chromium: it prints as an article, and the share buttons that need a
script appear only where the browser can do what they offer."""

import pytest

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_article_prints_without_navigation_sidebar_form_or_share_links(page, live_server):
    article = ArticleFactory(title="Printed story")
    page.goto(live_server.url + article.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in (".section-nav", ".layout__side", ".comment-form", ".share", ".site-search"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".article__title").is_visible()
    foot = page.locator(".article__printed")
    assert foot.is_visible() and article.get_absolute_url() in foot.inner_text()
    page.emulate_media(media="screen")
    assert not foot.is_visible() and page.locator(".share").is_visible()


def test_copy_link_copies_the_story_address(browser, live_server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        article = ArticleFactory()
        page.goto(live_server.url + article.get_absolute_url())
        page.get_by_role("button", name="Copy link").click()
        page.get_by_text("Link copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.endswith(article.get_absolute_url())
    finally:
        context.close()
