"""The admin's home is the journalist's desk: what waits for them, by role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from comments.models import Comment
from editorial import services
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditorFactory,
    ReporterFactory,
    article_by,
)

pytestmark = pytest.mark.django_db


def desk(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_sees_what_waits_for_review_goes_live_and_comments_waiting(client):
    reporter, editor = ReporterFactory(), EditorFactory()
    waiting = article_by(reporter, title="Mường Thanh rice harvest")
    services.article_submit(article=waiting, by=reporter)
    ArticleFactory(
        title="Border market opens",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(hours=3),
    )
    ArticleFactory(
        title="Far-off story",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    live = ArticleFactory(status=Article.Status.PUBLISHED, title="Live story")
    Correction.objects.create(article=live, text="The date was wrong.")
    CommentFactory(status=Comment.Status.PENDING, name="Quàng Văn A", body="Hay quá, cảm ơn!")

    html = desk(client, editor)
    assert "Điện Biên Phủ Online · newsroom" in html
    assert "Waiting for review" in html and "Mường Thanh rice harvest" in html
    assert "Border market opens" in html
    assert "Far-off story" not in html  # beyond the next 24 hours
    assert "Comments waiting" in html and "Hay quá, cảm ơn!" in html
    assert "The date was wrong." in html


def test_a_reporter_sees_their_own_drafts_and_what_came_back_with_the_reason(client):
    reporter, editor, colleague = ReporterFactory(), EditorFactory(), ReporterFactory()
    article_by(reporter, title="My draft on Tết markets")
    returned = article_by(reporter, title="Flood relief in Nậm Pồ")
    services.article_submit(article=returned, by=reporter)
    services.article_return(article=returned, by=editor, reason="Name the commune chairman.")
    article_by(colleague, title="A colleague's draft")
    submitted = article_by(reporter, title="Pá Khoang lake clean-up")
    services.article_submit(article=submitted, by=reporter)

    html = desk(client, reporter)
    assert "My draft on Tết markets" in html
    assert "Returned to me" in html and "Name the commune chairman." in html
    assert "A colleague's draft" not in html
    assert "Submitted, waiting for an editor" in html and "Pá Khoang lake clean-up" in html
    assert "Comments waiting" not in html  # reporters do not moderate
    assert "Waiting for review" not in html


def test_view_on_site_opens_the_preview_of_a_story_readers_cannot_see(client):
    editor = EditorFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    live = ArticleFactory(status=Article.Status.PUBLISHED)
    client.force_login(editor)
    for article, expected in (
        (draft, reverse("editorial:preview", args=[draft.pk])),
        (live, live.get_absolute_url()),
    ):
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert f'<a href="{expected}" class="viewsitelink">' in page.content.decode()
