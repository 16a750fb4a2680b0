"""The Content-Security-Policy as a real browser applies it: public pages and the admin work
without a single violation (a policy that blocks the site's own code would pass the header
tests and still break pages)."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, UserFactory

PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Collects what the browser reports as blocked, before any page script runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console_errors = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.console_errors = console_errors
    yield page
    context.close()


def violations(page):
    page.wait_for_load_state("load")
    reported = page.evaluate("window.__cspViolations")
    console = [text for text in page.console_errors if "Content Security Policy" in text]
    return reported + console


def test_public_pages_work_under_the_strict_policy(live_server, page):
    author = AuthorFactory(name="Đức Linh")
    article = ArticleFactory(authors=[author], tags=["tourism"])
    for path in [
        "/",
        article.section.get_absolute_url(),
        article.get_absolute_url(),
        "/tags/tourism/",
        author.get_absolute_url(),
        "/no-such-page/",
    ]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px", path
        assert violations(page) == [], path


def test_admin_sign_in_and_article_form_work_under_the_admin_policy(live_server, page):
    UserFactory(username="chief", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/admin/login/")
    assert violations(page) == []
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for path in ["/admin/", "/admin/articles/article/add/", "/admin/articles/article/"]:
        page.goto(live_server.url + path)
        assert violations(page) == [], path
