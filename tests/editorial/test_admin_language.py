"""The admin speaks Vietnamese to journalists who choose it (or whose browser asks for it),
English to everyone else; the public site is English for all, and its cached pages do not
vary by language."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from articles.models import Article
from editorial import services
from editorial.models import DeskPreference
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db

PAPER_TIME = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=PAPER_TIME)


def vietnamese_editor():
    editor = EditorFactory()
    services.desk_language_set(user=editor, language="vi")
    return editor


def get(client, user, url, **headers):
    client.force_login(user)
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response, response.content.decode()


def test_an_editor_who_chose_vietnamese_sees_the_desk_in_vietnamese(client):
    reporter = ReporterFactory()
    story = article_by(reporter, title="Mường Thanh rice harvest")
    services.article_submit(article=story, by=reporter)

    response, html = get(client, vietnamese_editor(), reverse("admin:index"))

    assert '<html lang="vi"' in html
    assert response["Content-Language"] == "vi"
    assert "Bàn làm việc của bạn" in html  # Your desk
    assert "Chờ duyệt" in html  # Waiting for review
    assert "Mường Thanh rice harvest" in html
    assert "Bình luận chờ duyệt" in html  # Comments waiting
    assert "Ngôn ngữ" in html  # the header's Language link
    assert "Thoát" in html  # Django's own "Log out"
    assert "Your desk" not in html


def test_an_editor_who_chose_vietnamese_sees_the_article_list_in_vietnamese(client):
    with time_machine.travel(MORNING, tick=False):
        ArticleFactory(title="Border market opens", published_at=MORNING)
        _response, html = get(
            client, vietnamese_editor(), reverse("admin:articles_article_changelist")
        )

    assert '<html lang="vi"' in html
    assert "Xuất bản ngay các bài đã chọn" in html  # Publish selected articles now
    assert "Bài của tôi" in html  # the My articles filter
    assert "Đã xuất bản (đang hiển thị)" in html  # Published (live)
    assert "Trạng thái" in html  # the status column
    assert "Border market opens" in html
    # The list's dates as Vietnamese papers write them; the date filter in Django's Vietnamese.
    assert "02/12/2026" in html
    assert "Tháng 12" in html
    assert "02 Dec 2026" not in html


def test_a_bulk_action_answers_in_vietnamese(client):
    editor = vietnamese_editor()
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
        follow=True,
    )
    assert "Đã xuất bản 1 bài viết." in response.content.decode()


def test_the_transition_page_and_its_buttons_speak_vietnamese(client):
    reporter = ReporterFactory()
    story = article_by(reporter, title="Flood relief reaches Mường Nhé")
    services.desk_language_set(user=reporter, language="vi")

    _response, form = get(
        client, reporter, reverse("admin:articles_article_change", args=[story.pk])
    )
    assert "Gửi duyệt" in form  # the Submit for review button
    assert "Xem trước" in form  # Preview

    url = reverse("admin:articles_article_transition", args=[story.pk, "submit"])
    _response, page = get(client, reporter, url)
    assert "Hiện tại: <strong>Bản nháp</strong>." in page  # Now: Draft.


def test_the_admins_scripts_get_their_words_in_vietnamese(client):
    _response, catalogue = get(client, vietnamese_editor(), reverse("admin:jsi18n"))
    # The catalogue is JSON, its letters escaped.
    assert json.dumps("Đã tự động lưu lúc %(time)s.") in catalogue  # autosave.js
    assert json.dumps("%(name)s đang sửa bài này từ lúc %(time)s.") in catalogue  # presence.js
    assert json.dumps("Hôm nay") in catalogue  # Django's own admin scripts: Today


def test_the_articles_own_fields_are_spell_checked_as_english_in_a_vietnamese_admin(client):
    story = article_by(ReporterFactory(), title="Flood relief")
    url = reverse("admin:articles_article_change", args=[story.pk])
    _response, form = get(client, vietnamese_editor(), url)
    assert '<html lang="vi"' in form
    assert 'name="title"' in form
    for field in ("title", "lead", "image_alt"):
        tag = form[form.index(f'name="{field}"') - 300 : form.index(f'name="{field}"') + 300]
        assert 'lang="en"' in tag, field


def test_without_a_choice_the_browsers_vietnamese_is_followed(client):
    response, html = get(client, EditorFactory(), reverse("admin:index"), accept_language="vi")
    assert '<html lang="vi"' in html
    assert "Bàn làm việc của bạn" in html
    assert "Accept-Language" in response["Vary"]


def test_the_admin_is_english_by_default(client):
    response, html = get(client, EditorFactory(), reverse("admin:index"))
    assert '<html lang="en"' in html
    assert "Your desk" in html
    assert "Bàn làm việc" not in html
    assert response["Content-Language"] == "en"


def test_a_chosen_english_wins_over_the_browsers_vietnamese(client):
    editor = EditorFactory()
    services.desk_language_set(user=editor, language="en")
    _response, html = get(client, editor, reverse("admin:index"), accept_language="vi")
    assert '<html lang="en"' in html
    assert "Your desk" in html


def test_the_sign_in_page_follows_the_browser(client):
    response = client.get(reverse("admin:login"), headers={"accept-language": "vi"})
    assert '<html lang="vi"' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.usefixtures("page_cache_on")
def test_public_pages_stay_english_and_their_cached_bytes_do_not_vary_by_language(client):
    story = ArticleFactory(title="Điện Biên welcomes visitors", published_at=MORNING)
    # An admin request in Vietnamese first: the language must not stay on for the next one.
    get(client, EditorFactory(), reverse("admin:index"), accept_language="vi")
    client.logout()

    english = {
        url: client.get(url, headers={"accept-language": "en"})
        for url in ("/", story.get_absolute_url())
    }
    for url, response in english.items():
        vietnamese = client.get(url, headers={"accept-language": "vi"})
        assert response.status_code == vietnamese.status_code == 200
        assert vietnamese["X-Page-Cache"] == "hit", url
        assert vietnamese.content == response.content, url
        assert '<html lang="en"' in vietnamese.content.decode()
        assert "Accept-Language" not in vietnamese.get("Vary", "")
        assert not vietnamese.has_header("Content-Language")
    assert "2 December 2026" in english[story.get_absolute_url()].content.decode()


def test_a_journalist_who_chose_vietnamese_still_reads_the_public_site_in_english(client):
    story = ArticleFactory(title="Điện Biên welcomes visitors", published_at=MORNING)
    editor = vietnamese_editor()
    for url in ("/", story.get_absolute_url()):
        _response, html = get(client, editor, url, accept_language="vi")
        assert '<html lang="en"' in html
        assert "Bài viết" not in html
    assert "2 December 2026" in html


def test_a_preview_is_the_english_page_with_the_banner_in_the_desks_language(client):
    story = article_by(ReporterFactory(), title="Unreleased budget figures")
    _response, html = get(
        client, vietnamese_editor(), reverse("editorial:preview", args=[story.pk])
    )
    assert '<html lang="en"' in html
    assert '<p class="preview-banner" role="note" lang="vi">Xem trước — Bản nháp.' in html
    assert "Bạn đọc không thể xem trang này." in html
    assert "Unreleased budget figures" in html


def test_a_journalist_sets_their_own_language_on_the_language_page(client):
    reporter = ReporterFactory()
    client.force_login(reporter)
    response = client.post(reverse("admin-language"), {"language": "vi"}, follow=True)
    assert DeskPreference.objects.get(user=reporter).language == "vi"
    html = response.content.decode()
    assert "Trang quản trị giờ hiển thị bằng Tiếng Việt." in html
    assert '<html lang="vi"' in html

    client.post(reverse("admin-language"), {"language": ""})
    assert DeskPreference.objects.get(user=reporter).language == ""


def test_nobody_can_set_another_journalists_language(client):
    editor, colleague = EditorFactory(), ReporterFactory()
    services.desk_language_set(user=colleague, language="en")
    client.force_login(editor)
    client.post(
        reverse("admin-language"), {"language": "vi", "user": colleague.pk, "pk": colleague.pk}
    )
    assert DeskPreference.objects.get(user=colleague).language == "en"
    assert DeskPreference.objects.get(user=editor).language == "vi"
    # No admin page lists or edits the preferences either.
    assert client.get("/admin/editorial/deskpreference/").status_code == 404


def test_an_unknown_language_is_refused_with_a_message(client):
    client.force_login(ReporterFactory())
    response = client.post(reverse("admin-language"), {"language": "fr"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not DeskPreference.objects.exists()


def test_the_language_page_is_for_signed_in_staff(client):
    response = client.get(reverse("admin-language"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_database_refuses_a_language_the_admin_does_not_offer():
    with pytest.raises(IntegrityError):
        DeskPreference.objects.create(user=ReporterFactory(), language="fr")
