"""The article form in a real browser: the rich-text editor loads and saves, the counters
count."""

import unicodedata

import pytest

from articles.models import Article
from core.text import slugify_vi
from tests.factories import ArticleFactory, ReporterFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_body_editor_loads_and_title_counter_follows_typing(page, live_server):
    SectionFactory(name="Highland farming", slug="highland-farming")
    reporter = ReporterFactory()
    ArticleFactory(tags=["Tủa Chùa", "tea"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", reporter.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(
        ".prose-editor > [contenteditable=true]", state="attached", timeout=10_000
    )
    page.locator(".prose-editor > [contenteditable=true]").first.click()
    page.keyboard.type("Beans from Mường Ảng.")
    page.fill("#id_title", "Điện Biên coffee")
    counter = page.locator("#id_title + .char-count")
    assert counter.inner_text() == "16 / 200 characters"
    assert page.locator("#id_lead + .char-count").inner_text() == "0 / 1000 characters"
    page.locator("#id_tags").press_sequentially("coffee, tủa")
    options = page.eval_on_selector_all(
        "#id_tags-suggestions option", "options => options.map(o => o.value)"
    )
    assert options == ['coffee, "Tủa Chùa"']
    page.fill("#id_lead", "Coffee farmers sell their first crop.")
    page.select_option("#id_section", label="Highland farming")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    article = Article.objects.get(title="Điện Biên coffee")
    assert article.body == "<p>Beans from Mường Ảng.</p>"
    assert article.status == Article.Status.DRAFT
    assert sorted(article.tags.names()) == ["coffee", "tủa"]
    assert errors == []


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")


# Whether leaving the page now would ask: the page's beforeunload handlers, as the browser
# runs them when a link, the back button or closing the tab leaves the page. (Headless
# Chromium shows no such dialog to Playwright, so the test asks the handlers themselves.)
WOULD_ASK = """() => {
    const event = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""


def test_leaving_a_changed_article_form_asks_first_and_saving_does_not(page, live_server):
    reporter = ReporterFactory()
    SectionFactory(name="Highland farming", slug="highland-farming")
    sign_in(page, live_server, reporter)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    assert page.evaluate(WOULD_ASK) is False  # nothing typed yet

    page.click("#id_title")
    page.keyboard.type("Mường Phăng coffee")
    assert page.evaluate(WOULD_ASK) is True

    page.fill("#id_lead", "Farmers sell their first crop.")
    page.select_option("#id_section", label="Highland farming")
    page.evaluate(
        "document.getElementById('article_form').addEventListener('submit', "
        "e => { window.askedOnSave = null; })"
    )
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert Article.objects.filter(title="Mường Phăng coffee").exists()
    assert page.evaluate(WOULD_ASK) is False  # the list page has nothing unsaved


SLUG_TITLES = [
    "Điện Biên Phủ honours its teachers",
    "Mường Nhé: roads reopen after the floods",
    unicodedata.normalize("NFD", "Tủa Chùa tea growers, Ẳng and Ự"),  # pasted decomposed
]


def test_the_proposed_slug_is_the_servers_for_every_typed_or_pasted_title(page, live_server):
    # Sections are added by an administrator; articles by anyone on the desk.
    sign_in(page, live_server, UserFactory(is_staff=True, is_superuser=True))
    for title in SLUG_TITLES:
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        page.click("#id_title")
        if unicodedata.is_normalized("NFC", title):
            page.keyboard.type(title)
        else:
            page.fill("#id_title", title)  # a paste: one input event with the whole text
        expected = slugify_vi(title, max_length=220)
        page.wait_for_function(
            "expected => document.getElementById('id_slug').value === expected", arg=expected
        )
    page.goto(f"{live_server.url}/admin/sections/section/add/")
    page.click("#id_name")
    page.keyboard.type("Văn hóa - Đời sống")
    page.wait_for_function("() => document.getElementById('id_slug').value === 'van-hoa-doi-song'")


PASTE = """(text) => {
    const field = document.activeElement;
    const data = new DataTransfer();
    data.setData("text/plain", text);
    const paste = {clipboardData: data, bubbles: true, cancelable: true};
    field.dispatchEvent(new ClipboardEvent("paste", paste));
    return field.value;
}"""


def test_a_decomposed_paste_arrives_whole_in_a_field_with_a_length_limit(page, live_server):
    sign_in(page, live_server, UserFactory(is_staff=True, is_superuser=True))
    page.goto(f"{live_server.url}/admin/articles/author/add/")
    name = (
        "Nguyễn Thị Ngọc Ánh, Lò Văn Mười, Quàng Thị Hoa, Điêu Chính Tới, Lường Văn Ẩn, "
        "Cầm Thị Hường, Vừ Mí Lềnh"
    )
    assert len(name) <= 120 < len(unicodedata.normalize("NFD", name))  # name's maxlength
    page.click("#id_name")
    value = page.evaluate(PASTE, unicodedata.normalize("NFD", name))
    assert value == name
