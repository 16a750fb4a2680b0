"""Reader comments in a real browser: the counter, the post, and an editor's approval."""

import json
import subprocess
import unicodedata

import pytest
from django.contrib.auth.models import Permission
from hypothesis import given, settings

from comments.models import BannedWord, Comment
from core.text import comment_length
from tests.comments.test_rules import texts
from tests.e2e.conftest import AXE_JS, ROOT
from tests.factories import ArticleFactory, CommentFactory, UserFactory

COUNTER_JS = ROOT / "static" / "js" / "comment-counter.js"


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.fixture(scope="module")
def counter_page(browser):
    """A blank page running static/js/comment-counter.js, for comparing counts in bulk."""
    page = browser.new_page()
    page.add_script_tag(path=str(COUNTER_JS))
    yield page
    page.close()


@pytest.mark.browser
@settings(max_examples=300, deadline=None)
@given(texts)
def test_browser_and_server_count_every_text_the_same(counter_page, text):
    counted = counter_page.evaluate("t => window.newsroomComments.commentLength(t)", text)
    assert counted == comment_length(text)


@pytest.mark.browser
@pytest.mark.parametrize(
    "text",
    [
        "\ufeff  Điện Biên\r\n",
        nfd("Điện Biên"),
        "😀👍🏽👩\u200d👩\u200d👧",
        "\x85abc\x1c",
        "a\r\rb",
        "e\u0301" * 3,
    ],
)
def test_browser_and_server_agree_on_tricky_texts(counter_page, text):
    counted = counter_page.evaluate("t => window.newsroomComments.commentLength(t)", text)
    assert counted == comment_length(text)


@pytest.fixture
def article(transactional_db):
    return ArticleFactory(title="Ban flower festival opens in Điện Biên Phủ")


