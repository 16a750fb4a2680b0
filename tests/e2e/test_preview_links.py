"""Sharing a preview in a real browser: an editor makes a link on the article's "Share
preview" page, someone without an account opens it, the editor revokes it, and the same
address then answers the site's 410 page."""

import pytest

from tests.factories import EditorFactory, ReporterFactory, article_by, jpeg
from tests.pictures.test_media_nginx import app_server  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# How many pictures of the article arrived whole; -1 if one did not.
LOADED_PICTURES = """() => {
    const pictures = [...document.querySelectorAll("article img")];
    return pictures.every(p => p.complete && p.naturalWidth > 0) ? pictures.length : -1;
}"""


def sign_in(page, site, user):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")


def test_an_editor_shares_a_draft_with_an_outsider_then_revokes_the_link(
    page,
    browser,
    app_server,  # noqa: F811
    settings,
):
    # The site as deployed, media gate included (the live server answers media itself).
    site = settings.NEWSROOM_SITE_URL = f"http://{app_server}"
    draft = article_by(
        ReporterFactory(),
        title="Quote check: the Mường Phăng cooperative",
        lead="Farmers sell their first crop.",
        image=jpeg(),
        image_alt="Coffee cherries drying",
    )
    sign_in(page, site, EditorFactory())
    page.goto(f"{site}/admin/articles/article/{draft.pk}/change/")
    page.click("a:text-is('Share preview')")
    assert page.is_checked("input[name=lifetime][value='24h']")  # the default
    page.check("input[name=lifetime][value='1h']")
    page.fill("input[name=shared_with]", "Ông Lò Văn Minh")
    page.click("input[value='Make a preview link']")
    url = page.input_value(".preview-link__url")
    assert url.startswith(f"{site}/preview/shared/")

    outsider = browser.new_context()
    try:
        reader = outsider.new_page()
        response = reader.goto(url)
        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        assert "no-store" in response.headers["cache-control"]
        assert reader.locator("h1.article__title").inner_text() == draft.title
        assert "not published" in reader.locator(".preview-banner").inner_text()
        # The draft's picture is not public; the link's holder sees it all the same.
        assert reader.evaluate(LOADED_PICTURES) >= 1
        assert reader.locator("meta[name=robots][content='noindex, nofollow']").count() == 1

        page.click("tr.preview-link--active button:text-is('Revoke')")
        page.wait_for_selector(".preview-link--revoked")

        response = reader.reload()
        assert response.status == 410
        assert reader.locator("h1").inner_text() == "This preview link no longer works"
        assert "withdrew this link" in reader.locator(".error-page").inner_text()
        assert draft.title not in reader.content()
    finally:
        outsider.close()
