"""A newsroom's whole day in the admin, clicked and typed in Chromium: a reporter writes a
story with a picture, two bylines and a figure chosen from the picture library in the body
editor, autosave keeps the text across a reload, the editor finds it on the desk and
returns it with a reason, the reporter fixes it and submits again, the editor schedules it,
readers comment once it is live, the editor adds a correction, moderates the comments in
bulk, renames a tag and schedules the takedown, and a second editor opening the story is
told who else is editing it.

One test on purpose: each step starts from what the one before left, as the day does. The
server's clock is moved (time-machine) where the day waits for a scheduled time."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Author, Tag
from comments.models import Comment
from editorial.models import Autosave
from pictures.models import BodyImage
from tests.e2e.test_admin_autosave import BODY, type_into_body, wait_autosaved
from tests.factories import (
    AuthorFactory,
    EditorFactory,
    ReporterFactory,
    SectionFactory,
    jpeg_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def signed_in(browser, live_server, user):
    """A browser window of its own (its own cookies) with `user` signed in to the admin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page


def desk_panel(page, title):
    return page.locator(".desk-panel", has=page.locator(".desk-panel__title", has_text=title))


def choose_in_autocomplete(page, row, text):
    """Django's autocomplete (select2): open the widget in `row`, type, pick the match."""
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def transition(page, live_server, article, action, **fields):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/transition/{action}/")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    with page.expect_navigation():
        page.click("form input[type=submit]")


