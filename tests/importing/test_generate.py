import pytest
from django.core.management import call_command

from articles.models import Article, ArticleAuthor, TaggedArticle

pytestmark = pytest.mark.django_db


def test_generate_articles_creates_realistic_bulk_volume():
    call_command("generate_articles", count=250, batch_size=100, images=3, verbosity=0)
    assert Article.objects.count() == 250
    assert Article.objects.values("slug").distinct().count() == 250
    published = Article.objects.published().count()
    assert 200 < published < 250  # a few drafts and scheduled stories, as in a real newsroom
    assert ArticleAuthor.objects.values("article").distinct().count() == 250
    assert TaggedArticle.objects.values("content_object").distinct().count() == 250
    # Images are shared files, not one per article.
    assert Article.objects.values("image").distinct().count() == 3
    # Text went through the same normalisation as save().
    assert not Article.objects.filter(body__contains="<script").exists()


def test_generate_articles_runs_again_without_slug_collisions():
    call_command("generate_articles", count=20, images=1, verbosity=0)
    call_command("generate_articles", count=20, images=1, verbosity=0)
    assert Article.objects.count() == 40


def test_health_view_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
