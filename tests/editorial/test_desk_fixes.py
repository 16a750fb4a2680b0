"""What broke a journalist's day in the admin: moderation out of reach for editors, existing
corrections hidden on the form, a read-only body shown as HTML source, and an admin search
that knew no accents."""

import pytest
from django.urls import reverse

from articles.models import Article, Correction
from comments.models import Comment
from editorial import services
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditorFactory,
    ModeratorFactory,
    ReporterFactory,
    article_by,
)

pytestmark = pytest.mark.django_db

QUEUE = "admin:comments_comment_changelist"


def test_an_editor_moderates_comments_out_of_the_box(client):
    pending = CommentFactory(status=Comment.Status.PENDING, body="Cảm ơn bài viết hay!")
    client.force_login(EditorFactory())
    queue = client.get(reverse(QUEUE))
    assert queue.status_code == 200
    assert "Cảm ơn bài viết hay!" in queue.content.decode()
    response = client.post(
        reverse(QUEUE), {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED


def test_a_moderator_moderates_comments_and_nothing_else(client):
    client.force_login(ModeratorFactory())
    assert client.get(reverse(QUEUE)).status_code == 200
    assert client.get(reverse("admin:comments_bannedword_add")).status_code == 200
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


def test_existing_corrections_show_on_the_article_form(client):
    editor = EditorFactory()
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    Correction.objects.create(article=article, text="The district is Mường Ảng, not Mường Nhé.")
    for user in (editor, ReporterFactory()):
        client.force_login(user)
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert page.status_code == 200
        assert "The district is Mường Ảng, not Mường Nhé." in page.content.decode()


def test_a_reporter_reads_a_submitted_article_as_text_not_html_source(client):
    reporter = ReporterFactory()
    article = article_by(reporter, body="<p>Lúa <strong>chín</strong> ở Mường Thanh.</p>")
    services.article_submit(article=article, by=reporter)
    client.force_login(reporter)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    html = page.decode()
    assert "<p>Lúa <strong>chín</strong> ở Mường Thanh.</p>" in html
    assert "&lt;p&gt;" not in html


@pytest.mark.parametrize("query", ["dien bien", "ĐIỆN BIÊN", "Điện Biên", "muong ang", "mường"])
def test_the_admin_search_ignores_accents_and_capitals(client, query):
    ArticleFactory(title="Điện Biên Phủ honours its teachers", lead="In Mường Ảng district.")
    ArticleFactory(title="Sơn La harvest", lead="Nothing here.")
    client.force_login(EditorFactory())
    page = client.get(reverse("admin:articles_article_changelist"), {"q": query}).content
    html = page.decode()
    assert "Điện Biên Phủ honours its teachers" in html
    assert "Sơn La harvest" not in html
