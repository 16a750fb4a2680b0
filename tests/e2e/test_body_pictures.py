"""Pictures from inside the body editor, in Chromium: the picture button opens the library's
chooser, a picture chosen or uploaded there lands in the body as a figure with its alt text,
caption and credit, the save keeps it and the preview shows it; the editor counts words and
leaves the browser's spell-check on."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from pictures.models import BodyImage
from tests.e2e.test_admin_autosave import BODY, type_into_body
from tests.factories import ReporterFactory, SectionFactory, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
FIGURE = re.compile(
    r'<figure><img src="(/media/cache/body/[^"]+\.jpg)" alt="([^"]*)" width="800" '
    r'height="\d+"><figcaption>([^<]*)</figcaption></figure>'
)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")


def start_story(page, live_server):
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(BODY, state="attached", timeout=10_000)
    page.fill("#id_title", "Tea pickers start the season in Tủa Chùa")
    page.select_option("#id_section", label="Economy")
    page.fill("#id_lead", "The first leaves of the old trees are picked.")


def test_a_library_picture_chosen_in_the_editor_reaches_the_body_and_the_preview(page, live_server):
    SectionFactory(name="Economy", slug="economy")
    reporter = ReporterFactory()
    older = BodyImage(description="Rice terraces in Mường Phăng", uploaded_by=reporter)
    older.image = SimpleUploadedFile("terraces.jpg", jpeg_bytes(1200, 800, (60, 140, 60)))
    older.save()
    tea = BodyImage(
        description="Tea pickers on a hillside",
        caption="Picking season in Tủa Chùa",
        credit="Quàng Thị Thu",
        uploaded_by=reporter,
    )
    tea.image = SimpleUploadedFile("tea.jpg", jpeg_bytes(1200, 800, (40, 110, 60)))
    tea.save()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, reporter)
    start_story(page, live_server)
    type_into_body(page, "Growers said the harvest was small this year.")
    assert page.locator(".word-count").inner_text() == "8 words"
    assert page.locator(BODY).first.get_attribute("spellcheck") == "true"
    assert page.locator(BODY).first.get_attribute("lang") == "en"

    page.locator("button[data-name=libraryPicture]").click()
    chooser = page.locator("dialog.chooser")
    choices = chooser.locator(".chooser__choice")
    choices.first.wait_for()
    # Newest first; the search narrows it to the tea pickers.
    assert choices.first.inner_text().startswith("Tea pickers on a hillside")
    assert choices.count() == 2
    chooser.locator("input[type=search]").fill("tủa chùa")
    expect(choices).to_have_count(1)
    choices.first.click()
    assert not chooser.is_visible()
    figure = page.locator(f"{BODY} figure").first
    assert figure.locator("img").get_attribute("alt") == "Tea pickers on a hillside"
    assert figure.locator("figcaption").inner_text() == (
        "Picking season in Tủa Chùa. Photo: Quàng Thị Thu"
    )
    assert page.locator(".word-count").inner_text() == "17 words"

    with page.expect_navigation():
        page.click("input[name=_continue]")
    article = Article.objects.get()
    match = FIGURE.search(article.body)
    assert match, article.body
    src, alt, caption = match.groups()
    assert alt == "Tea pickers on a hillside"
    assert caption == "Picking season in Tủa Chùa. Photo: Quàng Thị Thu"
    assert tea.image.name.removesuffix(".jpg") in src  # the library picture's rendition

    page.goto(live_server.url + reverse("editorial:preview", args=[article.pk]))
    shown = page.locator(".article__body figure img")
    assert shown.get_attribute("src") == src
    expect(shown).to_have_js_property("complete", True)
    assert shown.evaluate("img => img.naturalWidth") == 800
    assert page.locator(".article__body figure figcaption").inner_text() == caption
    assert errors == []


def test_a_picture_uploaded_from_the_editors_chooser_joins_the_library_and_the_body(
    page, live_server, tmp_path
):
    SectionFactory(name="Economy", slug="economy")
    reporter = ReporterFactory()
    photo = tmp_path / "DSC_0042.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1000, (150, 90, 40)))
    sign_in(page, live_server, reporter)
    start_story(page, live_server)
    type_into_body(page, "Buyers came early.")

    page.locator("button[data-name=libraryPicture]").click()
    chooser = page.locator("dialog.chooser")
    chooser.locator(".chooser__status", has_text="The library is empty").wait_for()
    # Without alt text the browser asks for it first; a PDF is refused with the reason.
    not_a_picture = tmp_path / "scan.jpg"
    not_a_picture.write_bytes(b"%PDF-1.7 not a picture")
    chooser.locator("#picture-chooser-file").set_input_files(str(not_a_picture))
    chooser.locator("#picture-chooser-alt").fill("A scan")
    chooser.get_by_role("button", name="Upload into the library").click()
    chooser.locator(".chooser__errors p").first.wait_for()
    assert "JPEG, PNG or WebP" in chooser.locator(".chooser__errors").inner_text()
    assert not BodyImage.objects.exists()

    chooser.locator("#picture-chooser-file").set_input_files(str(photo))
    chooser.locator("#picture-chooser-alt").fill("Buyers at Mường Thanh market")
    chooser.locator("#picture-chooser-caption").fill("Early buyers")
    chooser.locator("#picture-chooser-credit").fill("Lâm Tùng/ĐBP")
    chooser.get_by_role("button", name="Upload into the library").click()
    figure = page.locator(f"{BODY} figure").first
    figure.wait_for()
    assert figure.locator("figcaption").inner_text() == "Early buyers. Photo: Lâm Tùng/ĐBP"
    picture = BodyImage.objects.get()
    assert (picture.description, picture.credit, picture.uploaded_by) == (
        "Buyers at Mường Thanh market",
        "Lâm Tùng/ĐBP",
        reporter,
    )

    with page.expect_navigation():
        page.click("input[name=_continue]")
    body = Article.objects.get().body
    assert FIGURE.search(body), body
    (src, alt, caption) = FIGURE.search(body).groups()
    assert alt == "Buyers at Mường Thanh market"
    assert picture.image.name.removesuffix(".jpg") in src