def counter(page):
    return page.locator("#id_body_counter").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_counter_follows_typing_and_pasting(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    assert counter(page) == "You have 500/500 characters left"
    box = page.locator("#id_body")
    assert "id_body_counter" in box.get_attribute("aria-describedby")

    box.press_sequentially("Điện")
    assert counter(page) == "You have 496/500 characters left"
    assert page.locator("#id_body_warning").inner_text() == "Please enter 5 or more characters!!!"

    box.fill(nfd("Điện Biên"))  # pasted text with combining marks: 12 code points
    assert page.evaluate("() => document.querySelector('#id_body').value.length") == 12
    assert counter(page) == "You have 491/500 characters left"
    assert page.locator("#id_body_warning").is_hidden()

    # Text put in by a script (an input method, a paste handler) counts the same way.
    page.evaluate(
        """t => { const box = document.querySelector('#id_body');
                  box.value = t; box.dispatchEvent(new Event('input')); }""",
        "  " + nfd("Tuyệt vời") + "\n\n😀  ",
    )
    assert counter(page) == "You have 488/500 characters left"  # "Tuyệt vời", 2 breaks, 😀

    box.fill(nfd("ệ" * 500))
    assert counter(page) == "You have 0/500 characters left"
    box.fill("ệ" * 502)
    assert counter(page) == "You are 2 characters over the 500-character limit"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_live_region_speaks_after_a_pause_not_on_every_keystroke(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate(
        """() => { window.liveChanges = 0;
             const live = document.querySelector('[data-comment-counter-live]');
             new MutationObserver(() => window.liveChanges++)
               .observe(live, {childList: true, characterData: true, subtree: true}); }"""
    )
    page.locator("#id_body").press_sequentially("Chúc mừng lễ hội", delay=20)
    assert page.evaluate("() => window.liveChanges") == 0  # still typing: silence
    page.wait_for_function("() => window.liveChanges > 0", timeout=5000)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.liveChanges") == 1  # one announcement, not 16
    live = page.locator("[data-comment-counter-live]")
    assert live.get_attribute("aria-live") == "polite"
    assert live.inner_text() == counter(page) == "You have 484/500 characters left"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_short_comment_is_stopped_before_it_is_sent(page, live_server, article):
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    page.fill("#id_name", "Lan")
    page.fill("#id_email", "lan@example.com")
    page.fill("#id_body", "Hay!")
    page.click(".comment-form button[type=submit]")
    assert page.url == url
    assert page.locator("#id_body_warning").inner_text() == "Please enter 5 or more characters!!!"
    assert page.evaluate("() => document.activeElement.id") == "id_body"
    assert not Comment.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_server_refuses_and_keeps_the_text(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        assert page.locator("#id_body_counter").is_hidden()
        page.fill("#id_name", "Lan")
        page.fill("#id_email", "lan@example.com")
        page.fill("#id_body", "Hay!")
        with page.expect_response(lambda r: r.request.method == "POST") as response:
            page.click(".comment-form button[type=submit]")
        assert response.value.status == 400
        assert page.locator("#id_body_error").inner_text() == "Please enter 5 or more characters!!!"
        assert page.input_value("#id_body") == "Hay!"
        assert page.input_value("#id_name") == "Lan"
        assert not Comment.objects.exists()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_refused_comment_page_has_no_serious_accessibility_violations(
    browser, live_server, article
):
    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed: run `npm ci` in the project folder")
    CommentFactory(article=article, body="An approved comment <b>with markup</b>.")
    # axe is injected as an inline script, which the strict CSP would rightly block.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.fill("#id_body", "Hay!")
        # form.submit() skips the script's check, as a browser without JavaScript would.
        with page.expect_navigation():
            page.evaluate("() => document.querySelector('.comment-form').submit()")
        assert page.locator("#id_body_error").is_visible()
        page.add_script_tag(content=AXE_JS.read_text())
        results = page.evaluate("() => axe.run(document)")
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_posts_a_comment_that_an_editor_approves_in_the_admin(browser, live_server, article):
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__endswith="_comment"))
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.fill("#id_name", "Lò Văn Sơn")
        page.fill("#id_email", "son@example.com")
        page.fill("#id_body", nfd("Lễ hội hoa ban năm nay đẹp quá!"))
        page.click(".comment-form button[type=submit]")
        page.wait_for_url(live_server.url + article.get_absolute_url())
        assert "Your comment is awaiting moderation" in page.locator(".messages").inner_text()
        comment = Comment.objects.get()
        assert comment.body == "Lễ hội hoa ban năm nay đẹp quá!"
        assert comment.status == Comment.Status.PENDING
        page.reload()
        assert "Lễ hội hoa ban" not in page.content()

        page.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "correct horse battery staple")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/comments/comment/")
        page.check(f"input[name=_selected_action][value='{comment.pk}']")
        page.select_option("select[name=action]", "approve")
        with page.expect_navigation():
            page.click("button[name=index]")
        assert "1 comment approved." in page.locator("ul.messagelist").inner_text()

        page.goto(live_server.url + article.get_absolute_url())
        listed = page.locator(f"#comment-{comment.pk}")
        assert "Lễ hội hoa ban năm nay đẹp quá!" in listed.inner_text()
        assert "Lò Văn Sơn" in listed.inner_text()
    finally:
        context.close()


@pytest.mark.django_db
def test_article_page_with_comments_and_errors_is_valid_html(client, vnu_jar, tmp_path):
    article = ArticleFactory()
    CommentFactory(article=article, body="First line\nsecond line <script>x</script>")
    response = client.post(
        f"/articles/{article.slug}/comments/",
        {"name": "", "email": "nope", "body": "Hay!"},
    )
    assert response.status_code == 400
    page = tmp_path / "refused.html"
    page.write_bytes(response.content)
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []


def submit_and_count_posts(page):
    """Click Post comment; return how many POSTs the browser sent within a moment."""
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.click(".comment-form button[type=submit]")
    page.wait_for_timeout(300)
    return len(posts)


@pytest.mark.browser
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.django_db(transaction=True)
def test_counter_counts_flags_and_family_emoji_as_one_character(page, live_server, article, form):
    page.goto(live_server.url + article.get_absolute_url())
    box = page.locator("#id_body")
    box.press_sequentially(unicodedata.normalize(form, "Đẹp 🇻🇳"))
    assert counter(page) == "You have 495/500 characters left"
    box.press_sequentially("👨‍👩‍👧‍👦")
    assert counter(page) == "You have 494/500 characters left"

    # 480 letters and 10 emoji pasted: 490 characters, far more code points.
    text = unicodedata.normalize(form, "ệ" * 480) + "🇻🇳👨‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿👍🏽❤️" * 2
    box.fill(text)
    assert counter(page) == "You have 10/500 characters left"
    page.fill("#id_name", unicodedata.normalize(form, "Đỗ Ngọc Ánh"))
    page.fill("#id_email", "anh@example.com")
    page.click(".comment-form button[type=submit]")
    page.wait_for_url(live_server.url + article.get_absolute_url())
    assert Comment.objects.get().body == unicodedata.normalize("NFC", text)


