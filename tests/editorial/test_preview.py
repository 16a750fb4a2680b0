"""Preview: the public page of an unpublished article, for editors and its own authors."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return article_by(ReporterFactory(), title="Unreleased budget figures")


def preview(client, article):
    return client.get(reverse("editorial:preview", args=[article.pk]))


@pytest.mark.parametrize("who", ["editor", "author"])
def test_editor_and_own_author_preview_the_page_never_cached(client, draft, who):
    user = EditorFactory() if who == "editor" else draft.created_by
    client.force_login(user)
    response = preview(client, draft)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article__title">Unreleased budget figures</h1>' in html
    assert "Preview — Draft" in html
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


@pytest.mark.parametrize("who", ["anonymous", "other reporter"])
def test_preview_answers_404_to_everyone_else(client, draft, who):
    if who != "anonymous":
        client.force_login(ReporterFactory())
    response = preview(client, draft)
    assert response.status_code == 404
    assert "Unreleased budget figures" not in response.content.decode()


def test_preview_of_a_missing_article_answers_404(client):
    client.force_login(EditorFactory())
    assert client.get(reverse("editorial:preview", args=[987654])).status_code == 404


def test_co_author_with_a_byline_may_preview(client):
    from articles.models import ArticleAuthor, Author

    article = article_by(ReporterFactory(), status=Article.Status.IN_REVIEW)
    colleague = ReporterFactory()
    ArticleAuthor.objects.create(
        article=article, author=Author.objects.get(user=colleague), order=1
    )
    client.force_login(colleague)
    assert preview(client, article).status_code == 200
