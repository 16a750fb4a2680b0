"""Our admin pages fit a phone (390 px) as well as a desktop (1280 px): neither the page nor a
box inside it (a list, an inline's table) scrolls sideways, in English and in Vietnamese."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from editorial.services import desk_language_set
from pictures.models import BodyImage
from tests.e2e.test_body_pictures import sign_in
from tests.factories import EditorFactory, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIBRARY = "/admin/pictures/bodyimage/"

# How far the page scrolls sideways, and every box that does (the admin wraps a list in a
# box of its own that scrolls, overflow-x: auto, so the page alone can look fine).
MEASURE = """() => ({
    page: document.scrollingElement.scrollWidth - innerWidth,
    boxes: [...document.querySelectorAll("body *")]
        .filter(e => e.scrollWidth > e.clientWidth + 1
                     && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
        .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`),
})"""


def measure(browser, live_server, user, path, width):
    """The sideways overflow of `path` signed in as `user` at `width`, and the page's tab
    (left open for further looks; the caller closes it)."""
    tab = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(tab, live_server, user)
    tab.goto(live_server.url + path)
    tab.wait_for_load_state("load")
    return tab, tab.evaluate(MEASURE)


@pytest.fixture
def library(db):
    """An editor's library with alt texts, credits and uploaders' names as long as they come."""
    editor = EditorFactory(username="nguyen.thi.thanh.huong", first_name="Thanh Hương")
    for n in range(6):
        picture = BodyImage(
            description=f"Rice terraces in Mường Phăng at harvest time, seen from the hill "
            f"above the village, picture {n}",
            caption="Harvest season in Mường Phăng commune, Điện Biên Phủ city",
            credit="Quàng Thị Thu / Điện Biên Phủ Online",
            uploaded_by=editor,
        )
        picture.image = SimpleUploadedFile(
            f"IMG_20261202_1530{n}_Muong_Phang_terraces.jpg", jpeg_bytes(1200, 800, (60, 140, 60))
        )
        picture.save()
    return editor


# An editor's list has no checkboxes (no action an editor may take on it); a superuser's has.
@pytest.mark.parametrize(
    ("width", "language", "superuser"),
    [(390, "en", False), (390, "vi", True), (1280, "en", True), (1280, "vi", False)],
)
def test_the_picture_library_list_fits_the_screen(
    browser, live_server, library, width, language, superuser
):
    library.is_superuser = superuser
    library.save()
    desk_language_set(user=library, language=language)
    tab, overflow = measure(browser, live_server, library, LIBRARY, width)
    try:
        assert overflow["page"] <= 0, "the page scrolls sideways"
        assert overflow["boxes"] == [], "a box inside the page scrolls sideways"
        alt_texts = tab.locator("#result_list tbody .field-description")
        thumbnails = tab.locator("#result_list tbody img.library-thumb")
        assert alt_texts.count() == 6 and thumbnails.count() == 6
        checkboxes = tab.locator("#result_list tbody .action-checkbox input")
        assert checkboxes.count() == (6 if superuser else 0)
        # Each picture is seen whole, its alt text beside it and readable (a few words a line).
        for n in range(6):
            picture, alt = thumbnails.nth(n).bounding_box(), alt_texts.nth(n).bounding_box()
            assert picture["x"] >= 0 and picture["x"] + picture["width"] <= width
            assert alt["x"] >= picture["x"] + picture["width"]
            assert alt["width"] >= 180
            if superuser:  # the checkbox before the picture, not over it
                box = checkboxes.nth(n).bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= picture["x"]
                assert picture["y"] - 30 <= box["y"] <= picture["y"] + picture["height"]
    finally:
        tab.close()


@pytest.fixture
def newsroom(site):
    """Every other list and form of ours with something in it (the page types' site, home
    picks, a banned word with its note, an article's revisions), and a superuser with a long
    username (every column and action shows)."""
    from articles.models import Article
    from comments.models import BannedWord, Comment
    from frontpage.models import HomePick
    from live.models import LiveCoverage

    user = EditorFactory(username="nguyen.thi.thanh.huong", is_superuser=True)
    article = Article.objects.get(title="Boosting tourism in Điện Biên")
    for n in range(2):
        article.title = f"Boosting tourism in Điện Biên: the province's new plan, revision {n}"
        article._history_user = user
        article.save()
    for slot, story in enumerate(Article.objects.exclude(pk=article.pk).order_by("pk")[:5]):
        HomePick.objects.create(slot=slot, article=story)
    BannedWord.objects.create(
        word="đồ ngốc", note="An insult; added after the comments on the Mường Nhé floods story."
    )
    coverage = LiveCoverage.objects.get()
    # The entries' author is one long word too (a factory's "editor12" left the list 0 px
    # to spare at 390 px; the suite's later users are "editor1234").
    coverage.entries.update(created_by=user)
    return user, {
        "desk": "/admin/",
        "comments": "/admin/comments/comment/",
        "comment": f"/admin/comments/comment/{Comment.objects.first().pk}/change/",
        "banned words": "/admin/comments/bannedword/",
        "audit log": "/admin/auditlog/auditevent/",
        "article form": f"/admin/articles/article/{article.pk}/change/",
        "revisions": f"/admin/articles/article/{article.pk}/revisions/",
        "sections": "/admin/sections/section/",
        "authors": "/admin/articles/author/",
        "tags": "/admin/articles/tag/",
        "series": "/admin/articles/series/",
        "live stories": "/admin/live/livecoverage/",
        "live story": f"/admin/live/livecoverage/{coverage.pk}/change/",
        "live entries": "/admin/live/liveentry/",
        "breaking news": "/admin/frontpage/breakingnews/",
        "home picks": "/admin/frontpage/homepick/",
        "paper pages": "/admin/frontpage/paperpage/",
        "users": "/admin/auth/user/",
    }


@pytest.mark.parametrize(
    ("width", "language"), [(390, "en"), (390, "vi"), (1280, "en"), (1280, "vi")]
)
def test_every_other_admin_list_and_form_fits_the_screen(
    browser, live_server, newsroom, width, language
):
    user, pages = newsroom
    desk_language_set(user=user, language=language)
    tab = browser.new_page(viewport={"width": width, "height": 900})
    overflowing = {}
    try:
        sign_in(tab, live_server, user)
        for name, path in pages.items():
            tab.goto(live_server.url + path)
            tab.wait_for_load_state("load")
            assert tab.locator("#content").count() == 1, f"{name}: not the admin's page"
            overflow = tab.evaluate(MEASURE)
            if overflow["page"] > 0 or overflow["boxes"]:
                overflowing[name] = overflow
    finally:
        tab.close()
    assert overflowing == {}
