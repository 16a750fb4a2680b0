"""axe-core finds no serious or critical violation on any page type, on a phone or a desktop."""

import pytest

from tests.e2e.conftest import AXE_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_source():
    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed: run `npm ci` in the project folder")
    return AXE_JS.read_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_pages_have_no_serious_accessibility_violations(
    browser, live_server, site, axe_source, width, scheme
):
    # axe is injected as an inline script, which the strict CSP would rightly block.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    problems = []
    try:
        for name, url in site.items():
            page.goto(live_server.url + url)
            # The contrast rules mean something only if the stylesheet really applied.
            accent = page.evaluate(
                "() => getComputedStyle(document.querySelector('.masthead')).borderBottomStyle"
            )
            assert accent == "solid", f"{name}: site.css did not load"
            page.add_script_tag(content=axe_source)
            results = page.evaluate("() => axe.run(document)")
            for violation in results["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
                    problems.append(f"{name} @{width}px {scheme}: {violation['id']} {targets}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_pages_declare_language_and_have_one_h1_and_landmarks(page, live_server, site):
    for name, url in site.items():
        page.goto(live_server.url + url)
        assert page.get_attribute("html", "lang") == "en", name
        assert page.locator("h1").count() == 1, name
        for landmark in ("header", "nav", "main", "footer"):
            assert page.locator(landmark).count() >= 1, (name, landmark)


def test_skip_link_is_first_in_tab_order_and_moves_to_content(page, live_server, site):
    page.goto(live_server.url + site["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#content"


def test_headings_never_skip_a_level(page, live_server, site):
    for name, url in site.items():
        page.goto(live_server.url + url)
        levels = page.evaluate(
            "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
            ".map(h => Number(h.tagName[1]))"
        )
        assert levels and levels[0] == 1, (name, levels)
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert jumps == [], (name, levels)
