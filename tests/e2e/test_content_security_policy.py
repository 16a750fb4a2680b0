"""The Content-Security-Policy as chromium applies it: every public page type and the admin
work without a single violation. A policy that blocked the site's own files would pass the
header tests (tests/security/test_headers.py) and still break pages."""

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"

# Records what the browser blocks, installed before any page script runs.
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
    page.csp_console = []
    page.on(
        "console",
        lambda message: (
            page.csp_console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


def violations(page):
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations") + page.csp_console


def test_public_pages_work_under_the_strict_policy(live_server, site, page):
    for name, url in site.items():
        response = page.goto(live_server.url + url)
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        # The stylesheet applied: the masthead has its rule.
        style = page.evaluate(
            "getComputedStyle(document.querySelector('.masthead')).borderBottomStyle"
        )
        assert style == "solid", name
        assert violations(page) == [], name


def test_admin_sign_in_and_article_pages_work_under_the_admin_policy(live_server, page):
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
