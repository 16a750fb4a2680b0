"""A scheduled article goes live at its publish time by itself: no cron, no worker."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editorial import services
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


def public_pages(article, other):
    return {
        "article": article.get_absolute_url(),
        "home": reverse("frontpage:home"),
        "section": article.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["flood"]),
        "author": article.authors.get().get_absolute_url(),
        "sidebar on another article": other.get_absolute_url(),
    }


def test_editor_schedules_in_the_admin_and_the_story_appears_exactly_on_time(client, time_machine):
    start = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0, 0))
    time_machine.move_to(start, tick=False)
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(
        reporter, title="Flood warning lifted", status=Article.Status.IN_REVIEW, tags=["flood"]
    )
    other = ArticleFactory(title="An older story")
    at = start + datetime.timedelta(minutes=5)
    local = timezone.localtime(at)

    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "publish"]),
        {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at == at and article.display_status == "Scheduled"
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled" in changelist
    client.logout()

    time_machine.move_to(at - datetime.timedelta(seconds=1), tick=False)
    assert client.get(article.get_absolute_url()).status_code == 404
    for name, url in public_pages(article, other).items():
        response = client.get(url)
        assert "Flood warning lifted" not in response.content.decode(), name

    time_machine.move_to(at, tick=False)
    for name, url in public_pages(article, other).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "Flood warning lifted" in response.content.decode(), name


def test_unpublished_article_url_answers_404():
    editor = EditorFactory()
    article = ArticleFactory()
    services.article_unpublish(article=article, by=editor)
    assert Client().get(article.get_absolute_url()).status_code == 404