@pytest.mark.browser
@pytest.mark.parametrize(
    "text",
    ["🇻🇳🇻🇳🇻🇳", "\u200b" * 12, "\u034f\u2060\u200b\ufe0f\u00ad\u2800" * 3, "\U0001d159" * 9],
    ids=["three-flags", "zero-width", "joiners", "null-notehead"],
)
@pytest.mark.django_db(transaction=True)
def test_too_short_or_invisible_text_is_stopped_in_the_browser(page, live_server, article, text):
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#id_name", "Lan")
    page.fill("#id_email", "lan@example.com")
    page.locator("#id_body").focus()
    page.keyboard.insert_text(text)  # as a paste or an input method puts it in
    assert submit_and_count_posts(page) == 0
    assert page.locator("#id_body_warning").inner_text() == "Please enter 5 or more characters!!!"
    assert page.evaluate("() => document.activeElement.id") == "id_body"
    assert not Comment.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_name_limits_are_checked_in_the_browser_as_the_server_counts(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#id_email", "lan@example.com")
    page.fill("#id_body", "Lễ hội hoa ban đẹp quá!")
    page.fill("#id_name", "\u200b\u3164")
    assert submit_and_count_posts(page) == 0
    assert page.locator("#id_name_warning").inner_text() == "Please enter your name."
    assert page.evaluate("() => document.activeElement.id") == "id_name"

    name = nfd("Nguyễn Thị Ngọc Ánh 🇻🇳 " * 4)  # 87 characters a reader sees, trimmed
    page.fill("#id_name", name)
    assert page.input_value("#id_name") == name  # nothing cut off by a maxlength
    assert submit_and_count_posts(page) == 0
    assert (
        page.locator("#id_name_warning").inner_text()
        == "Please keep your name to 80 characters (it has 87)."
    )
    page.fill("#id_name", nfd("Nguyễn Thị Ngọc Ánh 🇻🇳 " * 3 + "Đỗ Mai"))
    assert page.locator("#id_name_warning").is_hidden()
    page.click(".comment-form button[type=submit]")
    page.wait_for_url(live_server.url + article.get_absolute_url())
    assert Comment.objects.get().name == "Nguyễn Thị Ngọc Ánh 🇻🇳 " * 3 + "Đỗ Mai"


@pytest.mark.browser
@pytest.mark.parametrize(
    "text",
    ["🇻🇳", "👨‍👩‍👧‍👦", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🧑🏻‍💻", "क्षि", "\u034f", "\ufe0f", "\U0001d159", "a\u034fb"],
)
def test_browser_and_server_agree_on_emoji_sequences_and_invisibles(counter_page, text):
    counted = counter_page.evaluate("t => window.newsroomComments.commentLength(t)", text)
    assert counted == comment_length(text)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typed_and_pasted_banned_words_are_held_but_a_name_one_tone_away_is_not(
    page, live_server, article, settings
):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    BannedWord.objects.create(word="đồ ngốc")
    url = live_server.url + article.get_absolute_url()
    for name, body in [
        ("Đỗ Ngọc Ánh", "Chúc cả nhà ngủ ngon!"),
        ("Lan", "Bài này đ.ồ n.g.ố.c thật"),
    ]:
        page.goto(url)
        page.locator("#id_name").press_sequentially(nfd(name))
        page.fill("#id_email", "reader@example.com")
        page.locator("#id_body").focus()
        page.keyboard.insert_text(body.replace("ngốc", "ng\u200bốc"))  # pasted
        page.click(".comment-form button[type=submit]")
        page.wait_for_url(url)
    assert list(Comment.objects.order_by("pk").values_list("name", "status", "held_reason")) == [
        ("Đỗ Ngọc Ánh", "approved", ""),
        ("Lan", "spam", "Banned word in the comment: đồ ngốc"),
    ]