def test_a_reporter_and_two_editors_work_a_story_through_the_day(
    browser, live_server, time_machine, tmp_path
):
    morning = timezone.make_aware(datetime.datetime(2026, 12, 2, 8, 30))
    time_machine.move_to(morning, tick=True)
    SectionFactory(name="Economy", slug="economy")
    reporter = ReporterFactory(first_name="Hà", last_name="Linh")
    Author.objects.filter(user=reporter).update(name="Hà Linh")
    AuthorFactory(name="Quàng Thị Thu")
    editor = EditorFactory(first_name="Minh", last_name="Tuấn")
    second_editor = EditorFactory(first_name="Lò", last_name="Văn Sơn")
    photo = tmp_path / "tea-pickers.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1000, (40, 110, 60)))
    # Last week's picture in the library, for the body.
    trees = BodyImage(
        description="Old Shan tuyết tea trees",
        caption="Trees of three hundred years",
        credit="Hà Linh",
        uploaded_by=reporter,
    )
    trees.image = SimpleUploadedFile("trees.jpg", jpeg_bytes(1200, 800, (30, 90, 50)))
    trees.save()

    # The reporter writes the story: headline, lead, body, tags, a picture, two bylines.
    desk = signed_in(browser, live_server, reporter)
    desk.goto(f"{live_server.url}/admin/articles/article/add/")
    desk.wait_for_selector(BODY, state="attached", timeout=10_000)
    desk.fill("#id_title", "Shan tuyết tea fetches record prices in Tủa Chùa")
    desk.select_option("#id_section", label="Economy")
    desk.fill("#id_lead", "Tea from the old trees of Tủa Chùa sold out in a day.")
    type_into_body(desk, "Growers said the harvest was small.")
    # A picture from the library into the body, from the editor's own button.
    desk.locator("button[data-name=libraryPicture]").click()
    desk.locator(".chooser__choice", has_text="Old Shan tuyết tea trees").click()
    assert desk.locator(f"{BODY} figure figcaption").inner_text() == (
        "Trees of three hundred years. Photo: Hà Linh"
    )
    desk.fill("#id_tags", "tea, Tủa Chùa")
    desk.set_input_files("#id_image", str(photo))
    desk.fill("#id_image_alt", "Tea pickers on a hillside in Tủa Chùa")
    desk.fill("#id_image_caption", "Picking season in Tủa Chùa.")
    desk.fill("#id_image_credit", "Quàng Thị Thu")
    choose_in_autocomplete(desk, desk.locator("#bylines-0"), "Hà Linh")
    desk.click("#bylines-group .add-row a")
    choose_in_autocomplete(desk, desk.locator("#bylines-1"), "Quàng Thị Thu")
    with desk.expect_navigation():
        desk.click("input[name=_continue]")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.image
    assert 'alt="Old Shan tuyết tea trees"' in article.body
    # The featured picture joined the library beside last week's.
    assert BodyImage.objects.filter(image=article.image.name).exists()
    bylines = article.bylines.order_by("order", "pk").values_list("author__name", flat=True)
    assert list(bylines) == ["Hà Linh", "Quàng Thị Thu"]

    # More text, autosaved; a reload (a crash, a closed tab) offers it back.
    desk.wait_for_selector(BODY, state="attached")
    type_into_body(desk, " Buyers came from Hà Nội.")
    wait_autosaved(desk)
    desk.reload()
    desk.wait_for_selector(BODY, state="attached")
    desk.locator(".editing-notice--offer").get_by_role("button", name="Restore").click()
    assert "Buyers came from Hà Nội." in desk.locator(BODY).first.inner_text()

    # "Submit for review" saves what was typed first.
    with desk.expect_navigation():
        desk.click("a.transition--submit")
    with desk.expect_navigation():
        desk.click("form input[type=submit]")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert "Buyers came from Hà Nội." in article.body
    assert not Autosave.objects.filter(user=reporter).exists()

    # The editor's desk lists it as waiting; the editor returns it with a reason.
    editing = signed_in(browser, live_server, editor)
    waiting = desk_panel(editing, "Waiting for review")
    assert waiting.locator(".desk-panel__count").inner_text() == "1"
    with editing.expect_navigation():
        waiting.get_by_role("link", name=article.title).click()
    assert f"/admin/articles/article/{article.pk}/change/" in editing.url
    transition(editing, live_server, article, "return", note="Give the price per kilo.")
    article.refresh_from_db()
    assert article.status == Article.Status.RETURNED

    # The reporter sees it come back with the reason, fixes it and submits again.
    desk.goto(f"{live_server.url}/admin/")
    returned = desk_panel(desk, "Returned to me")
    assert "Give the price per kilo." in returned.inner_text()
    with desk.expect_navigation():
        returned.get_by_role("link", name=article.title).click()
    desk.wait_for_selector(BODY, state="attached")
    type_into_body(desk, " Tea sold at 2 million đồng a kilo.")
    with desk.expect_navigation():
        desk.click("a.transition--submit")
    desk.fill("[name=note]", "Price added.")
    with desk.expect_navigation():
        desk.click("form input[type=submit]")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert "2 million đồng a kilo" in article.body

    # The editor schedules it for 10:00; the desk shows it going live.
    ten = timezone.localtime(morning.replace(hour=10, minute=0))
    transition(
        editing,
        live_server,
        article,
        "publish",
        published_at_0=f"{ten:%Y-%m-%d}",
        published_at_1=f"{ten:%H:%M:%S}",
    )
    article.refresh_from_db()
    assert article.is_scheduled and article.published_at == ten
    editing.goto(f"{live_server.url}/admin/")
    assert article.title in desk_panel(editing, "Going live in the next 24 hours").inner_text()

    # 10:00: it is live, with no one pressing anything; two readers comment.
    time_machine.move_to(ten + datetime.timedelta(minutes=1), tick=True)
    reader = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    assert article.title in reader.locator("h1").inner_text()
    figure = reader.locator(".article__body figure")
    expect(figure.locator("img")).to_have_js_property("complete", True)
    assert figure.locator("img").evaluate("img => img.naturalWidth") == 800
    assert "Photo: Hà Linh" in figure.locator("figcaption").inner_text()
    for name, text in [
        ("Lò Văn Sơn", "Chè Shan tuyết Tủa Chùa ngon lắm!"),
        ("Mai", "Where can I buy this tea in Hà Nội?"),
    ]:
        reader.fill("#id_name", name)
        reader.fill("#id_email", "reader@example.com")
        reader.fill("#id_body", text)
        with reader.expect_navigation():
            reader.click(".comment-form button[type=submit]")
        assert "awaiting moderation" in reader.content()
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 2

    # The editor adds a correction and sees it on the form after saving.
    editing.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editing.wait_for_selector(BODY, state="attached")
    editing.click("#corrections-group .add-row a")
    editing.fill("#id_corrections-0-text", "An earlier version gave the price per tonne.")
    with editing.expect_navigation():
        editing.click("input[name=_continue]")
    corrections = editing.locator("#corrections-group")
    assert "An earlier version gave the price per tonne." in corrections.inner_text()

    # The editor moderates both comments at once from the queue the desk links to.
    editing.goto(f"{live_server.url}/admin/")
    with editing.expect_navigation():
        desk_panel(editing, "Comments waiting").locator(".desk-panel__title a").click()
    editing.check("#action-toggle")
    editing.select_option("select[name=action]", "approve")
    with editing.expect_navigation():
        editing.click("button[name=index]")
    assert "2 comments approved." in editing.locator("ul.messagelist").inner_text()
    reader.reload()
    assert "Chè Shan tuyết Tủa Chùa ngon lắm!" in reader.locator(".comments").inner_text()

    # The editor renames a tag; the story keeps it and the old address redirects.
    tag = Tag.objects.get(name="Tủa Chùa")
    old_address = tag.get_absolute_url()
    editing.goto(f"{live_server.url}/admin/articles/tag/{tag.pk}/change/")
    editing.fill("#id_name", "Tủa Chùa district")
    editing.fill("#id_slug", "tua-chua-district")
    with editing.expect_navigation():
        editing.click("input[name=_save]")
    assert sorted(article.tags.names()) == ["Tủa Chùa district", "tea"]
    moved = reader.goto(live_server.url + old_address)
    assert moved.ok and reader.url.endswith("/tags/tua-chua-district/")

    # The editor schedules the takedown for tomorrow at 06:00.
    tomorrow = ten.replace(hour=6) + datetime.timedelta(days=1)
    transition(
        editing,
        live_server,
        article,
        "unpublish",
        published_at_0=f"{tomorrow:%Y-%m-%d}",
        published_at_1=f"{tomorrow:%H:%M:%S}",
    )
    article.refresh_from_db()
    assert article.unpublish_at == tomorrow and article.is_live

    # A second editor opens the story while the first has it open: told who is editing.
    editing.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editing.wait_for_selector(BODY, state="attached")
    other = signed_in(browser, live_server, second_editor)
    other.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    notice = other.locator(".editing-notice--presence")
    notice.wait_for(timeout=15_000)
    assert re.search(
        rf"{editor.get_full_name()} is editing this article since \d\d:\d\d\.",
        notice.inner_text(),
    )

    # Tomorrow at 06:00 the story comes down by itself.
    time_machine.move_to(tomorrow + datetime.timedelta(seconds=1), tick=True)
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404
