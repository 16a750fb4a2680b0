"""Nothing typed into the article form is lost, in a real browser: the autosave survives a
reload and is offered back, a transition button saves the typed text first, a session that
ends while someone types keeps the text until they sign in again, and a second editor is
told who else is editing."""

import re

import pytest
from django.contrib.sessions.models import Session

from articles.models import Article
from core.dates import paper_time
from editorial.admin import editing
from editorial.models import Autosave, EditingPresence
from tests.e2e.test_admin_editor import sign_in
from tests.factories import EditorFactory, ReporterFactory, SectionFactory, article_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = ".prose-editor > [contenteditable=true]"


def open_form(page, live_server, article=None):
    path = (
        f"/admin/articles/article/{article.pk}/change/"
        if article
        else "/admin/articles/article/add/"
    )
    page.goto(live_server.url + path)
    page.wait_for_selector(BODY, state="attached", timeout=10_000)


def type_into_body(page, text):
    # At the end of the last paragraph (a click on a figure's picture would select it).
    page.locator(f"{BODY} > p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def wait_autosaved(page):
    page.wait_for_selector(".editing-notice--status >> text=Autosaved at", timeout=15_000)


def test_autosaved_text_survives_a_reload_and_is_offered_back(page, live_server):
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline", body="<p>Saved body.</p>")
    revisions = article.history.count()
    sign_in(page, live_server, reporter)
    open_form(page, live_server, article)

    page.fill("#id_title", "Mường Phăng coffee growers")
    page.fill("#id_lead", "Farmers sell their first crop.")
    type_into_body(page, " Beans from Mường Ảng.")
    wait_autosaved(page)
    copy = Autosave.objects.get(user=reporter, article=article)
    assert copy.data["title"] == "Mường Phăng coffee growers"
    article.refresh_from_db()
    assert article.title == "Original headline"  # the article itself is untouched
    assert article.history.count() == revisions

    page.reload()
    page.wait_for_selector(BODY, state="attached")
    offer = page.locator(".editing-notice--offer")
    label = f"{paper_time(copy.updated):%H:%M}"
    assert offer.inner_text().startswith(f"Restore the text you were typing at {label}?")
    assert page.input_value("#id_title") == "Original headline"
    offer.get_by_role("button", name="Restore").click()
    assert page.input_value("#id_title") == "Mường Phăng coffee growers"
    assert page.input_value("#id_lead") == "Farmers sell their first crop."
    assert "Beans from Mường Ảng." in page.locator(BODY).first.inner_text()

    with page.expect_navigation():
        page.click("input[name=_save]")
    article.refresh_from_db()
    assert article.title == "Mường Phăng coffee growers"
    assert article.body == "<p>Saved body. Beans from Mường Ảng.</p>"
    assert not Autosave.objects.filter(user=reporter).exists()


def test_saving_the_add_form_while_an_autosave_is_pending_leaves_no_copy_behind(page, live_server):
    SectionFactory(name="Economy", slug="economy")
    reporter = ReporterFactory()
    sign_in(page, live_server, reporter)
    open_form(page, live_server)
    page.fill("#id_title", "Điện Biên coffee")
    page.fill("#id_lead", "Farmers sell their first crop.")
    page.select_option("#id_section", label="Economy")
    type_into_body(page, "Beans from Mường Ảng.")  # the autosave is due in a few seconds
    with page.expect_navigation():
        page.click("input[name=_continue]")
    page.wait_for_selector(BODY, state="attached")
    assert Article.objects.filter(title="Điện Biên coffee").exists()

    # The page left with an autosave pending; it must not land after the save.
    open_form(page, live_server)
    page.wait_for_timeout(500)
    assert page.locator(".editing-notice--offer").count() == 0
    assert not Autosave.objects.filter(user=reporter, article=None).exists()


def test_the_add_forms_text_is_offered_back_and_discard_forgets_it(page, live_server):
    reporter = ReporterFactory()
    sign_in(page, live_server, reporter)
    open_form(page, live_server)
    page.fill("#id_title", "Điện Biên coffee")
    wait_autosaved(page)
    assert not Article.objects.exists()

    open_form(page, live_server)
    offer = page.locator(".editing-notice--offer")
    assert offer.inner_text().startswith("Restore the text you were typing at ")
    with page.expect_response(lambda response: response.request.method == "DELETE"):
        offer.get_by_role("button", name="Discard").click()
    assert offer.count() == 0
    open_form(page, live_server)
    assert page.locator(".editing-notice--offer").count() == 0
    assert not Autosave.objects.exists()


def test_a_transition_button_saves_the_typed_text_first(page, live_server):
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline")
    sign_in(page, live_server, reporter)
    open_form(page, live_server, article)
    page.fill("#id_title", "Headline typed just before submitting")
    with page.expect_navigation():
        page.click("a.transition--submit")
    assert re.search(r"/transition/submit/$", page.url)
    assert "were saved" in page.locator(".messagelist").inner_text()
    article.refresh_from_db()
    assert article.title == "Headline typed just before submitting"
    with page.expect_navigation():
        page.click("input[type=submit]")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.title == "Headline typed just before submitting"


def test_a_transition_whose_save_fails_keeps_the_text_and_says_why(page, live_server):
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline")
    sign_in(page, live_server, reporter)
    open_form(page, live_server, article)
    page.fill("#id_title", "")
    page.fill("#id_lead", "A lead typed for the record.")
    with page.expect_navigation():
        page.click("a.transition--submit")
    assert (
        "nothing was done with “Submit for review”"
        in page.locator(".transition-refused").inner_text()
    )
    assert page.input_value("#id_lead") == "A lead typed for the record."
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.title == "Original headline"


def end_session(page):
    """The session runs out: the browser drops the expired cookie (and the server forgot it)."""
    page.context.clear_cookies(name="sessionid")
    Session.objects.all().delete()


def test_text_typed_after_the_session_ended_is_saved_after_signing_in_in_a_new_tab(
    page, live_server
):
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline", body="<p>Saved body.</p>")
    sign_in(page, live_server, reporter)
    open_form(page, live_server, article)
    page.fill("#id_title", "Typed before the session ended")
    wait_autosaved(page)

    end_session(page)
    type_into_body(page, " Typed while signed out.")
    notice = page.locator(".editing-notice--signed-out")
    notice.wait_for(timeout=15_000)
    assert "You are signed out" in notice.inner_text()
    stored = page.evaluate(
        f"() => JSON.parse(localStorage.getItem('newsroom:autosave:{reporter.pk}:{article.pk}'))"
    )
    assert "Typed while signed out." in stored["fields"]["body"]

    # Saving now would land on the sign-in page and lose the text: it is held back.
    page.click("input[name=_save]")
    page.wait_for_selector(".editing-notice--status >> text=Not saved: you are signed out")
    assert "/change/" in page.url

    with page.context.expect_page() as opened:
        notice.get_by_role("link", name="Sign in again in a new tab").click()
    login = opened.value
    login.wait_for_load_state()
    login.fill("#id_username", reporter.username)
    login.fill("#id_password", "correct horse battery staple")
    login.click("input[type=submit]")
    login.wait_for_selector("text=You are signed in again.")
    login.close()

    page.bring_to_front()
    page.wait_for_selector(".editing-notice--back >> text=Signed in again", timeout=15_000)
    assert notice.count() == 0
    with page.expect_navigation():
        page.click("input[name=_save]")
    article.refresh_from_db()
    assert article.title == "Typed before the session ended"
    assert article.body == "<p>Saved body. Typed while signed out.</p>"


def test_text_typed_signed_out_is_offered_back_after_signing_in_again(page, live_server):
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline", body="<p>Saved body.</p>")
    sign_in(page, live_server, reporter)
    open_form(page, live_server, article)
    end_session(page)
    page.fill("#id_title", "Typed only in this browser")
    page.locator(".editing-notice--signed-out").wait_for(timeout=15_000)
    assert not Autosave.objects.exists()  # the server never got it

    page.reload()  # the admin sends a signed-out journalist to its sign-in page
    page.fill("#id_username", reporter.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_selector(BODY, state="attached", timeout=10_000)
    assert page.input_value("#id_title") == "Original headline"
    page.locator(".editing-notice--offer").get_by_role("button", name="Restore").click()
    assert page.input_value("#id_title") == "Typed only in this browser"
    with page.expect_navigation():
        page.click("input[name=_save]")
    article.refresh_from_db()
    assert article.title == "Typed only in this browser"


def test_a_second_editor_sees_who_is_editing_while_typing(page, browser, live_server, monkeypatch):
    monkeypatch.setattr(editing, "PRESENCE_BEAT_SECONDS", 1)
    reporter = ReporterFactory(first_name="Lò Thị", last_name="Mai")
    editor = EditorFactory(first_name="Hà", last_name="Linh")
    article = article_by(reporter, title="Original headline")
    sign_in(page, live_server, reporter)
    with page.expect_response(lambda response: "/presence/" in response.url):
        open_form(page, live_server, article)
    first_since = EditingPresence.objects.get(user=reporter).since

    second = browser.new_page()  # a browser of its own: another person's cookies
    try:
        sign_in(second, live_server, editor)
        open_form(second, live_server, article)
        second.fill("#id_lead", "The editor types a new lead.")
        notice = second.locator(".editing-notice--presence")
        notice.wait_for(timeout=10_000)
        assert notice.inner_text() == (
            f"Lò Thị Mai is editing this article since {paper_time(first_since):%H:%M}."
        )
        # The first one is told too.
        page.locator(".editing-notice--presence >> text=Hà Linh is editing").wait_for()

        # The first saves; the second, still typing, hears of it; their save is refused.
        page.fill("#id_title", "The reporter's headline")
        with page.expect_navigation():
            page.click("input[name=_continue]")
        second.locator(".editing-notice--presence >> text=saved since you opened it").wait_for(
            timeout=10_000
        )
        with second.expect_navigation():
            second.click("input[name=_save]")
        assert "was not saved" in second.locator("ul.errorlist.nonfield").inner_text()
        assert second.input_value("#id_lead") == "The editor types a new lead."
    finally:
        second.close()
    article.refresh_from_db()
    assert article.title == "The reporter's headline"
