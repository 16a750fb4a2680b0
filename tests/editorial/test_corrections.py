"""Corrections: editors append dated notes; readers see them under the body and on a page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from editorial import services
from tests.editorial.admin_forms import change_form_data
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


def test_editor_appends_a_correction_in_the_admin_and_readers_see_it(client):
    editor = EditorFactory()
    article = ArticleFactory(title="Bridge opens", body="<p>The bridge is 300 m long.</p>")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-text": "It is 320 m long."})
    assert client.post(url, data).status_code == 302
    correction = article.corrections.get()
    assert correction.by == editor
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    html = html[html.index("<main") :]  # the page, not the JSON-LD copy in <head>
    assert html.index("The bridge is 300 m long.") < html.index("It is 320 m long.")


def test_reporter_cannot_add_a_correction_even_by_crafted_post(client):
    reporter = ReporterFactory()
    article = article_by(reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data.update(
        {"corrections-TOTAL_FORMS": "1", "corrections-INITIAL_FORMS": "0",
         "corrections-0-text": "Sneaky note."}
    )  # fmt: skip
    client.post(url, data)
    assert not Correction.objects.exists()
    with pytest.raises(PermissionDenied):
        services.correction_add(article=ArticleFactory(), by=reporter, text="No.")


def test_corrections_page_lists_published_corrections_newest_first(client):
    editor = EditorFactory()
    now = timezone.now()
    older, newer = ArticleFactory(title="Older story"), ArticleFactory(title="Newer story")
    hidden = ArticleFactory(title="Taken down story")
    services.correction_add(article=older, by=editor, text="First fix.")
    services.correction_add(article=newer, by=editor, text="Second fix.")
    services.correction_add(article=hidden, by=editor, text="Hidden fix.")
    Correction.objects.filter(text="First fix.").update(created=now - datetime.timedelta(days=2))
    services.article_unpublish(article=hidden, by=editor)
    html = client.get(reverse("articles:corrections")).content.decode()
    assert html.index("Second fix.") < html.index("First fix.")
    assert "Hidden fix." not in html and "Taken down story" not in html


def test_corrections_are_only_for_published_articles():
    from django.core.exceptions import ValidationError

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError):
        services.correction_add(article=draft, by=EditorFactory(), text="Too early.")
